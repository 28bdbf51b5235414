#include "nn/train/trainer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <random>

#include "models/error.h"
#include "nn/train/augment.h"
#include "nn/train/checkpoint.h"
#include "nn/train/progress_bar.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo.h"

namespace aimcsim::nn {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

uint64_t epoch_seed(uint64_t seed, int epoch) {
  return seed * kGolden + static_cast<uint64_t>(epoch + 1) * 0xBF58476D1CE4E5B9ULL;
}

Dataset head(const Dataset& d, int64_t limit) {
  if (limit <= 0 || limit >= d.size()) return d;
  return Dataset{d.images.slice(0, 0, limit), d.labels.slice(0, 0, limit)};
}

CheckpointMeta meta_of(const TrainOptions& o, const ZooModel& model) {
  CheckpointMeta m;
  m.model_name = model.name();
  m.hyper_parameters = model.hyper_parameters();
  m.epochs_total = o.epochs;
  m.seed = o.seed;
  m.batch_size = o.batch_size;
  m.lr = o.lr;
  m.momentum = o.momentum;
  m.weight_decay = o.weight_decay;
  m.grad_clip = o.grad_clip;
  m.train_limit = o.train_limit;
  m.training = o.hooks.description;
  m.init_from = o.init_from;
  return m;
}

template <typename T>
void require_same(const std::string& path, const char* field, const T& in_ckpt, const T& now) {
  if (in_ckpt != now) {
    throw Error(path + ": cannot resume: checkpoint has " + field + " = " +
                fmt::format("{}", in_ckpt) + " but this run has " + fmt::format("{}", now) +
                " (use the original value or a new --out)");
  }
}

void check_same_recipe(const std::string& path, const CheckpointMeta& c, const CheckpointMeta& n) {
  require_same(path, "model", c.model_name, n.model_name);
  require_same(path, "epochs", c.epochs_total, n.epochs_total);
  require_same(path, "seed", c.seed, n.seed);
  require_same(path, "batch size", c.batch_size, n.batch_size);
  require_same(path, "lr", c.lr, n.lr);
  require_same(path, "momentum", c.momentum, n.momentum);
  require_same(path, "weight decay", c.weight_decay, n.weight_decay);
  require_same(path, "grad clip", c.grad_clip, n.grad_clip);
  require_same(path, "train limit", c.train_limit, n.train_limit);
  require_same(path, "training", c.training, n.training);
  require_same(path, "init checkpoint", c.init_from, n.init_from);
}

std::string format_stats(double loss, double acc) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "loss %.4f acc %.2f%%", loss, 100.0 * acc);
  return buf;
}

}  // namespace

std::pair<double, double> train_epoch(const TrainOptions& o, ZooModel& model,
                                      torch::optim::SGD& optimizer, const Dataset& data,
                                      int epoch) {
  torch::manual_seed(epoch_seed(o.seed, epoch));  // dropout
  std::mt19937_64 rng(epoch_seed(o.seed, epoch) ^ kGolden);
  const auto order = shuffled_indices(data.size(), rng);
  const int64_t steps = (data.size() + o.batch_size - 1) / o.batch_size;
  const int64_t total_steps = steps * o.epochs;
  ProgressBar bar("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(o.epochs), steps,
                  o.progress);
  model.train();
  if (o.hooks.on_epoch_start) o.hooks.on_epoch_start(model, epoch);
  double loss_sum = 0.0;
  int64_t correct = 0, seen = 0;
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t begin = s * o.batch_size;
    const int64_t end = std::min(begin + o.batch_size, data.size());
    if (end - begin < 2) break;  // batchnorm needs two samples
    auto idx =
        torch::from_blob(const_cast<int64_t*>(order.data()) + begin, {end - begin}, torch::kInt64);
    auto x = augment_batch(data.images.index_select(0, idx), rng);
    auto y = data.labels.index_select(0, idx);
    const double step = static_cast<double>(epoch * steps + s);
    const double lr =
        o.cosine_lr ? 0.5 * o.lr * (1.0 + std::cos(std::numbers::pi * step / total_steps)) : o.lr;
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
    }
    // Gradients to none, not zero: a parameter this step does not use (an MPS candidate that
    // is not sampled) then gets no momentum or weight-decay update, so training does not
    // depend on which parameters earlier steps, or an earlier process, touched.
    for (auto& group : optimizer.param_groups()) {
      for (auto& p : group.params()) p.mutable_grad() = torch::Tensor();
    }
    auto logits = model.forward(x);
    auto loss = torch::cross_entropy_loss(logits, y);
    loss.backward();
    if (o.grad_clip > 0) torch::nn::utils::clip_grad_norm_(model.parameters(), o.grad_clip);
    optimizer.step();
    if (o.hooks.after_step) o.hooks.after_step(model);
    loss_sum += loss.item<double>() * static_cast<double>(end - begin);
    correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    seen += end - begin;
    bar.update(s + 1, format_stats(loss_sum / seen, double(correct) / seen));
  }
  bar.finish(format_stats(loss_sum / std::max<int64_t>(seen, 1),
                          double(correct) / std::max<int64_t>(seen, 1)));
  return {loss_sum / std::max<int64_t>(seen, 1), double(correct) / std::max<int64_t>(seen, 1)};
}

