// INT8 fake-quant and FP16 rounding (FACTS.md s.3).
#include "models/digital/quantize.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "models/error.h"

namespace aimcsim {
namespace {

// clamp(round(x / s), -127, 127) * s with clipped straight-through gradient; s broadcasts.
at::Tensor fake_quant(const at::Tensor& x, const at::Tensor& scale) {
  const at::Tensor bound = scale * kInt8MaxLevel;
  const at::Tensor clipped = at::clamp(x, -bound, bound);  // gradient 1 on [-bound, bound]
  const at::Tensor q = (clipped.detach() / scale).round_().mul_(scale);
  if (!x.requires_grad()) {
    return q;
  }
  return clipped + (q - clipped.detach());
}

}  // namespace

at::Tensor int8_channel_scales(const at::Tensor& w) {
  if (w.dim() < 1) {
    throw Error("int8_channel_scales: weight needs at least one dimension");
  }
  at::Tensor max_abs = w.detach().abs().reshape({w.size(0), -1}).amax(1);
  max_abs.masked_fill_(max_abs == 0, static_cast<double>(kInt8MaxLevel));
  return max_abs / kInt8MaxLevel;
}

at::Tensor fake_quant_int8_per_channel(const at::Tensor& w) {
  std::vector<std::int64_t> shape(static_cast<std::size_t>(w.dim()), 1);
  shape[0] = w.size(0);
  return fake_quant(w, int8_channel_scales(w).view(shape));
}

at::Tensor fake_quant_int8_per_tensor(const at::Tensor& x, double scale) {
  if (!(scale > 0.0)) {
    throw Error("fake_quant_int8_per_tensor: scale must be > 0");
  }
  return fake_quant(x, at::scalar_tensor(scale, x.options().requires_grad(false)));
}

void Int8ActivationCalibrator::observe(const at::Tensor& x) {
  max_abs_ = std::max(max_abs_, x.detach().abs().max().item<double>());
}

double Int8ActivationCalibrator::scale() const {
  return max_abs_ > 0.0 ? max_abs_ / kInt8MaxLevel : 1.0;
}

at::Tensor round_fp16(const at::Tensor& x) {
  const at::Tensor rounded = x.detach().to(at::kHalf).to(x.scalar_type());
  if (!x.requires_grad()) {
    return rounded;
  }
  return x + (rounded - x.detach());
}

}  // namespace aimcsim
