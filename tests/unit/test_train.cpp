// Training (nn/train): determinism, resume == uninterrupted, checkpoint
// round-trip and errors, on small Fashion-MNIST subsets.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/error.h"
#include "nn/train/checkpoint.h"
#include "nn/train/trainer.h"
#include "nn/zoo/zoo.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

const Dataset& train_subset() {
  static const Dataset d = [] {
    Dataset full = load_fmnist(Split::kTrain);
    return Dataset{full.images.slice(0, 0, 256).clone(), full.labels.slice(0, 0, 256).clone()};
  }();
  return d;
}

const Dataset& test_subset() {
  static const Dataset d = [] {
    Dataset full = load_fmnist(Split::kTest);
    return Dataset{full.images.slice(0, 0, 256).clone(), full.labels.slice(0, 0, 256).clone()};
  }();
  return d;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("aimcsim_test_train_" + name)).string();
}

TrainOptions tiny_options(const std::string& out) {
  TrainOptions o;
  o.model = "resnet8";
  o.epochs = 2;
  o.out = out;
  o.seed = 7;
  o.batch_size = 64;
  o.lr = 0.05;
  o.progress = false;
  return o;
}

bool same_weights(ZooModel& a, ZooModel& b) {
  auto pa = a.named_parameters();
  auto pb = b.named_parameters();
  if (pa.size() != pb.size()) return false;
  for (const auto& p : pa) {
    if (!torch::equal(p.value(), pb[p.key()])) return false;
  }
  for (const auto& p : a.named_buffers()) {
    if (!torch::equal(p.value(), b.named_buffers()[p.key()])) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("same seed gives identical weights and another seed differs") {
  auto o = tiny_options("");
  o.epochs = 1;
  const auto a = train(o, train_subset(), test_subset());
  const auto b = train(o, train_subset(), test_subset());
  CHECK(same_weights(*a.model, *b.model));
  o.seed = 8;
  const auto c = train(o, train_subset(), test_subset());
  CHECK_FALSE(same_weights(*a.model, *c.model));
  CHECK(a.epochs.size() == 1);
  CHECK(a.epochs[0].test_accuracy > 0.15);  // learns something from 256 images
}

TEST_CASE("resume after an interruption equals the uninterrupted run") {
  const auto full_path = temp_path("full.pt");
  const auto part_path = temp_path("part.pt");
  const auto full = train(tiny_options(full_path), train_subset(), test_subset());
  auto o = tiny_options(part_path);
  o.stop_after_epochs = 1;
  const auto first = train(o, train_subset(), test_subset());
  CHECK(first.epochs_done == 1);
  CHECK(read_checkpoint_meta(part_path).epochs_done == 1);
  o.stop_after_epochs = 0;
  o.resume = true;
  const auto resumed = train(o, train_subset(), test_subset());
  CHECK(resumed.epochs.size() == 1);
  CHECK(resumed.epochs_done == 2);
  CHECK(same_weights(*full.model, *resumed.model));
  CHECK(resumed.last_test_accuracy == full.last_test_accuracy);
  // A changed recipe cannot resume.
  o.lr = 0.1;
  CHECK_THROWS_WITH_AS(train(o, train_subset(), test_subset()), doctest::Contains("lr"), Error);
  std::filesystem::remove(full_path);
  std::filesystem::remove(part_path);
}

TEST_CASE("checkpoint round-trip and wrong-model and corrupt-file errors") {
  const auto path = temp_path("roundtrip.pt");
  torch::manual_seed(3);
  auto model = make_model("vit-tiny");
  CheckpointMeta meta;
  meta.model_name = model->name();
  meta.hyper_parameters = model->hyper_parameters();
  meta.epochs_done = 4;
  meta.seed = 42;
  meta.best_test_accuracy = 0.875;
  save_checkpoint(path, meta, *model, nullptr);
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));

  auto loaded = load_model(path);
  CHECK(loaded->name() == "vit-tiny");
  CHECK(same_weights(*model, *loaded));
  const auto back = read_checkpoint_meta(path);
  CHECK(back.epochs_done == 4);
  CHECK(back.seed == 42);
  CHECK(back.best_test_accuracy == 0.875);

  auto other = make_model("resnet20");
  CHECK_THROWS_WITH_AS(load_checkpoint(path, *other, nullptr),
                       doctest::Contains("is of model 'vit-tiny', expected 'resnet20'"), Error);

  // Truncated copy.
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const auto cut = temp_path("cut.pt");
  std::ofstream(cut, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  CHECK_THROWS_WITH_AS(load_model(cut), doctest::Contains(cut.c_str()), Error);
  // Garbage file.
  std::ofstream(cut, std::ios::binary) << "this is not a checkpoint";
  CHECK_THROWS_WITH_AS(load_model(cut), doctest::Contains("corrupt"), Error);
  CHECK_THROWS_WITH_AS(load_model(temp_path("missing.pt")), doctest::Contains("not found"), Error);
  std::filesystem::remove(path);
  std::filesystem::remove(cut);
}
