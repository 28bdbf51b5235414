#include "nn/hessian/sensitivity.h"

#include <torch/torch.h>

#include <fmt/format.h>
#include <chrono>
#include <cmath>
#include <memory>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/train/progress_bar.h"
#include "nn/zoo/mappable.h"

namespace aimcsim::nn {
namespace {

constexpr std::uint64_t kBlockTraceStream = 0x424c'4f43'4b54ULL;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Puts the model into the analysis state (eval, FP32 layers, no parameter requiring grad)
// and restores mode, executors and requires_grad flags on destruction.
class AnalysisState {
 public:
  explicit AnalysisState(ZooModel& model)
      : model_(model), training_(model.is_training()), layers_(mappable_layers(model)) {
    for (const auto& l : layers_) executors_.push_back(l->executor());
    for (const auto& p : model.parameters()) {
      params_.push_back(p);
      requires_grad_.push_back(p.requires_grad());
      p.set_requires_grad(false);
    }
    for (const auto& l : layers_) l->reset_executor();
    model.eval();
  }
  ~AnalysisState() {
    for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->set_executor(executors_[i]);
    for (std::size_t i = 0; i < params_.size(); ++i)
      params_[i].set_requires_grad(requires_grad_[i]);
    model_.train(training_);
  }
  AnalysisState(const AnalysisState&) = delete;
  AnalysisState& operator=(const AnalysisState&) = delete;
  const std::vector<std::shared_ptr<MappableLayer>>& layers() const { return layers_; }

 private:
  ZooModel& model_;
  bool training_;
  std::vector<std::shared_ptr<MappableLayer>> layers_;
  std::vector<MappableLayer::Executor> executors_;
  std::vector<at::Tensor> params_;
  std::vector<bool> requires_grad_;
};

ForwardFn forward_of(ZooModel& model) {
  return [&model](const at::Tensor& x) { return model.forward(x); };
}

std::vector<std::size_t> select_layers(const std::vector<std::shared_ptr<MappableLayer>>& all,
                                       const std::vector<std::string>& names) {
  std::vector<std::size_t> out;
  if (names.empty()) {
    for (std::size_t i = 0; i < all.size(); ++i) out.push_back(i);
    return out;
  }
  for (const auto& n : names) {
    std::size_t i = 0;
    while (i < all.size() && all[i]->name() != n) ++i;
    if (i == all.size()) {
      std::string valid;
      for (const auto& l : all) valid += (valid.empty() ? "" : ", ") + l->name();
      throw Error("Hessian analysis: no mappable layer '" + n + "'; valid: " + valid);
    }
    out.push_back(i);
  }
  return out;
}

}  // namespace

void set_hilal_features(LayerSensitivity& s) {
  if (s.trace > 0.0 && s.params > 0) {
    s.hni = s.sigma * s.sigma * s.trace / (2.0 * static_cast<double>(s.params));
    s.scr = s.lambda_max / s.trace;
  } else {
    s.hni = 0.0;
    s.scr = 0.0;
  }
}

std::vector<CalibrationBatch> calibration_batches(const Dataset& train, int count,
                                                  int64_t batch_size, std::uint64_t seed) {
  if (count < 1 || batch_size < 1) {
    throw Error(fmt::format("calibration batches: need >= 1 batch of >= 1 image, got {} x {}",
                            count, batch_size));
  }
  const int64_t needed = count * batch_size;
  if (needed > train.size()) {
    throw Error(
        fmt::format("calibration batches: {} x {} = {} images requested, the training "
                    "split has {}",
                    count, batch_size, needed, train.size()));
  }
  at::Generator gen = seeded_generator(mix_seed(seed, kCalibrationStream));
  const at::Tensor order = at::randperm(train.size(), gen, at::kLong).slice(0, 0, needed);
  std::vector<CalibrationBatch> out;
  for (int b = 0; b < count; ++b) {
    const at::Tensor idx = order.slice(0, b * batch_size, (b + 1) * batch_size);
    out.push_back(
        {normalise_images(train.images.index_select(0, idx)), train.labels.index_select(0, idx)});
  }
  return out;
}

std::vector<LayerSensitivity> analyse_sensitivity(ZooModel& model,
                                                  const std::vector<CalibrationBatch>& batches,
                                                  const SensitivityOptions& o,
                                                  const std::vector<std::string>& layer_names) {
  AnalysisState state(model);
  const auto selected = select_layers(state.layers(), layer_names);
  const auto steps_per_layer = static_cast<int64_t>((o.probes + o.power_steps) * batches.size());
  ProgressBar bar("HILAL sensitivity", steps_per_layer * static_cast<int64_t>(selected.size()),
                  o.progress);
  int64_t done = 0;
  std::string stats;
  auto tick = [&] { bar.update(++done, stats); };
  std::vector<LayerSensitivity> out;
  for (std::size_t i : selected) {
    const auto t0 = std::chrono::steady_clock::now();
    const MappableLayer& layer = *state.layers()[i];
    const at::Tensor& w = layer.weight();
    w.set_requires_grad(true);
    LayerSensitivity s;
    s.name = layer.name();
    s.params = w.numel();
    {
      HessianOperator h(forward_of(model), batches, {w});
      at::Generator gen = seeded_generator(mix_seed(o.seed, i));
      s.trace = hutchinson_trace(h, o.probes, gen, tick);
      s.trace_seconds = seconds_since(t0);
      s.lambda_max = power_iteration(h, o.power_steps, gen, tick);
      s.lambda_seconds = seconds_since(t0) - s.trace_seconds;
    }
    w.set_requires_grad(false);
    s.max_abs_weight = w.abs().max().item<double>();
    s.sigma = o.gamma * s.max_abs_weight;
    set_hilal_features(s);
    s.seconds = seconds_since(t0);
    stats = fmt::format("{} {:.1f}s", s.name, s.seconds);
    out.push_back(s);
  }
  bar.finish(stats);
  return out;
}

BlockTraceResult analyse_block_traces(ZooModel& model, const std::vector<CalibrationBatch>& batches,
                                      int probes, std::uint64_t seed, bool progress) {
  const auto t0 = std::chrono::steady_clock::now();
  AnalysisState state(model);
  BlockTraceResult r;
  TensorList weights;
  for (const auto& l : state.layers()) {
    l->weight().set_requires_grad(true);
    weights.push_back(l->weight());
    r.names.push_back(l->name());
  }
  ProgressBar bar("block traces",
                  static_cast<int64_t>(probes) * static_cast<int64_t>(batches.size()), progress);
  int64_t done = 0;
  HessianOperator h(forward_of(model), batches, weights);
  at::Generator gen = seeded_generator(mix_seed(seed, kBlockTraceStream));
  r.traces = block_traces(h, probes, gen, [&] { bar.update(++done, ""); });
  bar.finish("");
  r.seconds = seconds_since(t0);
  return r;
}

}  // namespace aimcsim::nn
