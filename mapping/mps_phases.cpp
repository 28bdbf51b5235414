// MPS training epochs and ranking steps (mps_phases.h).
#include "mapping/mps_phases.h"

#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <memory>
#include <random>

#include "mapping/mps_ranking.h"
#include "mapping/pareto.h"
#include "nn/data/random_subset.h"
#include "nn/eval/layer_numerics.h"
#include "nn/train/trainer.h"

namespace aimcsim::mapping {
namespace {

constexpr std::uint64_t kEpochImages = 0x4D505349;  // "MPSI"
constexpr std::uint64_t kNoiseStream = 0x4D50534E;  // "MPSN"
constexpr std::uint64_t kRankStream = 0x4D505352;   // "MPSR"

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::int64_t steps_per_epoch(const MpsOptions& o, std::int64_t pool) {
  const std::int64_t n = std::min(o.images_per_epoch, pool);
  return (n + o.batch_size - 1) / o.batch_size;
}

}  // namespace

double mps_noise_scale(const MpsOptions& o, int epoch) {
  switch (o.noise) {
    case NoiseSchedule::kNone:
      return 0.0;
    case NoiseSchedule::kConstant:
      return 1.0;
    case NoiseSchedule::kProgressive:
    case NoiseSchedule::kHni:  // the per-layer factors of mps_layer_noise_factors on top
      return epoch < o.phase1_epochs
                 ? 0.0
                 : static_cast<double>(epoch - o.phase1_epochs + 1) / o.phase2_epochs;
  }
  return 0.0;
}

namespace {

// One SGD epoch of phases 1-2 or of the fine-tune: `choice_at(k)` is the subnet of the
// epoch's k-th step (0-based); `on_step` runs after every optimizer step with that subnet.
std::pair<double, double> run_epoch(nn::Supernet& supernet, const MpsOptions& o,
                                    nn::TrainOptions recipe, int epoch, double scale,
                                    const std::vector<double>& factors,
                                    const std::function<std::vector<int>(std::int64_t)>& choice_at,
                                    const std::function<void(const std::vector<int>&)>& on_step,
                                    torch::optim::SGD& sgd, const nn::Dataset& images) {
  recipe.seed = nn::mix_seed(o.seed, 0x4D5053);
  recipe.batch_size = o.batch_size;
  recipe.momentum = o.momentum;
  recipe.weight_decay = o.weight_decay;
  recipe.grad_clip = o.grad_clip;
  recipe.progress = o.progress;
  auto step = std::make_shared<std::int64_t>(0);
  recipe.hooks.on_epoch_start = [&, step, scale](nn::ZooModel&, int e) {
    supernet.set_noise_scale(scale);
    supernet.set_layer_noise_factors(factors);
    supernet.reseed(nn::mix_seed(nn::mix_seed(o.seed, kNoiseStream), static_cast<unsigned>(e)));
    supernet.reset_qat();
    *step = 0;
    supernet.activate(choice_at(0));
  };
  recipe.hooks.after_step = [&, step](nn::ZooModel&) {
    on_step(supernet.active());
    if (o.supernet.analog_hwa) supernet.clip_analog_weights();
    ++*step;
    supernet.activate(choice_at(*step));
  };
  return nn::train_epoch(recipe, supernet.model(), sgd, images, epoch);
}

nn::Dataset epoch_images(const MpsOptions& o, const nn::Dataset& pool, int epoch) {
  return nn::random_subset(
      pool, o.images_per_epoch,
      nn::mix_seed(nn::mix_seed(o.seed, kEpochImages), static_cast<unsigned>(epoch)));
}

}  // namespace

std::vector<double> mps_layer_noise_factors(const MpsOptions& o, int epoch) {
  if (o.noise != NoiseSchedule::kHni || epoch < o.phase1_epochs) return {};
  return hni_noise_factors(o.hni,
                           static_cast<double>(epoch - o.phase1_epochs + 1) / o.phase2_epochs);
}

nlohmann::json train_supernet_epoch(nn::Supernet& supernet, const MpsOptions& o,
                                    const nn::FairnessSampler& sampler, torch::optim::SGD& sgd,
                                    const nn::Dataset& pool, int epoch,
                                    std::vector<std::vector<std::int64_t>>& counts) {
  const auto t0 = std::chrono::steady_clock::now();
  nn::TrainOptions recipe;
  recipe.epochs = o.phase1_epochs + o.phase2_epochs;  // one cosine schedule over phases 1-2
  recipe.lr = o.lr;
  const std::int64_t base = epoch * steps_per_epoch(o, pool.size());
  std::int64_t steps = 0;
  const double scale = mps_noise_scale(o, epoch);
  const std::vector<double> factors = mps_layer_noise_factors(o, epoch);
  const auto [loss, accuracy] = run_epoch(
      supernet, o, recipe, epoch, scale, factors,
      [&](std::int64_t k) { return sampler.subnet(base + k); },
      [&](const std::vector<int>& trained) {
        for (std::size_t l = 0; l < trained.size(); ++l) {
          ++counts[l][static_cast<std::size_t>(trained[l])];
        }
        ++steps;
      },
      sgd, epoch_images(o, pool, epoch));
  nlohmann::json rec = {{"epoch", epoch + 1},          {"phase", epoch < o.phase1_epochs ? 1 : 2},
                        {"noise_scale", scale},        {"train_loss", loss},
                        {"train_accuracy", accuracy},  {"steps", steps},
                        {"seconds", seconds_since(t0)}};
  if (!factors.empty()) rec["layer_noise_factors"] = factors;
  return rec;
}

nlohmann::json finetune_subnet_epoch(nn::Supernet& supernet, const MpsOptions& o,
                                     const std::vector<int>& choice, torch::optim::SGD& sgd,
                                     const nn::Dataset& pool, int finetune_epoch) {
  const auto t0 = std::chrono::steady_clock::now();
  const int epoch = o.phase1_epochs + o.phase2_epochs + finetune_epoch;  // own data and noise
  nn::TrainOptions recipe;
  recipe.epochs = epoch + 1;
  recipe.lr = o.finetune_lr;
  recipe.cosine_lr = false;
  const double scale = o.noise == NoiseSchedule::kNone ? 0.0 : 1.0;
  std::int64_t steps = 0;
  const auto [loss, accuracy] = run_epoch(
      supernet, o, recipe, epoch, scale, {}, [&](std::int64_t) { return choice; },
      [&](const std::vector<int>&) { ++steps; }, sgd, epoch_images(o, pool, epoch));
  return {{"epoch", finetune_epoch + 1}, {"noise_scale", scale}, {"train_loss", loss},
          {"train_accuracy", accuracy},  {"steps", steps},       {"seconds", seconds_since(t0)}};
}

nlohmann::json ranking_step(nn::Supernet& supernet, SubnetScorer& scorer, const MpsOptions& o,
                            torch::optim::Adam& adam, int step) {
  const auto t0 = std::chrono::steady_clock::now();
  const int evaluated_before = scorer.evaluations();
  at::Generator gen = nn::seeded_generator(nn::mix_seed(nn::mix_seed(o.seed, kRankStream), step));
  const torch::Tensor probs = supernet.log_probs().detach().exp();
  std::vector<std::vector<int>> choices;
  std::vector<Objectives> points;
  for (int i = 0; i < o.samples_per_step; ++i) {
    std::vector<int> choice;
    for (std::int64_t l = 0; l < probs.size(0); ++l) {
      choice.push_back(
          static_cast<int>(torch::multinomial(probs[l], 1, false, gen).item<std::int64_t>()));
    }
    points.push_back(objectives(scorer.score(choice)));
    choices.push_back(std::move(choice));
  }
  const std::vector<int> ranks = non_dominated_ranks(points);
  adam.zero_grad();
  const torch::Tensor loss = pairwise_hinge_loss(supernet.log_probs(), choices, ranks, o.margin);
  loss.backward();
  adam.step();
  return {{"step", step + 1},
          {"loss", loss.item<double>()},
          {"samples", choices},
          {"ranks", ranks},
          {"argmax", supernet.argmax()},
          {"evaluated", scorer.evaluations() - evaluated_before},
          {"seconds", seconds_since(t0)}};
}

}  // namespace aimcsim::mapping
