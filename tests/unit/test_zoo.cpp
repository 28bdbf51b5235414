// Model zoo (nn/zoo): forward shapes, mappable-layer lists, names, MACs,
// nasbench201 codes, executor hook.
#include <doctest/doctest.h>

#include <torch/torch.h>
#include <set>

#include <string>

#include "models/error.h"
#include "nn/zoo/layer_info.h"
#include "nn/zoo/zoo.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {
const std::string kNb201Example =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
    "nor_conv_3x3~2|";
}  // namespace

TEST_CASE("every zoo model maps N images to N x 10 logits in train and eval mode") {
  torch::manual_seed(0);
  const auto x = torch::randn({3, 1, 28, 28});
  for (const std::string name : {"resnet8", "resnet20", "resnet32", "vgg-small",
                                 "mobilenetv2-small", "vit-tiny", "nasbench201:331043"}) {
    CAPTURE(name);
    auto model = make_model(name);
    CHECK(model->forward(x).sizes() == torch::IntArrayRef({3, 10}));
    model->eval();
    auto y = model->forward(x);
    CHECK(y.sizes() == torch::IntArrayRef({3, 10}));
    CHECK(torch::isfinite(y).all().item<bool>());
    // Every mappable layer has a name and is called exactly once per forward.
    const auto layers = list_mappable_layers(*model);
    CHECK(layers.size() == mappable_layers(*model).size());
    for (const auto& l : layers) CHECK(!l.name.empty());
  }
}

TEST_CASE("resnet20 mappable layers are 19 convs and the head with names and MACs for 28x28") {
  auto model = make_model("resnet20");
  const auto layers = list_mappable_layers(*model);
  REQUIRE(layers.size() == 20);
  CHECK(layers.front().name == "stem.conv");
  CHECK(layers[1].name == "layer1.0.conv1");
  CHECK(layers[2].name == "layer1.0.conv2");
  CHECK(layers[7].name == "layer2.0.conv1");
  CHECK(layers[7].stride == 2);
  CHECK(layers[7].output_shape == std::vector<int64_t>{32, 14, 14});
  CHECK(layers[18].name == "layer3.2.conv2");
  CHECK(layers.back().name == "head");
  CHECK(layers.back().kind == LayerKind::kLinear);
  CHECK(layers.back().macs == 640);
  int convs = 0;
  for (const auto& l : layers) convs += l.kind == LayerKind::kConv2d;
  CHECK(convs == 19);
  CHECK(layers[0].macs == 9 * 1 * 16 * 28 * 28);
  CHECK(layers[1].macs == 9 * 16 * 16 * 28 * 28);
  // stem 112896 + stage1 6*1806336 + stage2 (903168 + 5*1806336) + stage3 (same) + head 640
  CHECK(total_macs(layers) == 30821248);
  CHECK(model->name() == "resnet20");
  CHECK(make_model("resnet8")->hyper_parameters().find("depth=8") != std::string::npos);
  CHECK(list_mappable_layers(*make_model("resnet32")).size() == 32);
}

TEST_CASE("vit-tiny mappable layers are the patch conv and 4 linears per block and the head") {
  auto model = make_model("vit-tiny");
  const auto layers = list_mappable_layers(*model);
  REQUIRE(layers.size() == 1 + 6 * 4 + 1);
  CHECK(layers[0].name == "patch_embed.proj");
  CHECK(layers[0].macs == 16 * 64 * 49);
  CHECK(layers[1].name == "blocks.0.attn.qkv");
  CHECK(layers[1].input_shape == std::vector<int64_t>{49, 64});
  CHECK(layers[1].macs == 64 * 192 * 49);
  CHECK(layers[2].name == "blocks.0.attn.proj");
  CHECK(layers[3].name == "blocks.0.mlp.fc1");
  CHECK(layers[4].name == "blocks.0.mlp.fc2");
  CHECK(layers[23].name == "blocks.5.mlp.fc1");
  CHECK(layers.back().name == "head");
  CHECK(total_macs(layers) == 16 * 64 * 49 + 6 * (64 * 192 + 64 * 64 + 2 * 64 * 128) * 49 + 640);
}

TEST_CASE("mobilenetv2-small has depthwise convs and vgg-small has named layers") {
  const auto mb = list_mappable_layers(*make_model("mobilenetv2-small"));
  bool saw_dw = false;
  for (const auto& l : mb) {
    if (l.name == "blocks.1.dw.conv") {
      saw_dw = true;
      CHECK(l.groups == 64);  // 16 channels * expansion 4
      CHECK(l.macs == 9 * 64 * 14 * 14);
    }
  }
  CHECK(saw_dw);
  CHECK(mb.front().name == "stem.conv");
  CHECK(mb.back().name == "head");
  const auto vgg = list_mappable_layers(*make_model("vgg-small"));
  REQUIRE(vgg.size() == 8);
  CHECK(vgg[0].name == "block1.conv");
  CHECK(vgg[6].name == "fc");
  CHECK(vgg[6].input_shape == std::vector<int64_t>{1152});
}

