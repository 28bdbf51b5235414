// DAC / ADC quantiser (FACTS.md s.2).
#include "models/analog/bounded_quant.h"

#include <ATen/ATen.h>

#include <cmath>

#include "models/error.h"

namespace aimcsim {

double bounded_quant_step(int bits, double bound) {
  if (bits <= 0 || bound <= 0.0) {
    return 0.0;
  }
  if (bits < 2 || bits > 24) {
    throw Error("quantize_bounded: bits must be in 2..24 (or <= 0 for off), got " +
                std::to_string(bits));
  }
  return 2.0 * bound / (std::ldexp(1.0, bits) - 2.0);
}

at::Tensor quantize_bounded(const at::Tensor& x, int bits, double bound) {
  const double step = bounded_quant_step(bits, bound);
  if (bound <= 0.0) {
    return x.clone();
  }
  // bound / step = 2^(bits-1) - 1 is an integer, so clipping first then rounding equals
  // rounding first then clipping.
  if (!x.requires_grad()) {
    at::Tensor q = x.clamp(-bound, bound);
    if (step > 0.0) {
      q.mul_(1.0 / step).round_().mul_(step);
    }
    return q;
  }
  const at::Tensor clipped = x.clamp(-bound, bound);
  if (step == 0.0) {
    return clipped;
  }
  const at::Tensor rounded = (clipped.detach() * (1.0 / step)).round_().mul_(step);
  return clipped + (rounded - clipped.detach());
}

}  // namespace aimcsim
