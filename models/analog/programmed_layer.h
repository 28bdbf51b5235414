// A layer's weights programmed onto PCM tiles (FACTS.md s.1 and s.2).
//
// Contract:
// - The weight [out, in] (linear) or [G, out, in] (grouped conv, see analog_conv.h) is split
//   evenly into tiles (tile_split.h). Each tile maps its block to one differential pair per
//   weight with one scale per tile: scale = g_max / max|W_tile|, g+ = clamp(W scale, 0, g_max),
//   g- = clamp(-W scale, 0, g_max); both devices are programmed (programming noise + nu).
// - Construction draws programming noise and nu once, then, if drift compensation is on,
//   reads every tile with one-hot inputs through the full noisy analog path (programmed
//   conductances, no drift, no 1/f noise): baseline = mean|y| per tile, averaged over
//   numerics.compensation_reads reads (each with its own output noise).
// - weights_at(t) gives effective per-tile weights at t seconds after programming: drift +
//   a fresh 1/f read-noise draw, and alpha = baseline / mean|y_t| from the same one-hot
//   read at t (alpha = 1 if compensation is off). Repeated calls reuse the programming.
// - All draws come from the generators passed in; same seeds -> bit-identical results.
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <vector>

#include "models/analog/analog_mvm.h"
#include "models/device/pcm_device.h"
#include "models/params/analog_params.h"
#include "models/params/pcm_params.h"

namespace aimcsim {

class ProgrammedLayer final {
 public:
  ProgrammedLayer(const at::Tensor& weight, const PcmParams& pcm,
                  const AnalogNumericsParams& numerics, at::Generator& gen);

  // Effective tile weights at t_inf_s >= 0 seconds after programming.
  AnalogLayerWeights weights_at(double t_inf_s, at::Generator& gen) const;

  const TileSplit& split() const { return split_; }
  std::int64_t groups() const { return groups_; }
  // [G, n_in_blocks, n_out_blocks]: max|W_tile| (the weight that maps to g_max).
  const at::Tensor& weight_scale() const { return weight_scale_; }
  // [G, n_in_blocks, n_out_blocks]: mean|y| of the one-hot read after programming.
  const at::Tensor& compensation_baseline() const { return baseline_; }
  // Programmed devices of input block i, [G, out, in_b] each.
  const PcmProgrammed& g_plus(std::size_t i) const { return g_plus_[i]; }
  const PcmProgrammed& g_minus(std::size_t i) const { return g_minus_[i]; }

 private:
  // Per-tile mean|y| of the one-hot read of w_norm (one input block) -> [G, n_out_blocks].
  at::Tensor one_hot_read(const at::Tensor& w_norm, at::Generator& gen) const;

  PcmParams pcm_;
  AnalogNumericsParams numerics_;
  TileSplit split_;
  std::int64_t groups_ = 1;
  std::int64_t in_features_ = 0;
  std::int64_t out_features_ = 0;
  std::vector<PcmProgrammed> g_plus_;   // per input block
  std::vector<PcmProgrammed> g_minus_;  // per input block
  at::Tensor weight_scale_;
  at::Tensor baseline_;
};

}  // namespace aimcsim