TEST_CASE("nasbench201 codes parse as arch strings or digits and bad codes are errors") {
  const Nb201Cell cell = parse_nb201_code(kNb201Example);
  CHECK(cell.digits() == "333133");
  CHECK(cell.arch_string() == kNb201Example);
  CHECK(parse_nb201_code("333133").arch_string() == kNb201Example);
  CHECK(parse_nb201_code("024100").ops[1] == Nb201Op::kNorConv1x1);
  auto model = make_model("nasbench201:333133");
  CHECK(model->name() == "nasbench201:" + kNb201Example);
  const auto layers = list_mappable_layers(*model);
  // stem + 15 cells * 5 convs + 2 reductions * 3 convs + head
  CHECK(layers.size() == 1 + 15 * 5 + 2 * 3 + 1);
  CHECK(layers[1].name == "cells.0.edge1_0.conv");
  CHECK(layers[1 + 25].name == "cells.5.conv_a.conv");
  CHECK(layers[1 + 25 + 2].name == "cells.5.downsample");
  for (const std::string bad : {"33313", "333135", "|nor_conv_3x3~0|", "nasbench",
                                "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
                                "conv_5x5~1|nor_conv_3x3~2|",
                                "|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|"
                                "nor_conv_3x3~1|nor_conv_3x3~2|"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_nb201_code(bad), Error);
  }
  CHECK_THROWS_WITH_AS(make_model("nasbench201:999999"), doctest::Contains("6 digits"), Error);
  // All-none cell still runs (zero cells, reductions carry the signal).
  CHECK(make_model("nasbench201:000000")->forward(torch::zeros({2, 1, 28, 28})).size(1) == 10);
}

TEST_CASE("nasbench201 operation counts, the index order and the seeded sample") {
  CHECK(count_nb201_ops(parse_nb201_code("333133")) == std::array<int, 5>{0, 1, 0, 5, 0});
  CHECK(count_nb201_ops(parse_nb201_code("024100")) == std::array<int, 5>{3, 1, 1, 0, 1});
  CHECK(count_nb201_ops(parse_nb201_code("000000"))[0] == 6);
  CHECK(nb201_cell_at(0).digits() == "000000");
  CHECK(nb201_cell_at(1).digits() == "100000");  // edge 0 is the least significant digit
  CHECK(nb201_cell_at(5).digits() == "010000");
  CHECK(nb201_cell_at(15624).digits() == "444444");
  CHECK_THROWS_AS(nb201_cell_at(15625), Error);
  const auto a = sample_nb201_cells(100, 7, true);
  REQUIRE(a.size() == 102);
  CHECK(a[0].digits() == "222222");  // the most 1x1 convolutions
  CHECK(a[1].digits() == "333333");  // the most 3x3 convolutions
  std::set<std::string> distinct;
  for (const auto& c : a) distinct.insert(c.digits());
  CHECK(distinct.size() == 102);
  const auto b = sample_nb201_cells(100, 7, true);
  const auto c = sample_nb201_cells(100, 8, true);
  int same_b = 0, same_c = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    same_b += a[i].digits() == b[i].digits();
    same_c += a[i].digits() == c[i].digits();
  }
  CHECK(same_b == 102);  // same seed, same cells in the same order
  CHECK(same_c < 10);    // another seed, another sample (the two extremes coincide)
  // A sample of every cell is the whole space.
  const auto all = sample_nb201_cells(15625, 1, false);
  std::set<std::string> every;
  for (const auto& cell : all) every.insert(cell.digits());
  CHECK(every.size() == 15625);
  CHECK_THROWS_AS(sample_nb201_cells(15626, 1, false), Error);
}

TEST_CASE("nasbench201 @cells=N: a reduced macro skeleton with N cells per stage") {
  auto model = make_model("nasbench201:333133@cells=1");
  CHECK(model->name() == "nasbench201:" + kNb201Example + "@cells=1");
  // stem + 3 cells * 5 convs + 2 reductions * 3 convs + head
  CHECK(list_mappable_layers(*model).size() == 1 + 3 * 5 + 2 * 3 + 1);
  CHECK(make_model("nasbench201:333133@cells=5")->name() == "nasbench201:" + kNb201Example);
  CHECK(model->forward(torch::zeros({2, 1, 28, 28})).size(1) == 10);
  CHECK_THROWS_WITH_AS(make_model("nasbench201:333133@cells=0"),
                       doctest::Contains("expected 1 to 5"), Error);
  CHECK_THROWS_WITH_AS(make_model("resnet20@cells=1"), doctest::Contains("nasbench201:CODE only"),
                       Error);
}

TEST_CASE("unknown model name lists the valid names") {
  CHECK_THROWS_WITH_AS(make_model("resnet21"),
                       doctest::Contains("resnet8, resnet20, resnet32, vgg-small"), Error);
  CHECK_THROWS_WITH_AS(make_model("resnet21"), doctest::Contains("nasbench201:CODE"), Error);
}

TEST_CASE("executor hook replaces a layer's forward and can be reset") {
  torch::manual_seed(1);
  auto model = make_model("resnet8");
  model->eval();
  const auto x = torch::randn({2, 1, 28, 28});
  const auto reference = model->forward(x);
  auto head = mappable_layers(*model).back();
  REQUIRE(head->name() == "head");
  int calls = 0;
  head->set_executor([&calls](const MappableLayer& l, const torch::Tensor& in) {
    ++calls;
    return l.forward_fp(in) * 2.0;  // e.g. an analog numerics function
  });
  const auto doubled = model->forward(x);
  CHECK(calls == 1);
  CHECK(torch::allclose(doubled, reference * 2.0, 1e-5, 1e-5));
  head->reset_executor();
  CHECK(torch::equal(model->forward(x), reference));
}
