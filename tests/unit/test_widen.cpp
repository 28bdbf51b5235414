// Net2WiderNet on ResNet blocks, vit-tiny MLPs and mobilenetv2-small expansions (nn/zoo/widen.h)
// and the widened zoo names (nn/zoo/zoo.h): the widened network computes what the original did, its
// name and hyper-parameters carry the widths, a checkpoint of it loads back through the base
// model's name, and bad widths or names are errors.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>

#include "models/error.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/checkpoint.h"
#include "nn/zoo/widen.h"
#include "nn/zoo/zoo.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

// A zoo model with random batch-norm statistics, so that copied channels matter.
std::shared_ptr<ZooModel> random_model(const std::string& name) {
  torch::manual_seed(11);
  auto m = make_model(name);
  torch::NoGradGuard no_grad;
  for (auto& b : m->named_buffers()) {
    if (b.key().find("running_mean") != std::string::npos) b.value().normal_(0.0, 0.3);
    if (b.key().find("running_var") != std::string::npos) b.value().uniform_(0.5, 2.0);
  }
  for (auto& p : m->named_parameters()) {
    if (p.key().find("bn") != std::string::npos) p.value().normal_(0.0, 0.5);
  }
  m->eval();
  return m;
}

std::shared_ptr<ZooModel> random_resnet8() { return random_model("resnet8"); }

// Widening `name` to `widths` keeps its outputs in eval and train mode.
void check_same_function(const std::string& name, const std::vector<std::int64_t>& widths) {
  auto m = random_model(name);
  const torch::Tensor x = torch::randn({4, 1, 28, 28});
  auto wide = widen_model(*m, widths, 3);
  CHECK(parameter_count(*wide) > parameter_count(*m));
  CHECK(torch::allclose(wide->forward(x), m->forward(x), 1e-4, 1e-5));
  m->train();
  wide->train();
  CHECK(torch::allclose(wide->forward(x), m->forward(x), 1e-4, 1e-5));
  const auto layers = inner_layers(*wide);
  REQUIRE(layers.size() == widths.size());
  for (std::size_t i = 0; i < widths.size(); ++i) CHECK(layers[i].width == widths[i]);
}

}  // namespace

TEST_CASE("resnet inner layers: one per basic block, conv1 widths and the stream width") {
  auto m = make_model("resnet20");
  const auto blocks = inner_layers(*m);
  REQUIRE(blocks.size() == 9);
  CHECK(blocks[0].block == "layer1.0");
  CHECK(blocks[0].width == 16);
  CHECK(blocks[3].block == "layer2.0");
  CHECK(blocks[3].width == 32);
  CHECK(blocks[8].width == 64);
  CHECK(blocks[8].stream == 64);
  CHECK(blocks[8].producer == "layer3.2.conv1");
  CHECK(inner_layers(*make_model("vgg-small")).empty());
}

TEST_CASE("vit-tiny and mobilenetv2-small inner layers: MLP fc1 and expand convs") {
  const auto vit = inner_layers(*make_model("vit-tiny"));
  REQUIRE(vit.size() == 6);
  CHECK(vit[0].block == "blocks.0");
  CHECK(vit[0].producer == "blocks.0.mlp.fc1");
  CHECK(vit[5].width == 128);
  CHECK(vit[5].stream == 64);
  // Block 0 (expansion 1) has no expand conv; blocks 1-7 expand their inputs 4x.
  const auto mnv2 = inner_layers(*make_model("mobilenetv2-small"));
  REQUIRE(mnv2.size() == 7);
  CHECK(mnv2[0].block == "blocks.1");
  CHECK(mnv2[0].producer == "blocks.1.expand.conv");
  const std::vector<std::int64_t> hidden = {64, 96, 96, 128, 128, 128, 256};
  const std::vector<std::int64_t> out = {24, 24, 32, 32, 32, 64, 64};
  for (std::size_t i = 0; i < 7; ++i) {
    CHECK(mnv2[i].width == hidden[i]);
    CHECK(mnv2[i].stream == out[i]);
  }
}

