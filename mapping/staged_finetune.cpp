// One stage of noisy fine-tuning with early stopping (staged_finetune.h).
#include "mapping/staged_finetune.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <chrono>
#include <random>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/hwa_training.h"
#include "nn/train/trainer.h"
#include "nn/zoo/mappable.h"

namespace aimcsim::mapping {
namespace {

constexpr std::uint64_t kEpochImagesStream = 0x494D47;  // "IMG"

// `n` distinct images of `pool`, drawn by a partial Fisher-Yates shuffle (all if n >= size).
nn::Dataset sample_images(const nn::Dataset& pool, std::int64_t n, std::uint64_t seed) {
  const std::int64_t size = pool.size();
  if (n >= size) return pool;
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> index(static_cast<std::size_t>(size));
  for (std::int64_t i = 0; i < size; ++i) index[static_cast<std::size_t>(i)] = i;
  for (std::int64_t i = 0; i < n; ++i) {
    std::uniform_int_distribution<std::int64_t> pick(i, size - 1);
    std::swap(index[static_cast<std::size_t>(i)], index[static_cast<std::size_t>(pick(rng))]);
  }
  auto chosen = torch::from_blob(index.data(), {n}, torch::kInt64).clone();
  return nn::Dataset{pool.images.index_select(0, chosen), pool.labels.index_select(0, chosen)};
}

nn::TrainOptions epoch_recipe(const StageOptions& o, std::uint64_t stage_seed) {
  nn::TrainOptions t;
  t.epochs = o.max_epochs;
  t.seed = stage_seed;
  t.batch_size = o.batch_size;
  t.lr = o.lr;
  t.momentum = o.momentum;
  t.weight_decay = o.weight_decay;
  t.grad_clip = o.grad_clip;
  t.progress = o.progress;
  t.cosine_lr = false;
  return t;
}

void check_options(const StageOptions& o, const FinetuneData& data) {
  if (o.images_per_epoch < 2) throw Error("fine-tuning: images per epoch must be at least 2");
  if (o.max_epochs < 1) throw Error("fine-tuning: max epochs per stage must be at least 1");
  if (o.patience < 1) throw Error("fine-tuning: patience must be at least 1");
  if (o.batch_size < 2) throw Error("fine-tuning: batch size must be at least 2");
  if (!(o.lr > 0)) throw Error("fine-tuning: lr must be positive");
  if (data.train.size() < 2) throw Error("fine-tuning: the training pool is empty");
  if (data.validation.size() < 1) throw Error("fine-tuning: the validation split is empty");
  if (o.validation_images < 0 || o.validation_images > data.validation.size()) {
    throw Error(fmt::format(
        "fine-tuning: stage validation images {} (expected 0 for all, or 1 to the {} of the "
        "validation split)",
        o.validation_images, data.validation.size()));
  }
}

}  // namespace

FinetuneData split_validation(const nn::Dataset& full_train, std::int64_t validation_images) {
  const std::int64_t n = full_train.size();
  if (validation_images < 1 || validation_images >= n) {
    throw Error(
        fmt::format("validation split: {} of {} training images requested (expected 1 "
                    "to {})",
                    validation_images, n, n - 1));
  }
  const std::int64_t cut = n - validation_images;
  return FinetuneData{
      nn::Dataset{full_train.images.slice(0, 0, cut), full_train.labels.slice(0, 0, cut)},
      nn::Dataset{full_train.images.slice(0, cut, n), full_train.labels.slice(0, cut, n)}};
}

std::string early_stop_rule_name(EarlyStopRule rule) {
  return rule == EarlyStopRule::kNoImprovement ? "no-improvement" : "below-best";
}

EarlyStopper::EarlyStopper(EarlyStopRule rule, int patience) : rule_(rule), patience_(patience) {}

bool EarlyStopper::record(int epoch, double accuracy) {
  if (best_epoch_ < 0 || accuracy > best_) {
    best_ = accuracy;
    best_epoch_ = epoch;
    bad_in_a_row_ = 0;
    return true;
  }
  const bool bad = rule_ == EarlyStopRule::kNoImprovement || accuracy < best_;
  bad_in_a_row_ = bad ? bad_in_a_row_ + 1 : 0;
  return false;
}

WeightSnapshot::WeightSnapshot(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (const auto& p : model.named_parameters()) tensors_.push_back(p.value().detach().clone());
  for (const auto& b : model.named_buffers()) tensors_.push_back(b.value().detach().clone());
}

void WeightSnapshot::restore(torch::nn::Module& model) const {
  torch::NoGradGuard no_grad;
  std::size_t i = 0;
  for (const auto& p : model.named_parameters()) p.value().copy_(tensors_.at(i++));
  for (const auto& b : model.named_buffers()) b.value().copy_(tensors_.at(i++));
}

bool WeightSnapshot::equals(torch::nn::Module& model) const {
  std::size_t i = 0;
  for (const auto& p : model.named_parameters()) {
    if (!torch::equal(p.value(), tensors_.at(i++))) return false;
  }
  for (const auto& b : model.named_buffers()) {
    if (!torch::equal(b.value(), tensors_.at(i++))) return false;
  }
  return i == tensors_.size();
}

StageResult finetune_stage(nn::ZooModel& model, const Mapping& mapping, const FinetuneData& data,
                           const StageOptions& options, const HwaSetup& hwa,
                           std::uint64_t stage_seed, const ValidationHook& validation) {
  check_options(options, data);
  const auto start = std::chrono::steady_clock::now();
  nn::HwaTrainSetup setup;
  setup.mapping = "stage";
  setup.numerics = hwa.numerics;
  setup.hwa = hwa.hwa;
  nn::TrainOptions recipe = epoch_recipe(options, stage_seed);
  recipe.hooks = nn::make_hwa_hooks(mapping, setup, stage_seed);
  recipe.hooks.prepare(model);
  torch::optim::SGD optimizer(model.parameters(), torch::optim::SGDOptions(options.lr)
                                                      .momentum(options.momentum)
                                                      .weight_decay(options.weight_decay));
  StageResult result;
  const auto seconds_since = [](std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const nn::Dataset stage_validation =
      options.validation_images > 0 ? nn::dataset_head(data.validation, options.validation_images)
                                    : data.validation;
  auto validate = [&](int epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    double accuracy = 0.0;
    if (validation) {
      accuracy = validation(model, epoch);
    } else {
      recipe.hooks.before_eval(model);
      accuracy = nn::evaluate(model, stage_validation);
    }
    result.validation_seconds += seconds_since(t0);
    return accuracy;
  };
  EarlyStopper stopper(options.rule, options.patience);
  result.validation_accuracy.push_back(validate(0));
  stopper.record(0, result.validation_accuracy.back());
  WeightSnapshot best(model);
  for (int epoch = 1; epoch <= options.max_epochs && !stopper.should_stop(); ++epoch) {
    const nn::Dataset images = sample_images(
        data.train, options.images_per_epoch,
        nn::mix_seed(nn::mix_seed(stage_seed, kEpochImagesStream), static_cast<unsigned>(epoch)));
    const auto t_train = std::chrono::steady_clock::now();
    nn::train_epoch(recipe, model, optimizer, images, epoch - 1);
    result.training_seconds += seconds_since(t_train);
    result.validation_accuracy.push_back(validate(epoch));
    result.epochs_trained = epoch;
    if (stopper.record(epoch, result.validation_accuracy.back())) best = WeightSnapshot(model);
    if (options.progress) {
      spdlog::info("  epoch {}: validation accuracy {:.2f}% (best {:.2f}% at epoch {})", epoch,
                   100 * result.validation_accuracy.back(), 100 * stopper.best_accuracy(),
                   stopper.best_epoch());
    }
  }
  for (const auto& layer : nn::mappable_layers(model)) layer->reset_executor();
  best.restore(model);
  model.eval();
  result.best_epoch = stopper.best_epoch();
  result.best_validation_accuracy = stopper.best_accuracy();
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace aimcsim::mapping
