// Digital precisions (FACTS.md s.3): INT8 fake-quant and FP16 rounding, as tensor ops with
// straight-through gradients for quantisation-aware training.
//
// Contract:
// - INT8 is symmetric: q = clamp(round(x / scale), -127, 127) * scale (255 levels, 0 exact).
//   Weights: one scale per output channel (dim 0), scale_c = max|W_c| / 127 (a zero channel
//   gets scale 1). Activations: one per-tensor scale from a calibration pass.
// - Gradients: identity inside [-127 scale, 127 scale], zero outside (clipped STE); scales
//   carry no gradient.
// - FP16: round to IEEE half and back to float32, so that matmuls accumulate in FP32.
#pragma once

#include <ATen/core/Tensor.h>

namespace aimcsim {

inline constexpr int kInt8MaxLevel = 127;

// Per-output-channel weight scales [C_out] (dim 0 of w), max|W_c| / 127.
at::Tensor int8_channel_scales(const at::Tensor& w);

// Fake-quantised weight: per-output-channel symmetric INT8 (scales from int8_channel_scales).
at::Tensor fake_quant_int8_per_channel(const at::Tensor& w);

// Fake-quantised tensor with one scale (activations).
at::Tensor fake_quant_int8_per_tensor(const at::Tensor& x, double scale);

// Calibrates the per-tensor activation scale: observes batches, scale = running max|x| / 127.
class Int8ActivationCalibrator final {
 public:
  void observe(const at::Tensor& x);
  // Scale for fake_quant_int8_per_tensor; 1.0 until a non-zero value was observed.
  double scale() const;
  double max_abs() const { return max_abs_; }

 private:
  double max_abs_ = 0.0;
};

// x rounded to IEEE half precision, returned as x's dtype; straight-through gradient.
at::Tensor round_fp16(const at::Tensor& x);

}  // namespace aimcsim
