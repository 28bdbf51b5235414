// The DAC / ADC quantiser of an analog tile (FACTS.md s.2 steps 2 and 5).
//
// Contract: q(x) = clip(round(x / step) * step, -bound, bound), step = 2 bound / (2^bits - 2),
// so there are 2^bits - 1 levels, symmetric around 0, and +-bound are levels. bits <= 0
// disables rounding; bound <= 0 disables clipping (and rounding, which needs a bound).
// Gradient (for training): straight-through for the rounding, zero outside the bounds.
// Works on any float tensor; returns a new tensor of the same shape and dtype.
#pragma once

#include <ATen/core/Tensor.h>

namespace aimcsim {

// Step of the quantiser, in the units of x; 0 when rounding is disabled.
double bounded_quant_step(int bits, double bound);

at::Tensor quantize_bounded(const at::Tensor& x, int bits, double bound);

}  // namespace aimcsim
