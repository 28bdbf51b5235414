// test-links: aimcsim_nn
// Hardware-aware training (nn/train/hwa_training.h): noise injection changes the forward,
// analog weights are clipped after each step, HWA resumes exactly, the HWA settings are
// recorded in the checkpoint and a resume with other settings is refused, fine-tuning
// starts from the given checkpoint.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "models/error.h"
#include "nn/train/checkpoint.h"
#include "nn/train/hwa_training.h"
#include "nn/train/trainer.h"
#include "nn/zoo/mappable.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

Dataset subset(Split split, int64_t n) {
  const Dataset full = load_fmnist(split);
  return Dataset{full.images.slice(0, 0, n).clone(), full.labels.slice(0, 0, n).clone()};
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("aimcsim_test_hwa_" + name)).string();
}

TrainOptions hwa_options(const std::string& out, const HwaTrainSetup& setup) {
  TrainOptions o;
  o.model = "resnet8";
  o.epochs = 2;
  o.out = out;
  o.seed = 11;
  o.batch_size = 64;
  o.lr = 0.02;
  o.progress = false;
  o.hooks = make_hwa_hooks(setup, o.seed);
  return o;
}

bool same_parameters(ZooModel& a, ZooModel& b) {
  auto pb = b.named_parameters();
  for (const auto& p : a.named_parameters()) {
    if (!torch::equal(p.value(), pb[p.key()])) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("HWA training: noisy forward, clipped analog weights, exact resume, recorded") {
  const Dataset train_set = subset(Split::kTrain, 192);
  const Dataset test_set = subset(Split::kTest, 64);
  HwaTrainSetup setup;  // all-analog, gamma 0.08, clip 2 std, default numerics
  const auto full_path = temp_path("full.pt");
  const auto part_path = temp_path("part.pt");
  const TrainResult full = train(hwa_options(full_path, setup), train_set, test_set);

  // Every analog layer was clipped to +- 2 std of its weights before the last step: its
  // extreme weights sit near 2 std (clipping shrinks the std, hence the margin), where an
  // unclipped Gaussian layer of >= 1000 weights reaches about 3.3 std.
  for (const auto& layer : mappable_layers(*full.model)) {
    const torch::Tensor w = layer->weight().detach();
    if (w.numel() < 1000) continue;
    CAPTURE(layer->name());
    CHECK(w.abs().max().item<double>() <= 2.5 * w.std().item<double>());
  }
  // Plain FP training of the same recipe ends elsewhere: the hooks changed the forward.
  TrainOptions fp = hwa_options("", setup);
  fp.hooks = TrainHooks{};
  CHECK_FALSE(same_parameters(*full.model, *train(fp, train_set, test_set).model));

  const CheckpointMeta meta = read_checkpoint_meta(full_path);
  CHECK(meta.training.find("hwa mapping=all-analog gamma=0.08 clip_n_std=2") == 0);

  TrainOptions part = hwa_options(part_path, setup);
  part.stop_after_epochs = 1;
  train(part, train_set, test_set);
  part = hwa_options(part_path, setup);
  part.resume = true;
  const TrainResult resumed = train(part, train_set, test_set);
  CHECK(resumed.epochs_done == 2);
  CHECK(same_parameters(*full.model, *resumed.model));

  // Other HWA settings cannot resume this checkpoint.
  HwaTrainSetup other = setup;
  other.hwa.weight_noise_gamma = 0.06;
  TrainOptions changed = hwa_options(part_path, other);
  changed.resume = true;
  CHECK_THROWS_WITH_AS(train(changed, train_set, test_set), doctest::Contains("training"), Error);
  std::filesystem::remove(full_path);
  std::filesystem::remove(part_path);
}

TEST_CASE("fine-tuning starts from the --init checkpoint and records it") {
  const Dataset train_set = subset(Split::kTrain, 128);
  const Dataset test_set = subset(Split::kTest, 500);
  const std::string init = std::string(AIMCSIM_SOURCE_DIR) + "/checkpoints/resnet8.pt";
  HwaTrainSetup setup;
  setup.hwa.clip_n_std = 3.0;
  TrainOptions o = hwa_options(temp_path("ft.pt"), setup);
  o.epochs = 1;
  o.lr = 1e-4;
  o.init_from = init;
  const TrainResult r = train(o, train_set, test_set);
  // Two small steps away from a 92% model: still far above what 128 images teach from scratch.
  CHECK(r.last_test_accuracy > 0.8);
  CHECK(read_checkpoint_meta(o.out).init_from == init);
  std::filesystem::remove(o.out);
}
