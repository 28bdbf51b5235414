// Cost of the MPS search (issue 13): (1) one supernet training epoch of phase 1 (fairness
// sampling, analog candidates through the analog path, INT8 QAT) as a ratio to one plain FP32
// epoch of the same model on the same images in the same run; (2) phase-3 seconds per
// evaluated mapping (batch-norm recalibration, programming, 1-day read, validation pass,
// simulated latency/energy) with a warm oracle cache and without any cache. Not a test.
//
// Usage: bench_mps [MODEL [CHECKPOINT]] [--images N] [--mappings M]
//   defaults resnet20, checkpoints/resnet20.pt, 2048 training images, 4 mappings
//   (validation: 1000 images, recalibration: 512, as `map mps`).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "mapping/mps_phases.h"
#include "models/host/allocator_tuning.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/trainer.h"
#include "sim/config/hardware_config.h"

using namespace aimcsim;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double score_mappings(nn::LoadedModel& m, nn::Supernet& supernet, const HardwareConfig& hw,
                      const mapping::FinetuneData& data, const mapping::MpsOptions& o,
                      const std::string& cache, bool use_cache, int mappings) {
  CostOracle oracle(m.graph, hw, {cache, use_cache});
  const nn::Dataset validation = nn::dataset_head(data.validation, o.phase3_validation);
  const at::Tensor recal =
      nn::normalise_images(data.train.images.slice(0, 0, o.recalibration_images));
  mapping::SubnetScorer scorer(supernet, m.graph, oracle, validation, recal, o.scorer);
  at::Generator gen = nn::seeded_generator(11);
  const torch::Tensor probs = supernet.log_probs().detach().exp();
  const auto t0 = Clock::now();
  for (int i = 0; i < mappings; ++i) {
    std::vector<int> choice;
    for (std::int64_t l = 0; l < probs.size(0); ++l) {
      choice.push_back(
          static_cast<int>(torch::multinomial(probs[l], 1, false, gen).item<std::int64_t>()));
    }
    scorer.score(choice);
  }
  return seconds_since(t0) / mappings;
}

}  // namespace

// libsystemc (linked through aimcsim_models) references sc_main; this bench never uses it.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main(int argc, char** argv) {
  tune_allocator_for_tensors();
  torch::set_num_threads(2);
  std::string model = "resnet20";
  std::string ckpt = std::string(AIMCSIM_SOURCE_DIR) + "/checkpoints/resnet20.pt";
  std::int64_t images = 2048;
  int mappings = 4;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--images" && i + 1 < argc) {
      images = std::stoll(argv[++i]);
    } else if (a == "--mappings" && i + 1 < argc) {
      mappings = std::stoi(argv[++i]);
    } else if (positional++ == 0) {
      model = a;
    } else {
      ckpt = a;
    }
  }
  const HardwareConfig hw = load_hardware_config(default_hardware_config_path());
  const mapping::FinetuneData data =
      mapping::split_validation(nn::load_fmnist(nn::Split::kTrain), 5000);
  const nn::Dataset subset = nn::dataset_head(data.train, images);

  nn::LoadedModel plain = nn::load_trained_model(model, ckpt);
  nn::TrainOptions recipe;
  recipe.epochs = 1;
  recipe.progress = false;
  recipe.lr = 0.01;
  torch::optim::SGD fp_sgd(plain.model->parameters(),
                           torch::optim::SGDOptions(0.01).momentum(0.9).weight_decay(5e-4));
  auto t0 = Clock::now();
  nn::train_epoch(recipe, *plain.model, fp_sgd, subset, 0);
  const double fp_s = seconds_since(t0);

  nn::LoadedModel m = nn::load_trained_model(model, ckpt);
  mapping::MpsOptions o;
  o.supernet.numerics = hw.tile.numerics;
  o.scorer.analog = nn::analog_setup_of(hw);
  o.images_per_epoch = images;
  o.progress = false;
  nn::Supernet supernet(m.model, o.supernet);
  const nn::FairnessSampler sampler(supernet.candidates_per_layer(), 1);
  torch::optim::SGD sgd(m.model->parameters(),
                        torch::optim::SGDOptions(o.lr).momentum(0.9).weight_decay(5e-4));
  std::vector<std::vector<std::int64_t>> counts(
      supernet.layers().size(), std::vector<std::int64_t>(supernet.max_candidates(), 0));
  t0 = Clock::now();
  mapping::train_supernet_epoch(supernet, o, sampler, sgd, subset, 0, counts);
  const double super_s = seconds_since(t0);
  std::printf("%s, %lld images: FP32 epoch %.2f s, supernet phase-1 epoch %.2f s, ratio %.2f\n",
              model.c_str(), static_cast<long long>(subset.size()), fp_s, super_s, super_s / fp_s);

  m.model->eval();
  const std::string cache =
      (std::filesystem::temp_directory_path() / "aimcsim_bench_mps_cache").string();
  std::filesystem::remove_all(cache);
  score_mappings(m, supernet, hw, data, o, cache, true, mappings);  // fills the cache
  const double warm = score_mappings(m, supernet, hw, data, o, cache, true, mappings);
  const double none = score_mappings(m, supernet, hw, data, o, cache, false, mappings);
  std::printf(
      "phase 3, %d mappings: %.2f s per mapping with a warm oracle cache, %.2f s without a "
      "cache (ratio %.2f)\n",
      mappings, warm, none, none / warm);
  return 0;
}