TEST_CASE("widening vit-tiny MLPs and mobilenetv2-small expansions keeps the outputs") {
  check_same_function("vit-tiny", {128, 200, 128, 129, 256, 130});
  check_same_function("mobilenetv2-small", {64, 100, 96, 160, 128, 255, 256});
  auto wide = widen_model(*random_model("vit-tiny"), {128, 200, 128, 129, 256, 130}, 3);
  CHECK(wide->name() == "vit-tiny@inner=128,200,128,129,256,130");
  CHECK(wide->hyper_parameters().find("inner_widths=128,200,128,129,256,130") != std::string::npos);
  // The plain networks' hyper-parameters (checked against their checkpoints) are unchanged.
  CHECK(make_model("vit-tiny")->hyper_parameters().find("inner_widths") == std::string::npos);
  CHECK(make_model("mobilenetv2-small")->hyper_parameters().find("inner_widths") ==
        std::string::npos);
}

TEST_CASE("widening keeps the outputs, grows the parameters, names the widths") {
  auto m = random_resnet8();
  const torch::Tensor x = torch::randn({4, 1, 28, 28});
  const torch::Tensor before = m->forward(x);
  auto wide = widen_model(*m, {40, 32, 200}, 5);
  CHECK(wide->name() == "resnet8@inner=40,32,200");
  CHECK(wide->hyper_parameters().find("inner_widths=40,32,200") != std::string::npos);
  CHECK(parameter_count(*wide) > parameter_count(*m));
  const auto blocks = inner_layers(*wide);
  CHECK(blocks[0].width == 40);
  CHECK(blocks[2].width == 200);
  CHECK_FALSE(wide->is_training());
  const torch::Tensor after = wide->forward(x);
  CHECK(torch::allclose(after, before, 1e-4, 1e-5));
  // Train mode too: the copies' batch statistics equal the originals'.
  m->train();
  wide->train();
  CHECK(torch::allclose(wide->forward(x), m->forward(x), 1e-4, 1e-5));
  // The copies are drawn with the seed: same seed, same network.
  auto again = widen_model(*m, {40, 32, 200}, 5);
  const auto a = again->named_parameters();
  for (const auto& p : wide->named_parameters()) CHECK(torch::equal(p.value(), a[p.key()]));
}

TEST_CASE("a widened checkpoint loads through the base model's name") {
  auto wide = widen_model(*random_resnet8(), {24, 32, 64}, 1);
  const auto path = (std::filesystem::temp_directory_path() / "aimcsim_test_widen.pt").string();
  CheckpointMeta meta;
  meta.model_name = wide->name();
  meta.hyper_parameters = wide->hyper_parameters();
  save_checkpoint(path, meta, *wide, nullptr);
  const LoadedModel loaded = load_trained_model("resnet8", path);
  CHECK(loaded.model->name() == "resnet8@inner=24,32,64");
  CHECK(loaded.graph.name() == "resnet8:inner:24-32-64");
  // Another model's name still refuses it.
  CHECK_THROWS_WITH_AS(load_trained_model("resnet20", path), doctest::Contains("resnet8@inner"),
                       Error);
  std::filesystem::remove(path);
}

TEST_CASE("bad widths and names are errors naming what was wrong") {
  auto m = random_resnet8();
  CHECK_THROWS_WITH_AS(widen_model(*m, {16, 32}, 0), doctest::Contains("2 widths for 3"), Error);
  CHECK_THROWS_WITH_AS(widen_model(*make_model("vgg-small"), {8}, 0),
                       doctest::Contains("no inner layers"), Error);
  CHECK_THROWS_WITH_AS(widen_model(*m, {8, 32, 64}, 0), doctest::Contains("below its current"),
                       Error);
  CHECK_THROWS_WITH_AS(make_model("vgg-small@inner=8"), doctest::Contains("resnet8, resnet20"),
                       Error);
  CHECK_THROWS_WITH_AS(make_model("vit-tiny@inner=8"), doctest::Contains("6 blocks"), Error);
  CHECK_THROWS_WITH_AS(make_model("mobilenetv2-small@inner=64,96"),
                       doctest::Contains("7 expanding blocks"), Error);
  CHECK_THROWS_WITH_AS(make_model("resnet8@inner=16,x,64"), doctest::Contains("'x'"), Error);
  CHECK_THROWS_WITH_AS(make_model("resnet8@inner=16,0,64"), doctest::Contains("'0'"), Error);
  CHECK_THROWS_WITH_AS(make_model("resnet8@inner=16,32"), doctest::Contains("3 basic blocks"),
                       Error);
  CHECK(make_model("resnet8@inner=16,32,64")->name() == "resnet8@inner=16,32,64");
}