namespace {

// FP32 test accuracy: every layer's executor is switched off for the evaluation.
double evaluate_fp32(ZooModel& model, const Dataset& data) {
  std::vector<std::pair<std::shared_ptr<MappableLayer>, MappableLayer::Executor>> saved;
  for (const auto& layer : mappable_layers(model)) {
    saved.emplace_back(layer, layer->executor());
    layer->reset_executor();
  }
  const double accuracy = evaluate(model, data);
  for (auto& [layer, executor] : saved) layer->set_executor(std::move(executor));
  return accuracy;
}

}  // namespace

double evaluate(ZooModel& model, const Dataset& data, int64_t batch_size) {
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  int64_t correct = 0;
  for (int64_t begin = 0; begin < data.size(); begin += batch_size) {
    const int64_t end = std::min(begin + batch_size, data.size());
    auto x = normalise_images(data.images.slice(0, begin, end));
    correct +=
        model.forward(x).argmax(1).eq(data.labels.slice(0, begin, end)).sum().item<int64_t>();
  }
  model.train(was_training);
  return data.size() > 0 ? double(correct) / double(data.size()) : 0.0;
}

TrainResult train(const TrainOptions& options, const std::string& data_dir) {
  return train(options, load_fmnist(Split::kTrain, data_dir), load_fmnist(Split::kTest, data_dir));
}

TrainResult train(const TrainOptions& o, const Dataset& full_train, const Dataset& full_test) {
  if (o.epochs < 1) throw Error("--epochs must be at least 1, got " + std::to_string(o.epochs));
  if (o.batch_size < 2) throw Error("--batch-size must be at least 2");
  if (!(o.lr > 0)) throw Error("--lr must be positive");
  const Dataset train_set = head(full_train, o.train_limit);
  const Dataset test_set = head(full_test, o.test_limit);
  const ModelSpec spec = parse_model_spec(o.model);
  torch::manual_seed(o.seed);
  TrainResult result;
  result.model = make_model(spec);
  ZooModel& model = *result.model;
  torch::optim::SGD optimizer(
      model.parameters(),
      torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  CheckpointMeta meta = meta_of(o, model);
  const bool resuming = o.resume && !o.out.empty() && std::filesystem::exists(o.out);
  if (!o.init_from.empty() && !resuming) {
    const CheckpointMeta init = load_checkpoint(o.init_from, model, nullptr);
    spdlog::info("starting from the weights of {} ({}, {} epochs, test accuracy {:.2f}%)",
                 o.init_from, init.training, init.epochs_done, 100 * init.last_test_accuracy);
  }
  if (resuming) {
    const CheckpointMeta saved = load_checkpoint(o.out, model, &optimizer);
    check_same_recipe(o.out, saved, meta);
    meta = saved;
    spdlog::info("resuming {} from {} after epoch {}/{}", model.name(), o.out, meta.epochs_done,
                 meta.epochs_total);
  } else if (o.resume) {
    spdlog::info("no checkpoint at '{}': training from scratch", o.out);
  }
  if (o.hooks.prepare) o.hooks.prepare(model);
  int run = 0;
  for (int epoch = meta.epochs_done; epoch < o.epochs; ++epoch) {
    if (o.stop_after_epochs > 0 && run == o.stop_after_epochs) break;
    const auto t0 = std::chrono::steady_clock::now();
    const auto [loss, acc] = train_epoch(o, model, optimizer, train_set, epoch);
    EpochStats stats{epoch + 1, loss, acc, evaluate_fp32(model, test_set), 0.0};
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    meta.epochs_done = epoch + 1;
    meta.last_test_accuracy = stats.test_accuracy;
    meta.best_test_accuracy = std::max(meta.best_test_accuracy, stats.test_accuracy);
    char line[128];
    std::snprintf(line, sizeof line, "%d %.5f %.5f %.5f %.1f\n", stats.epoch, loss, acc,
                  stats.test_accuracy, stats.seconds);
    meta.history += line;
    if (!o.out.empty()) save_checkpoint(o.out, meta, model, &optimizer);
    if (o.progress) {
      spdlog::info(
          "epoch {}/{}: train loss {:.4f} acc {:.2f}%, test acc {:.2f}% (best {:.2f}%), "
          "{:.1f} s",
          stats.epoch, o.epochs, loss, 100 * acc, 100 * stats.test_accuracy,
          100 * meta.best_test_accuracy, stats.seconds);
    }
    result.epochs.push_back(stats);
    ++run;
  }
  result.epochs_done = meta.epochs_done;
  result.best_test_accuracy = meta.best_test_accuracy;
  result.last_test_accuracy = meta.last_test_accuracy;
  return result;
}

}  // namespace aimcsim::nn
