// MPS training epochs and ranking steps (mps_phases.h).
#include "mapping/mps_phases.h"

#include <torch/torch.h>

#include <chrono>
#include <random>

#include "mapping/mps_ranking.h"
#include "mapping/pareto.h"
#include "nn/eval/layer_numerics.h"
#include "nn/data/random_subset.h"
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
      return epoch < o.phase1_epochs
                 ? 0.0
                 : static_cast<double>(epoch - o.phase1_epochs + 1) / o.phase2_epochs;
  }
  return 0.0;
}

nlohmann::json train_supernet_epoch(nn::Supernet& supernet, const MpsOptions& o,
                                    const nn::FairnessSampler& sampler, torch::optim::SGD& sgd,
                                    const nn::Dataset& pool, int epoch,
                                    std::vector<std::vector<std::int64_t>>& counts) {
  const auto t0 = std::chrono::steady_clock::now();
  nn::TrainOptions recipe;
  recipe.epochs = o.phase1_epochs + o.phase2_epochs;
  recipe.seed = nn::mix_seed(o.seed, 0x4D5053);
  recipe.batch_size = o.batch_size;
  recipe.lr = o.lr;
  recipe.momentum = o.momentum;
  recipe.weight_decay = o.weight_decay;
  recipe.grad_clip = o.grad_clip;
  recipe.progress = o.progress;
  const std::int64_t base = epoch * steps_per_epoch(o, pool.size());
  auto step = std::make_shared<std::int64_t>(0);
  const double scale = mps_noise_scale(o, epoch);
  recipe.hooks.on_epoch_start = [&, step, scale](nn::ZooModel&, int e) {
    supernet.set_noise_scale(scale);
    supernet.reseed(nn::mix_seed(nn::mix_seed(o.seed, kNoiseStream), static_cast<unsigned>(e)));
    supernet.reset_qat();
    *step = 0;
    supernet.activate(sampler.subnet(base));
  };
  recipe.hooks.after_step = [&, step](nn::ZooModel&) {
    const std::vector<int>& trained = supernet.active();
    for (std::size_t l = 0; l < trained.size(); ++l) {
      ++counts[l][static_cast<std::size_t>(trained[l])];
    }
    if (o.supernet.analog_hwa) supernet.clip_analog_weights();
    ++*step;
    supernet.activate(sampler.subnet(base + *step));
  };
  const nn::Dataset images = nn::random_subset(
      pool, o.images_per_epoch,
      nn::mix_seed(nn::mix_seed(o.seed, kEpochImages), static_cast<unsigned>(epoch)));
  const auto [loss, accuracy] = nn::train_epoch(recipe, supernet.model(), sgd, images, epoch);
  return {{"epoch", epoch + 1},
          {"phase", epoch < o.phase1_epochs ? 1 : 2},
          {"noise_scale", scale},
          {"train_loss", loss},
          {"train_accuracy", accuracy},
          {"steps", *step},
          {"seconds", seconds_since(t0)}};
}

nlohmann::json ranking_step(nn::Supernet& supernet, SubnetScorer& scorer, const MpsOptions& o,
                            torch::optim::Adam& adam, int step) {
  const auto t0 = std::chrono::steady_clock::now();
  const int evaluated_before = scorer.evaluations();
  at::Generator gen =
      nn::seeded_generator(nn::mix_seed(nn::mix_seed(o.seed, kRankStream), step));
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
