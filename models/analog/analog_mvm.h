// The analog MVM path of a layer split over tiles (FACTS.md s.2), batched per op.
//
// Per tile and input vector: (1) noise management divides x by s = max|x| over the tile's
// inputs (kAbsMax) or s = 1 (kNone); (2) DAC quantise/clip with inp_bound; (3) y = W_norm x
// with W_norm = W_tile / max|W_tile| (max|W| = 1 maps to g_max); (4) y += out_noise N(0,1)
// and, if w_noise > 0, y_i += w_noise sqrt(sum_j |W_ij| x_j^2) N(0,1); (5) ADC
// quantise/clip with out_bound; (6) times s, times the tile's weight scale and drift
// compensation alpha. Partial sums over input blocks add at full precision (FP32).
//
// Layouts: G independent weight groups (G = 1 for linear layers, G = groups for grouped
// convolutions); each (group, input block, output block) is its own tile. Float32 CPU.
// All noise comes from the generator passed in; same seed -> bit-identical outputs.
// Two implementations of the same numerics: without autograd (GradMode off, or nothing
// requiring grad) the fused inference kernel (inference_kernel.h: noise from ziggurat
// streams keyed by one draw of the generator per call); with autograd (training) ATen ops
// with straight-through gradients for the quantisers and additive noise (at::randn).
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Optional.h>

#include <vector>

#include "models/analog/tile_split.h"
#include "models/params/analog_params.h"

namespace aimcsim {

// A layer's effective per-tile weights at one moment (one programming, one time t).
struct AnalogLayerWeights {
  TileSplit split;                    // tiles over [out_features x in_features] of each group
  std::int64_t groups = 1;            // G
  std::int64_t in_features = 0;       // per group
  std::int64_t out_features = 0;      // per group
  std::vector<at::Tensor> w_norm;     // per input block: [G, out, in_b], output blocks stacked
  std::vector<at::Tensor> out_scale;  // per input block: [G, out] = weight scale * alpha
  at::Tensor weight_scale;            // [G, n_in_blocks, n_out_blocks]: max|W_tile|
  at::Tensor alpha;                   // [G, n_in_blocks, n_out_blocks]: drift compensation
};

// Exact (unprogrammed) tile weights of w [out, in] or [G, out, in]: per-tile scales are
// max|W_tile| (detached; a zero tile gets scale 1), alpha = 1. Keeps w's autograd graph,
// so training can use it with analog_matmul.
AnalogLayerWeights exact_layer_weights(const at::Tensor& w, const AnalogNumericsParams& params);

// Expands per-output-block values [G, n_out_blocks] to per-output values [G, out].
at::Tensor expand_over_blocks(const at::Tensor& per_block, const std::vector<BlockRange>& blocks);

// Steps (1)-(5) for one input block: x [G, N, in_b], w_norm [G, out, in_b] -> [G, N, out],
// in units of x times normalised weight units (step 6's scales not applied).
at::Tensor analog_tile_forward(const at::Tensor& x, const at::Tensor& w_norm,
                               const AnalogNumericsParams& params, at::Generator& gen);

// The full path: x [G, N, in] -> y [G, N, out].
at::Tensor analog_matmul(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const AnalogNumericsParams& params, at::Generator& gen);

// True when the call must keep an autograd graph: GradMode on and x, the bias or the
// weights (w_norm, out_scale) require grad.
bool analog_needs_autograd(const AnalogLayerWeights& weights, const at::Tensor& x,
                           const c10::optional<at::Tensor>& bias);

// Linear layer (G = 1): x [N, in] -> [N, out], bias [out] added digitally.
at::Tensor analog_linear(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const c10::optional<at::Tensor>& bias, const AnalogNumericsParams& params,
                         at::Generator& gen);

}  // namespace aimcsim
