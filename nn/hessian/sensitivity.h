// HILAL sensitivity analysis of a zoo model (FACTS.md s.4): per mappable layer l, the
// Hessian block of its weight, its trace, its largest eigenvalue and the two HILAL features.
//
// Contract:
// - The model runs in eval mode with every executor reset (all layers FP32, "all layers
//   digital"); its train/eval mode, executors and the requires_grad flags of its
//   parameters are restored afterwards (also when an exception is thrown).
// - Parameters of a layer = its weight only. The bias is excluded: it is added digitally at
//   full precision on every target (FACTS.md s.2 step 6), so analog noise never perturbs
//   it; d_l, max|W_l| and sigma_l likewise count the weight only (as MappableLayerInfo::
//   weight_count does).
// - sigma_l = gamma * max|W_l|; HNI_l = sigma_l^2 Tr / (2 d_l); SCR_l = lambda_max / Tr;
//   both 0 if Tr <= 0. Estimators of Tr(H_l) and lambda_max(H_l):
//   * kGaussNewton: all selected layers together, without double backward, on the
//     Gauss-Newton blocks G_ll = J_l^T A J_l (nn/hessian/ggn.h), which equal H_ll for models
//     piecewise linear in each weight (ZooModel::hessian_blocks_are_gauss_newton()).
//     Tr(G_ll) by output-space Hutchinson (per batch one forward, `probes` backward passes
//     for all layers, no cross-layer term); lambda_max by Lanczos on each G_ll, each step
//     per batch one forward shared by all layers plus, per running layer, one forward
//     without a graph and one backward. Seconds per layer as for kShared.
//   * kAuto (default): kGaussNewton when the model declares G_ll = H_ll, else kPerLayer;
//     estimator_used() says which one ran, for the report.
//   * kShared: all selected layers together. Tr(H_l) by block traces (one
//     whole-model HVP per probe and batch, `probes` Rademacher probes made of independent
//     blocks; cross-block terms vanish in expectation, FACTS.md s.4 last bullet);
//     lambda_max(H_l) by Lanczos on each H_ll (nn/hessian/block_lanczos.h), all layers
//     sharing each step's forward and first backward, at most `power_steps` steps, a layer
//     stopping once its top Ritz pair's residual is <= lanczos_tol * |lambda|. Per-layer
//     seconds are the shared phases' times divided by the layer count.
//   * kPerLayer (default, the reference): per layer, Hutchinson with `probes` probes and
//     `power_steps` power-iteration steps, each on that layer's block alone.
// - Randomness: layer i (execution order) draws from seeded_generator(mix_seed(seed, i)):
//   kPerLayer its probes, then its power-iteration start; kShared its Lanczos start only,
//   the shared probes coming from seeded_generator(mix_seed(seed, kBlockTraceStream)).
//   So a layer's lambda_max does not depend on which other layers are analysed; with
//   kPerLayer neither does its trace, with kShared the trace's draw does.
// - calibration_batches(): `count` batches of `batch_size` training images chosen by a
//   seeded permutation of the whole split (seeded_generator(mix_seed(seed,
//   kCalibrationStream))), normalised; not the first N, which would follow the file order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/data/fmnist.h"
#include "nn/hessian/hessian.h"
#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

inline constexpr double kHilalGamma = 0.08;  // sigma_l = gamma * max|W_l| (FACTS.md s.4)
inline constexpr std::uint64_t kCalibrationStream = 0x4341'4c49'4221ULL;

enum class SensitivityEstimator { kAuto, kGaussNewton, kShared, kPerLayer };

struct SensitivityOptions {
  int probes = 10;       // Hutchinson probes m (FACTS.md s.4: 10 to 50)
  int power_steps = 20;  // power-iteration steps K (20 to 50); kShared: max Lanczos steps
  // kAuto: kGaussNewton where exact, else kPerLayer (kShared's block traces are noisier
  // than the per-layer Hutchinson at 10 probes: bench_hilal_shared, issue 15).
  SensitivityEstimator estimator = SensitivityEstimator::kAuto;
  // kShared, kGaussNewton: Lanczos stop when residual <= lanczos_tol * |lambda| (eigenvalue error
  // is then far smaller, about residual^2 / gap); assumed, checked by bench_hilal_sensitivity.
  double lanczos_tol = 1e-3;
  double gamma = kHilalGamma;
  std::uint64_t seed = 0;
  bool progress = true;  // progress bar on stderr
};

struct LayerSensitivity {
  std::string name;
  int64_t params = 0;  // d_l, weight elements
  double max_abs_weight = 0.0;
  double sigma = 0.0;           // gamma * max|W_l|
  double trace = 0.0;           // Tr(H_l)
  double lambda_max = 0.0;      // largest-magnitude eigenvalue of H_l (signed)
  double hni = 0.0;             // sigma^2 Tr / (2 d)
  double scr = 0.0;             // lambda_max / Tr
  double seconds = 0.0;         // wall time of this layer's analysis
  double trace_seconds = 0.0;   // of which Hutchinson
  double lambda_seconds = 0.0;  // of which power iteration / Lanczos
  int lambda_steps = 0;         // power-iteration or Lanczos steps run
};

// "auto", "gauss-newton", "shared" or "per-layer".
const char* estimator_name(SensitivityEstimator e);
// The estimator kAuto stands for on `model` (others are returned unchanged).
SensitivityEstimator estimator_used(SensitivityEstimator e, const ZooModel& model);
// Throws aimcsim::Error naming the valid ones.
SensitivityEstimator parse_estimator(const std::string& name);

// HNI and SCR from the other fields (FACTS.md s.4), as analyse_sensitivity() sets them.
void set_hilal_features(LayerSensitivity& s);

std::vector<CalibrationBatch> calibration_batches(const Dataset& train, int count,
                                                  int64_t batch_size, std::uint64_t seed);

// All mappable layers, in execution order; `layers` (non-empty) restricts the analysis to
// the named ones (an unknown name throws aimcsim::Error listing the valid ones).
std::vector<LayerSensitivity> analyse_sensitivity(ZooModel& model,
                                                  const std::vector<CalibrationBatch>& batches,
                                                  const SensitivityOptions& options,
                                                  const std::vector<std::string>& layers = {});

struct BlockTraceResult {
  std::vector<std::string> names;  // every mappable layer, execution order
  std::vector<double> traces;      // Tr(H_ll) estimates
  double seconds = 0.0;
};

// One whole-model HVP per probe and batch over all mappable weights at once (FACTS.md s.4
// last bullet); draws from seeded_generator(mix_seed(seed, kBlockTraceStream)).
BlockTraceResult analyse_block_traces(ZooModel& model, const std::vector<CalibrationBatch>& batches,
                                      int probes, std::uint64_t seed, bool progress = true);

}  // namespace aimcsim::nn
