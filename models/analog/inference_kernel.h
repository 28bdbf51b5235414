// Fused inference numerics of the analog MVM path (analog_mvm.h steps 1-6, FACTS.md s.2)
// on raw float buffers, for analog_matmul / analog_linear / analog_conv2d without autograd.
//
// MVM input vectors are the columns of a panel: row g * in_features + k holds input k of
// weight group g. The columns form `segments` consecutive segments of `seg_len` columns
// (one image of a convolution, or a run of rows of a linear layer). For every group and
// input block (tile rows) the kernel computes per column: s = max|x| over the block (1 for
// NoiseManagement::kNone; 1 if 0), DAC levels round(clip(x * ((1/s) * in_mult))),
// y = W_norm x (level_gemm.h up to kMaxChainK inputs per block, beyond oneDNN's SGEMM, else
// BLAS), ADC levels clip/round(y * out_mult/in_mult + out_noise * out_mult * N(0,1) [+ w_noise
// term]), times s / out_mult, times the block's out_scale; partial
// sums over blocks add in FP32 into the output and the bias is added after the last block. The
// differentiable path (analog_tile_forward with autograd) computes the same up to float
// rounding (it quantises in input units rather than in levels).
//
// Noise: segment i draws from NormalStream(key, i) (normal_noise.h) in the order (group,
// block; output noise, then w_noise; output row; column). The noise depends on the key and
// the segment numbering only, not on how segments are grouped into panels or spread over
// threads; a panel is computed by one thread. Float32 CPU.
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Optional.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "models/analog/analog_mvm.h"
#include "models/analog/kernel_loops.h"
#include "models/analog/normal_noise.h"
#include "models/params/analog_params.h"

namespace aimcsim {

// One input block (tile rows) of every weight group.
struct KernelBlock {
  std::int64_t k_begin = 0;          // first input of the block, within a group
  std::int64_t k_size = 0;           // inputs in the block
  const float* w = nullptr;          // [G, out, k_size] normalised weights, contiguous
  const float* out_scale = nullptr;  // [G, out] weight scale * alpha; nullptr = 1
};

// Where output o of group g for column l of segment i goes:
// data[i * seg_stride + g * g_stride + o * o_stride + l * l_stride].
struct KernelOutput {
  float* data = nullptr;
  std::int64_t seg_stride = 0;
  std::int64_t g_stride = 0;
  std::int64_t o_stride = 0;
  std::int64_t l_stride = 1;
};

// Per-thread work buffers, reused across panels.
struct KernelScratch {
  std::vector<float> y, y_std, xsq, noise, noise_w, s, r, sc;
};

class InferenceKernel final {
 public:
  // `blocks` cover [0, in_features) in order; `bias` is [G * out] or nullptr. The data
  // pointed to must outlive the kernel. `key` seeds all noise.
  InferenceKernel(std::int64_t groups, std::int64_t in_features, std::int64_t out_features,
                  std::vector<KernelBlock> blocks, const float* bias,
                  const AnalogNumericsParams& params, std::uint64_t key);

  // The whole path for a panel of raw inputs (overwritten with DAC levels).
  void run(float* panel, std::int64_t ld, std::int64_t first_segment, std::int64_t segments,
           std::int64_t seg_len, const KernelOutput& out, KernelScratch& scratch) const;

  // Pieces of run() for callers that write DAC levels while gathering their inputs
  // (convolutions, analog_conv.cpp):
  std::int64_t groups() const { return groups_; }
  const std::vector<KernelBlock>& blocks() const { return blocks_; }
  bool abs_max_scaling() const;  // NoiseManagement::kAbsMax
  const kernel_loops::Dac& dac() const { return dac_; }
  // Given s = block max|x| per column (or 1), sets s = 1 where 0, r = (1/s) * in_mult and
  // sc = s / out_mult.
  void column_scales(float* s, std::int64_t cols, float* r, float* sc) const;
  std::vector<NormalStream> streams(std::int64_t first_segment, std::int64_t segments) const;
  // Steps 3-6 for block `bi` of group g from DAC levels [k_size rows, segments * seg_len
  // columns] with row stride ld.
  void convert(std::int64_t g, std::size_t bi, const float* levels, std::int64_t ld,
               const float* sc, std::int64_t first_segment, std::int64_t segments,
               std::int64_t seg_len, std::vector<NormalStream>& streams, const KernelOutput& out,
               KernelScratch& scratch) const;

 private:
  std::int64_t groups_;
  std::int64_t in_;
  std::int64_t out_;
  std::vector<KernelBlock> blocks_;
  std::vector<std::vector<float>> w_abs_;  // per block |w|, only when w_noise > 0
  const float* bias_;
  AnalogNumericsParams params_;
  std::uint64_t key_;
  float in_mult_, inv_in_mult_, inv_out_mult_, w_sigma_;
  kernel_loops::Dac dac_;
  kernel_loops::Adc adc_;
};

// The kernel of one call on a layer's tile weights: holds contiguous float copies of the
// per-block weights, out scales and bias, and draws the call's noise key from `gen` (one
// 64-bit draw, only if the path is noisy).
class LayerKernel final {
 public:
  LayerKernel(const AnalogLayerWeights& weights, const c10::optional<at::Tensor>& bias,
              const AnalogNumericsParams& params, at::Generator& gen);
  const InferenceKernel& kernel() const { return *kernel_; }

 private:
  std::vector<at::Tensor> keep_;
  std::optional<InferenceKernel> kernel_;
};

// Runs f(begin, end) on disjoint chunks covering [0, n), on ATen's intra-op threads (the
// OpenMP team of its own kernels, at::get_num_threads() of them; BLAS calls inside run
// single-threaded). This library is built without OpenMP, where at::parallel_for would run
// serially, so the split goes through a TensorIterator of libtorch. f may only touch data
// pointers and thread-safe calls; exceptions propagate to the caller.
void parallel_ranges(std::int64_t n, const std::function<void(std::int64_t, std::int64_t)>& f);

// True when the path draws noise (out_noise > 0 or w_noise > 0).
bool path_is_noisy(const AnalogNumericsParams& params);

}  // namespace aimcsim
