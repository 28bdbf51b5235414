// Analog MVM path over tiles (FACTS.md s.2).
#include "models/analog/analog_mvm.h"

#include <ATen/ATen.h>

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

// Additive zero-mean Gaussian noise with per-element std `sigma` (tensor or scalar).
at::Tensor add_noise(const at::Tensor& y, const at::Tensor& z_scaled) {
  if (y.requires_grad()) {
    return y + z_scaled;
  }
  return y.add_(z_scaled);
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

at::Tensor analog_tile_forward(const at::Tensor& x, const at::Tensor& w_norm,
                               const AnalogNumericsParams& params, at::Generator& gen) {
  if (x.dim() != 3 || w_norm.dim() != 3 || x.size(0) != w_norm.size(0) ||
      x.size(2) != w_norm.size(2)) {
    throw Error("analog_tile_forward: need x [G, N, in] and w [G, out, in], got x " + shape_str(x) +
                ", w " + shape_str(w_norm));
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
    y = add_noise(y, at::randn(y.sizes(), gen, y.options()).mul_(params.out_noise));
  }
  if (params.w_noise > 0.0) {
    const at::Tensor x_d = x_in.detach();
    const at::Tensor std =
        at::bmm(x_d * x_d, w_norm.detach().abs().transpose(1, 2)).sqrt_().mul_(params.w_noise);
    y = add_noise(y, at::randn(y.sizes(), gen, y.options()).mul_(std));
  }
  y = quantize_bounded(y, params.adc_bits, params.out_bound);  // step 5
  return s.defined() ? y * s : y;                              // step 6 (input scale)
}

at::Tensor analog_matmul(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const AnalogNumericsParams& params, at::Generator& gen) {
  if (x.dim() != 3 || x.size(0) != weights.groups || x.size(2) != weights.in_features) {
    throw Error("analog_matmul: expected x [" + std::to_string(weights.groups) + ", N, " +
                std::to_string(weights.in_features) + "], got " + shape_str(x));
  }
  at::Tensor y;
  for (std::size_t i = 0; i < weights.split.in_blocks.size(); ++i) {
    const BlockRange& ib = weights.split.in_blocks[i];
    at::Tensor yb = analog_tile_forward(x.narrow(2, ib.begin, ib.size), weights.w_norm[i], params,
                                        gen) *
                    weights.out_scale[i].unsqueeze(1);  // step 6: weight scale * alpha
    if (!y.defined()) {
      y = std::move(yb);
    } else if (y.requires_grad() || yb.requires_grad()) {
      y = y + yb;
    } else {
      y.add_(yb);  // digital partial-sum accumulation, FP32
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
