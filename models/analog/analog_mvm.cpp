// Analog MVM path over tiles (FACTS.md s.2).
#include "models/analog/analog_mvm.h"

#include <ATen/ATen.h>

#include <cmath>
#include <string>

#include "models/analog/bounded_quant.h"
#include "models/error.h"

namespace aimcsim {
namespace {

std::string shape_str(const at::Tensor& t) {
  std::string s = "[";
  for (std::int64_t d = 0; d < t.dim(); ++d) {
    s += (d ? ", " : "") + std::to_string(t.size(d));
  }
  return s + "]";
}

}  // namespace

at::Tensor expand_over_blocks(const at::Tensor& per_block, const std::vector<BlockRange>& blocks) {
  std::vector<std::int64_t> sizes;
  sizes.reserve(blocks.size());
  for (const BlockRange& b : blocks) {
    sizes.push_back(b.size);
  }
  return per_block.repeat_interleave(at::tensor(sizes, at::kLong), 1);
}

AnalogLayerWeights exact_layer_weights(const at::Tensor& w, const AnalogNumericsParams& params) {
  if (w.dim() != 2 && w.dim() != 3) {
    throw Error("exact_layer_weights: weight must be [out, in] or [G, out, in], got " +
                shape_str(w));
  }
  const at::Tensor w3 = w.dim() == 2 ? w.unsqueeze(0) : w;
  AnalogLayerWeights lw;
  lw.groups = w3.size(0);
  lw.out_features = w3.size(1);
  lw.in_features = w3.size(2);
  lw.split = plan_tile_split(lw.in_features, lw.out_features, params.tile_rows, params.tile_cols);
  std::vector<at::Tensor> scales_per_in;
  for (const BlockRange& ib : lw.split.in_blocks) {
    const at::Tensor wb = w3.narrow(2, ib.begin, ib.size);
    std::vector<at::Tensor> per_out;
    for (const BlockRange& ob : lw.split.out_blocks) {
      per_out.push_back(wb.narrow(1, ob.begin, ob.size).detach().abs().amax({1, 2}));
    }
    at::Tensor scale = at::stack(per_out, 1);  // [G, n_out_blocks]
    scale.masked_fill_(scale == 0, 1.0);
    const at::Tensor scale_out = expand_over_blocks(scale, lw.split.out_blocks);
    lw.w_norm.push_back(wb / scale_out.unsqueeze(-1));
    lw.out_scale.push_back(scale_out);
    scales_per_in.push_back(scale);
  }
  lw.weight_scale = at::stack(scales_per_in, 1);
  lw.alpha = at::ones_like(lw.weight_scale);
  return lw;
}

namespace {

// Steps (1)-(5) without autograd, fused into few in-place passes: the DAC works on integer
// levels, the ADC on output levels; same arithmetic as the differentiable path up to float
// rounding.
// `x_owned`: x's storage belongs to this call and may be overwritten (saves a large
// allocation; fresh pages cost more than the arithmetic).
at::Tensor tile_forward_inference(const at::Tensor& x, bool x_owned, const at::Tensor& w_norm,
                                  const AnalogNumericsParams& params, at::Generator& gen) {
  const double dac_step = bounded_quant_step(params.dac_bits, params.inp_bound);
  const double adc_step = bounded_quant_step(params.adc_bits, params.out_bound);
  const double in_mult = dac_step > 0.0 ? 1.0 / dac_step : 1.0;
  const double out_mult = adc_step > 0.0 ? 1.0 / adc_step : 1.0;
  at::Tensor s;  // [G, N, 1], noise-management scale (step 1)
  at::Tensor x_in;
  if (params.noise_management == NoiseManagement::kAbsMax) {
    s = at::linalg_vector_norm(x, INFINITY, {-1}, /*keepdim=*/true, c10::nullopt);
    s.masked_fill_(s == 0, 1.0);
    const at::Tensor r = s.reciprocal().mul_(in_mult);
    x_in = x_owned ? at::Tensor(x).mul_(r) : x * r;
  } else {
    x_in = x_owned ? at::Tensor(x).mul_(in_mult) : x * in_mult;
  }
  if (params.inp_bound > 0.0) {  // step 2, in DAC levels
    x_in.clamp_(-params.inp_bound * in_mult, params.inp_bound * in_mult);
    if (dac_step > 0.0) {
      x_in.round_();
    }
  }
  at::Tensor y = at::bmm(x_in, w_norm.transpose(1, 2));  // step 3, in DAC levels
  y.mul_((1.0 / in_mult) * out_mult);                    // now in ADC levels
  if (params.out_noise > 0.0) {                          // step 4
    y.add_(at::randn(y.sizes(), gen, y.options()), params.out_noise * out_mult);
  }
  if (params.w_noise > 0.0) {
    const at::Tensor x_unit = x_in * (1.0 / in_mult);
    const at::Tensor std = at::bmm(x_unit * x_unit, w_norm.abs().transpose(1, 2))
                               .sqrt_()
                               .mul_(params.w_noise * out_mult);
    y.add_(at::randn(y.sizes(), gen, y.options()).mul_(std));
  }
  if (params.out_bound > 0.0) {  // step 5, in ADC levels
    y.clamp_(-params.out_bound * out_mult, params.out_bound * out_mult);
    if (adc_step > 0.0) {
      y.round_();
    }
  }
  return s.defined() ? y.mul_(s * (1.0 / out_mult)) : y.mul_(1.0 / out_mult);
}

}  // namespace

at::Tensor analog_tile_forward(const at::Tensor& x, const at::Tensor& w_norm,
                               const AnalogNumericsParams& params, at::Generator& gen) {
  if (x.dim() != 3 || w_norm.dim() != 3 || x.size(0) != w_norm.size(0) ||
      x.size(2) != w_norm.size(2)) {
    throw Error("analog_tile_forward: need x [G, N, in] and w [G, out, in], got x " + shape_str(x) +
                ", w " + shape_str(w_norm));
  }
  if (!at::GradMode::is_enabled() || (!x.requires_grad() && !w_norm.requires_grad())) {
    return tile_forward_inference(x, /*x_owned=*/false, w_norm, params, gen);
  }
  at::Tensor x_in = x;
  at::Tensor s;  // [G, N, 1], noise-management scale (step 1), no gradient
  if (params.noise_management == NoiseManagement::kAbsMax) {
    s = x.detach().abs().amax(-1, /*keepdim=*/true);
    s.masked_fill_(s == 0, 1.0);
    x_in = x / s;
  }
  x_in = quantize_bounded(x_in, params.dac_bits, params.inp_bound);  // step 2
  at::Tensor y = at::bmm(x_in, w_norm.transpose(1, 2));              // step 3
  if (params.out_noise > 0.0) {                                      // step 4
    y = y + at::randn(y.sizes(), gen, y.options()).mul_(params.out_noise);
  }
  if (params.w_noise > 0.0) {
    const at::Tensor x_d = x_in.detach();
    const at::Tensor std =
        at::bmm(x_d * x_d, w_norm.detach().abs().transpose(1, 2)).sqrt_().mul_(params.w_noise);
    y = y + at::randn(y.sizes(), gen, y.options()).mul_(std);
  }
  y = quantize_bounded(y, params.adc_bits, params.out_bound);  // step 5
  return s.defined() ? y * s : y;                              // step 6 (input scale)
}

at::Tensor analog_matmul(const AnalogLayerWeights& weights, at::Tensor x,
                         const AnalogNumericsParams& params, at::Generator& gen) {
  if (x.dim() != 3 || x.size(0) != weights.groups || x.size(2) != weights.in_features) {
    throw Error("analog_matmul: expected x [" + std::to_string(weights.groups) + ", N, " +
                std::to_string(weights.in_features) + "], got " + shape_str(x));
  }
  // A temporary input nobody else references is overwritten in place (inference only).
  const bool owned = !at::GradMode::is_enabled() || !x.requires_grad();
  const bool exclusive = x.use_count() == 1 && x.storage().use_count() == 1;
  const bool in_place = owned && exclusive && !weights.w_norm.front().requires_grad();
  at::Tensor y;
  for (std::size_t i = 0; i < weights.split.in_blocks.size(); ++i) {
    const BlockRange& ib = weights.split.in_blocks[i];
    const at::Tensor xb = x.narrow(2, ib.begin, ib.size);
    at::Tensor yb =
        in_place ? tile_forward_inference(xb, /*x_owned=*/true, weights.w_norm[i], params, gen)
                 : analog_tile_forward(xb, weights.w_norm[i], params, gen);
    const at::Tensor scale = weights.out_scale[i].unsqueeze(1);  // step 6: weight scale * alpha
    if (yb.requires_grad() || (y.defined() && y.requires_grad())) {
      y = y.defined() ? y + yb * scale : yb * scale;
    } else if (!y.defined()) {
      y = yb.mul_(scale);
    } else {
      y.addcmul_(yb, scale);  // digital partial-sum accumulation, FP32
    }
  }
  return y;
}

at::Tensor analog_linear(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const c10::optional<at::Tensor>& bias, const AnalogNumericsParams& params,
                         at::Generator& gen) {
  if (weights.groups != 1 || x.dim() != 2) {
    throw Error("analog_linear: needs one weight group and x [N, in], got x " + shape_str(x));
  }
  at::Tensor y = analog_matmul(weights, x.unsqueeze(0), params, gen).squeeze(0);
  if (bias.has_value() && bias->defined()) {
    y = y + *bias;
  }
  return y;
}

}  // namespace aimcsim
