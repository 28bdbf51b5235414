// Analog MVM path over tiles (FACTS.md s.2).
#include "models/analog/analog_mvm.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "models/analog/bounded_quant.h"
#include "models/analog/inference_kernel.h"
#include "models/analog/normal_noise.h"
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

bool needs_grad(std::initializer_list<const at::Tensor*> tensors) {
  if (!at::GradMode::is_enabled()) return false;
  for (const at::Tensor* t : tensors) {
    if (t != nullptr && t->defined() && t->requires_grad()) return true;
  }
  return false;
}

constexpr std::int64_t kRowsPerPanel = 256;  // MVM inputs per kernel panel (one stream each)

// The inference kernel over x [G, N, in] -> y [G, N, out]: panels of kRowsPerPanel rows,
// transposed so that every row becomes a column; panel p draws from noise stream p.
at::Tensor run_rows(const InferenceKernel& kernel, const at::Tensor& x_in,
                    std::int64_t out_features) {
  const at::Tensor x = x_in.contiguous();
  const std::int64_t g = x.size(0);
  const std::int64_t n = x.size(1);
  const std::int64_t in = x.size(2);
  at::Tensor y = at::empty({g, n, out_features}, x.options());
  const float* xp = x.data_ptr<float>();
  const KernelOutput out{y.data_ptr<float>(), kRowsPerPanel * out_features, n * out_features, 1,
                         out_features};
  const std::int64_t panels = (n + kRowsPerPanel - 1) / kRowsPerPanel;
  parallel_ranges(panels, [&](std::int64_t begin, std::int64_t end) {
    KernelScratch scratch;
    std::vector<float> panel(static_cast<std::size_t>(g * in * std::min(n, kRowsPerPanel)));
    for (std::int64_t p = begin; p < end; ++p) {
      const std::int64_t m0 = p * kRowsPerPanel;
      const std::int64_t cols = std::min(kRowsPerPanel, n - m0);
      for (std::int64_t gi = 0; gi < g; ++gi) {
        for (std::int64_t m = 0; m < cols; ++m) {
          const float* src = xp + (gi * n + m0 + m) * in;
          float* dst = panel.data() + gi * in * cols + m;
          for (std::int64_t k = 0; k < in; ++k) dst[k * cols] = src[k];
        }
      }
      kernel.run(panel.data(), cols, p, 1, cols, out, scratch);
    }
  });
  return y;
}

void check_float_cpu(const at::Tensor& x, const char* what) {
  if (x.scalar_type() != at::kFloat || !x.device().is_cpu()) {
    throw Error(std::string(what) + ": the inference path needs float32 CPU inputs");
  }
}

}  // namespace

bool analog_needs_autograd(const AnalogLayerWeights& weights, const at::Tensor& x,
                           const c10::optional<at::Tensor>& bias) {
  bool grad = needs_grad({&x, bias.has_value() ? &*bias : nullptr});
  for (std::size_t i = 0; i < weights.w_norm.size(); ++i) {
    grad = grad || needs_grad({&weights.w_norm[i], &weights.out_scale[i]});
  }
  return grad;
}

at::Tensor analog_tile_forward(const at::Tensor& x, const at::Tensor& w_norm,
                               const AnalogNumericsParams& params, at::Generator& gen) {
  if (x.dim() != 3 || w_norm.dim() != 3 || x.size(0) != w_norm.size(0) ||
      x.size(2) != w_norm.size(2)) {
    throw Error("analog_tile_forward: need x [G, N, in] and w [G, out, in], got x " + shape_str(x) +
                ", w " + shape_str(w_norm));
  }
  if (!needs_grad({&x, &w_norm})) {
    check_float_cpu(x, "analog_tile_forward");
    const at::Tensor w = w_norm.detach().to(at::kFloat).contiguous();
    const std::uint64_t key = path_is_noisy(params) ? noise_key(gen) : 0;
    const InferenceKernel kernel(x.size(0), x.size(2), w.size(1),
                                 {KernelBlock{0, x.size(2), w.data_ptr<float>(), nullptr}}, nullptr,
                                 params, key);
    return run_rows(kernel, x, w.size(1));
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

at::Tensor analog_matmul(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const AnalogNumericsParams& params, at::Generator& gen) {
  if (x.dim() != 3 || x.size(0) != weights.groups || x.size(2) != weights.in_features) {
    throw Error("analog_matmul: expected x [" + std::to_string(weights.groups) + ", N, " +
                std::to_string(weights.in_features) + "], got " + shape_str(x));
  }
  if (!analog_needs_autograd(weights, x, c10::nullopt)) {
    check_float_cpu(x, "analog_matmul");
    const LayerKernel k(weights, c10::nullopt, params, gen);
    return run_rows(k.kernel(), x, weights.out_features);
  }
  at::Tensor y;
  for (std::size_t i = 0; i < weights.split.in_blocks.size(); ++i) {
    const BlockRange& ib = weights.split.in_blocks[i];
    const at::Tensor yb =
        analog_tile_forward(x.narrow(2, ib.begin, ib.size), weights.w_norm[i], params, gen);
    const at::Tensor scaled = yb * weights.out_scale[i].unsqueeze(1);  // step 6
    y = y.defined() ? y + scaled : scaled;  // digital partial-sum accumulation, FP32
  }
  return y;
}

at::Tensor analog_linear(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const c10::optional<at::Tensor>& bias, const AnalogNumericsParams& params,
                         at::Generator& gen) {
  if (weights.groups != 1 || x.dim() != 2) {
    throw Error("analog_linear: needs one weight group and x [N, in], got x " + shape_str(x));
  }
  if (!analog_needs_autograd(weights, x, bias)) {
    check_float_cpu(x, "analog_linear");
    const LayerKernel k(weights, bias, params, gen);
    return run_rows(k.kernel(), x.unsqueeze(0), weights.out_features).squeeze(0);
  }
  at::Tensor y = analog_matmul(weights, x.unsqueeze(0), params, gen).squeeze(0);
  if (bias.has_value() && bias->defined()) {
    y = y + *bias;
  }
  return y;
}

}  // namespace aimcsim
