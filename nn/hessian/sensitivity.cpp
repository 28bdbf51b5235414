#include "nn/hessian/sensitivity.h"

#include <torch/torch.h>

#include <fmt/format.h>
#include <chrono>
#include <cmath>
#include <memory>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/hessian/analysis_state.h"
#include "nn/hessian/block_lanczos.h"
#include "nn/hessian/ggn.h"
#include "nn/train/progress_bar.h"
#include "nn/zoo/mappable.h"

namespace aimcsim::nn {
namespace {

constexpr std::uint64_t kBlockTraceStream = 0x424c'4f43'4b54ULL;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

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

namespace {

LayerSensitivity layer_result(const MappableLayer& layer, const SensitivityOptions& o) {
  LayerSensitivity s;
  s.name = layer.name();
  s.params = layer.weight().numel();
  s.max_abs_weight = layer.weight().abs().max().item<double>();
  s.sigma = o.gamma * s.max_abs_weight;
  return s;
}

std::vector<LayerSensitivity> per_layer(ZooModel& model, const AnalysisState& state,
                                        const std::vector<CalibrationBatch>& batches,
                                        const SensitivityOptions& o,
                                        const std::vector<std::size_t>& selected) {
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
    LayerSensitivity s = layer_result(layer, o);
    {
      HessianOperator h(forward_of(model), batches, {w});
      at::Generator gen = seeded_generator(mix_seed(o.seed, i));
      s.trace = hutchinson_trace(h, o.probes, gen, tick);
      s.trace_seconds = seconds_since(t0);
      s.lambda_max = power_iteration(h, o.power_steps, gen, tick);
      s.lambda_seconds = seconds_since(t0) - s.trace_seconds;
      s.lambda_steps = o.power_steps;
    }
    w.set_requires_grad(false);
    set_hilal_features(s);
    s.seconds = seconds_since(t0);
    stats = fmt::format("{} {:.1f}s", s.name, s.seconds);
    out.push_back(s);
  }
  bar.finish(stats);
  return out;
}

// kShared or kGaussNewton: every selected layer at once.
std::vector<LayerSensitivity> all_at_once(ZooModel& model, const AnalysisState& state,
                                          const std::vector<CalibrationBatch>& batches,
                                          const SensitivityOptions& o,
                                          const std::vector<std::size_t>& selected,
                                          bool gauss_newton) {
  const auto t0 = std::chrono::steady_clock::now();
  TensorList weights, starts;
  std::vector<LayerSensitivity> out;
  for (std::size_t i : selected) {
    const MappableLayer& layer = *state.layers()[i];
    out.push_back(layer_result(layer, o));
    weights.push_back(layer.weight());
    at::Generator gen = seeded_generator(mix_seed(o.seed, i));
    starts.push_back(at::randn(layer.weight().sizes(), gen, layer.weight().options()));
    layer.weight().set_requires_grad(true);
  }
  ProgressBar bar(gauss_newton ? "HILAL sensitivity (Gauss-Newton)" : "HILAL sensitivity (shared)",
                  static_cast<int64_t>((o.probes + o.power_steps) * batches.size()), o.progress);
  int64_t done = 0;
  std::string stats = "traces";
  auto tick = [&] { bar.update(++done, stats); };
  at::Generator gen = seeded_generator(mix_seed(o.seed, kBlockTraceStream));
  std::vector<double> traces;
  std::vector<BlockEigen> eig;
  double trace_s = 0.0;
  if (gauss_newton) {
    const GgnBlockOperator g(forward_of(model), batches, weights);
    traces = g.block_traces(o.probes, gen, tick);
    trace_s = seconds_since(t0);
    stats = "lambda_max";
    eig = block_lanczos(
        [&](const TensorList& v, const std::vector<bool>& active) {
          return g.block_product(v, active, tick);
        },
        starts, o.power_steps, o.lanczos_tol);
  } else {
    const HessianOperator h(forward_of(model), batches, weights);
    traces = block_traces(h, o.probes, gen, tick);
    trace_s = seconds_since(t0);
    stats = "lambda_max";
    eig = block_lanczos(h, starts, o.power_steps, o.lanczos_tol, tick);
  }
  const double lambda_s = seconds_since(t0) - trace_s;
  for (const auto& w : weights) w.set_requires_grad(false);
  const double n = static_cast<double>(out.size());
  for (std::size_t j = 0; j < out.size(); ++j) {
    out[j].trace = traces[j];
    out[j].lambda_max = eig[j].lambda_max;
    out[j].lambda_steps = eig[j].steps;
    out[j].trace_seconds = trace_s / n;
    out[j].lambda_seconds = lambda_s / n;
    out[j].seconds = (trace_s + lambda_s) / n;
    set_hilal_features(out[j]);
  }
  bar.finish(fmt::format("{} layers {:.1f}s", out.size(), trace_s + lambda_s));
  return out;
}

}  // namespace

const char* estimator_name(SensitivityEstimator e) {
  switch (e) {
    case SensitivityEstimator::kAuto:
      return "auto";
    case SensitivityEstimator::kGaussNewton:
      return "gauss-newton";
    case SensitivityEstimator::kShared:
      return "shared";
    case SensitivityEstimator::kPerLayer:
      return "per-layer";
  }
  return "?";
}

SensitivityEstimator parse_estimator(const std::string& name) {
  for (auto e : {SensitivityEstimator::kAuto, SensitivityEstimator::kGaussNewton,
                 SensitivityEstimator::kShared, SensitivityEstimator::kPerLayer}) {
    if (name == estimator_name(e)) return e;
  }
  throw Error("Hessian analysis: unknown estimator '" + name +
              "'; valid: auto, gauss-newton, shared, per-layer");
}

SensitivityEstimator estimator_used(SensitivityEstimator e, const ZooModel& model) {
  if (e != SensitivityEstimator::kAuto) return e;
  return model.hessian_blocks_are_gauss_newton() ? SensitivityEstimator::kGaussNewton
                                                 : SensitivityEstimator::kPerLayer;
}

std::vector<LayerSensitivity> analyse_sensitivity(ZooModel& model,
                                                  const std::vector<CalibrationBatch>& batches,
                                                  const SensitivityOptions& o,
                                                  const std::vector<std::string>& layer_names) {
  AnalysisState state(model);
  const auto selected = select_layers(state.layers(), layer_names);
  switch (estimator_used(o.estimator, model)) {
    case SensitivityEstimator::kShared:
      return all_at_once(model, state, batches, o, selected, /*gauss_newton=*/false);
    case SensitivityEstimator::kGaussNewton:
      return all_at_once(model, state, batches, o, selected, /*gauss_newton=*/true);
    default:
      return per_layer(model, state, batches, o, selected);
  }
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
