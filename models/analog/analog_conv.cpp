// im2col convolutions on analog tiles (FACTS.md s.2).
#include "models/analog/analog_conv.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/analog/inference_kernel.h"
#include "models/error.h"

namespace aimcsim {
namespace {

// A panel holds the DAC levels of one input block for a few images side by side, sized to
// stay in the L2 cache while giving the GEMM a few hundred columns. It depends on the layer
// shape only, so results do not depend on the thread count.
constexpr std::int64_t kPanelColumns = 512;
constexpr std::int64_t kPanelFloats = 1 << 17;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {  // b > 0
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

// The input of one image zero-padded on every side, so that patch entries need no bounds
// checks: entry (channel c, tap ki, kj) of output (oh, ow) is
// planes[c][oh * sh + ki * dh][ow * sw + kj * dw].
struct PaddedImage {
  std::int64_t hp = 0, wp = 0;  // padded height and width
  std::vector<float> planes;    // [C, hp, wp]
};

struct ConvShape {
  std::int64_t c, h, w;          // input channels (all groups), height, width
  std::int64_t h_out, w_out, l;  // output size, l = h_out * w_out
  std::int64_t cg, kk;           // channels per group, taps per channel (kh * kw)
  Conv2dGeometry geom;
};

// Writes every element of p.planes once: the interior from x, the border zeros (the buffer
// is reused across images, so nothing is cleared twice).
void pad_image(const float* x, const ConvShape& s, PaddedImage& p) {
  const std::int64_t ph = s.geom.padding[0];
  const std::int64_t pw = s.geom.padding[1];
  p.hp = s.h + 2 * ph;
  p.wp = s.w + 2 * pw;
  p.planes.resize(static_cast<std::size_t>(s.c * p.hp * p.wp));
  for (std::int64_t c = 0; c < s.c; ++c) {
    float* plane = p.planes.data() + c * p.hp * p.wp;
    std::fill(plane, plane + ph * p.wp, 0.0f);  // top rows
    for (std::int64_t i = 0; i < s.h; ++i) {
      const float* src = x + (c * s.h + i) * s.w;
      float* dst = plane + (i + ph) * p.wp;
      std::fill(dst, dst + pw, 0.0f);
      std::copy(src, src + s.w, dst + pw);
      std::fill(dst + pw + s.w, dst + p.wp, 0.0f);
    }
    std::fill(plane + (ph + s.h) * p.wp, plane + p.hp * p.wp, 0.0f);  // bottom rows
  }
}

// Row `tap` (ki * kw + kj) of the im2col matrix of one padded plane, as a strided view.
kernel_loops::View tap_view(const float* plane, std::int64_t tap, const ConvShape& s,
                            const PaddedImage& p) {
  const Conv2dGeometry& g = s.geom;
  const std::int64_t ki = tap / g.kernel[1];
  const std::int64_t kj = tap % g.kernel[1];
  return {plane + ki * g.dilation[0] * p.wp + kj * g.dilation[1], g.stride[0] * p.wp, g.stride[1],
          s.h_out, s.w_out};
}

// Step 1 for one image and input block [k0, k1) of group g: s[l] = max|x| over the patch
// entries of the block (the maximum over its im2col rows, without building them). Whole
// channels go through their channel-wise maximum `m`, then one pass per tap.
void block_abs_max(const PaddedImage& p, std::int64_t g, const KernelBlock& b, const ConvShape& s,
                   std::vector<float>& m, float* s_out) {
  std::fill(s_out, s_out + s.l, 0.0f);
  const std::int64_t k0 = b.k_begin;
  const std::int64_t k1 = b.k_begin + b.k_size;
  const std::int64_t plane = p.hp * p.wp;
  bool any_full = false;
  for (std::int64_t c = k0 / s.kk; c * s.kk < k1; ++c) {
    const float* x = p.planes.data() + (g * s.cg + c) * plane;
    const std::int64_t t0 = std::max<std::int64_t>(k0 - c * s.kk, 0);
    const std::int64_t t1 = std::min<std::int64_t>(k1 - c * s.kk, s.kk);
    if (t0 == 0 && t1 == s.kk) {  // whole channel
      if (!any_full) std::fill(m.begin(), m.begin() + plane, 0.0f);
      any_full = true;
      kernel_loops::abs_max_into({x, 0, 1, 1, plane}, m.data());
      continue;
    }
    for (std::int64_t t = t0; t < t1; ++t) kernel_loops::abs_max_into(tap_view(x, t, s, p), s_out);
  }
  if (!any_full) return;
  for (std::int64_t t = 0; t < s.kk; ++t) {
    kernel_loops::abs_max_into(tap_view(m.data(), t, s, p), s_out);
  }
}

// Steps 1-2 fused with im2col: row k - k0 of `dst` (row stride ld) receives the DAC levels
// of patch row k (channel k / kk of group g, tap k % kk), column l scaled by r[l].
void write_levels(const PaddedImage& p, std::int64_t g, const KernelBlock& b, const ConvShape& s,
                  const float* r, const kernel_loops::Dac& dac, float* dst, std::int64_t ld) {
  for (std::int64_t k = b.k_begin; k < b.k_begin + b.k_size; ++k) {
    const float* plane = p.planes.data() + (g * s.cg + k / s.kk) * p.hp * p.wp;
    kernel_loops::dac(tap_view(plane, k % s.kk, s, p), r, dac, dst + (k - b.k_begin) * ld);
  }
}

// Per-thread buffers of the panel loop.
struct ConvScratch {
  std::vector<float> levels, s, r, sc, m;  // DAC levels [k, cols]; per-column scales; max map
  std::vector<PaddedImage> padded;         // the panel's images
  KernelScratch kernel;
};

// Steps 1-6 for `images` images from n0 (segments n0.. of the kernel) on one panel.
void conv_panel(const InferenceKernel& k, const ConvShape& shape, const float* x, std::int64_t n0,
                std::int64_t images, const KernelOutput& dst, ConvScratch& sc) {
  const std::int64_t cols = images * shape.l;
  std::vector<NormalStream> streams = k.streams(n0, images);
  sc.padded.resize(static_cast<std::size_t>(images));
  for (std::int64_t i = 0; i < images; ++i) {
    pad_image(x + (n0 + i) * shape.c * shape.h * shape.w, shape, sc.padded[i]);
  }
  sc.m.resize(static_cast<std::size_t>(sc.padded[0].hp * sc.padded[0].wp));
  for (std::int64_t g = 0; g < k.groups(); ++g) {
    for (std::size_t bi = 0; bi < k.blocks().size(); ++bi) {
      const KernelBlock& b = k.blocks()[bi];
      for (std::int64_t i = 0; i < images; ++i) {
        float* s_i = sc.s.data() + i * shape.l;
        if (k.abs_max_scaling()) {
          block_abs_max(sc.padded[i], g, b, shape, sc.m, s_i);
        } else {
          std::fill(s_i, s_i + shape.l, 1.0f);
        }
      }
      k.column_scales(sc.s.data(), cols, sc.r.data(), sc.sc.data());
      for (std::int64_t i = 0; i < images; ++i) {
        write_levels(sc.padded[i], g, b, shape, sc.r.data() + i * shape.l, k.dac(),
                     sc.levels.data() + i * shape.l, cols);
      }
      k.convert(g, bi, sc.levels.data(), cols, sc.sc.data(), n0, images, shape.l, streams, dst,
                sc.kernel);
    }
  }
}

// The inference kernel over images: image n is segment n (its own noise stream).
at::Tensor conv_inference(const AnalogLayerWeights& weights, const at::Tensor& x_in,
                          const c10::optional<at::Tensor>& bias, const Conv2dGeometry& geom,
                          const AnalogNumericsParams& params, at::Generator& gen) {
  if (x_in.scalar_type() != at::kFloat || !x_in.device().is_cpu()) {
    throw Error("analog_conv2d: the inference path needs float32 CPU inputs");
  }
  const at::Tensor x = x_in.contiguous();
  const std::int64_t n = x.size(0);
  const auto [h_out, w_out] = conv_output_size(x.size(2), x.size(3), geom);
  const ConvShape shape{x.size(1),
                        x.size(2),
                        x.size(3),
                        h_out,
                        w_out,
                        h_out * w_out,
                        x.size(1) / geom.groups,
                        geom.kernel[0] * geom.kernel[1],
                        geom};
  const std::int64_t c_out = weights.groups * weights.out_features;
  at::Tensor out = at::empty({n, c_out, h_out, w_out}, x.options());
  if (n == 0 || shape.l <= 0) return out;
  const LayerKernel layer(weights, bias, params, gen);
  std::int64_t max_k = 0;
  for (const KernelBlock& b : layer.kernel().blocks()) max_k = std::max(max_k, b.k_size);
  const std::int64_t per_panel = std::clamp<std::int64_t>(
      std::min(ceil_div(kPanelColumns, shape.l), kPanelFloats / (max_k * shape.l)), 1, n);
  const KernelOutput dst{out.data_ptr<float>(), c_out * shape.l, weights.out_features * shape.l,
                         shape.l, 1};
  const float* xp = x.data_ptr<float>();
  parallel_ranges(ceil_div(n, per_panel), [&](std::int64_t begin, std::int64_t end) {
    ConvScratch sc;
    sc.levels.resize(static_cast<std::size_t>(max_k * per_panel * shape.l));
    for (std::vector<float>* v : {&sc.s, &sc.r, &sc.sc}) {
      v->resize(static_cast<std::size_t>(per_panel * shape.l));
    }
    for (std::int64_t p = begin; p < end; ++p) {
      const std::int64_t n0 = p * per_panel;
      conv_panel(layer.kernel(), shape, xp, n0, std::min(per_panel, n - n0), dst, sc);
    }
  });
  return out;
}

}  // namespace

at::Tensor conv_weight_to_matrices(const at::Tensor& weight, std::int64_t groups) {
  if (weight.dim() != 4 || groups < 1 || weight.size(0) % groups != 0) {
    throw Error(
        "conv_weight_to_matrices: need weight [C_out, C_in/g, kh, kw] with C_out "
        "divisible by groups=" +
        std::to_string(groups));
  }
  return weight.reshape({groups, weight.size(0) / groups, -1});
}

std::array<std::int64_t, 2> conv_output_size(std::int64_t h, std::int64_t w,
                                             const Conv2dGeometry& g) {
  const auto out = [](std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t p,
                      std::int64_t d) { return (in + 2 * p - d * (k - 1) - 1) / s + 1; };
  return {out(h, g.kernel[0], g.stride[0], g.padding[0], g.dilation[0]),
          out(w, g.kernel[1], g.stride[1], g.padding[1], g.dilation[1])};
}

at::Tensor conv_im2col(const at::Tensor& x, const Conv2dGeometry& geom) {
  if (x.dim() != 4 || geom.groups < 1 || x.size(1) % geom.groups != 0) {
    throw Error("conv_im2col: need x [N, C_in, H, W] with C_in divisible by groups=" +
                std::to_string(geom.groups));
  }
  const at::Tensor cols =
      at::im2col(x, geom.kernel, geom.dilation, geom.padding, geom.stride);  // [N, C*kh*kw, L]
  const std::int64_t n = cols.size(0);
  const std::int64_t l = cols.size(2);
  return cols.view({n, geom.groups, -1, l}).permute({1, 0, 3, 2}).reshape({geom.groups, n * l, -1});
}

at::Tensor conv_col2out(const at::Tensor& y, std::int64_t n, std::int64_t h_out,
                        std::int64_t w_out) {
  const std::int64_t g = y.size(0);
  const std::int64_t c = y.size(2);
  return y.view({g, n, h_out * w_out, c}).permute({1, 0, 3, 2}).reshape({n, g * c, h_out, w_out});
}

at::Tensor analog_conv2d(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const c10::optional<at::Tensor>& bias, const Conv2dGeometry& geom,
                         const AnalogNumericsParams& params, at::Generator& gen) {
  if (weights.groups != geom.groups) {
    throw Error("analog_conv2d: weights have " + std::to_string(weights.groups) +
                " groups, geometry says " + std::to_string(geom.groups));
  }
  if (x.dim() != 4 || x.size(1) % geom.groups != 0 ||
      x.size(1) / geom.groups * geom.kernel[0] * geom.kernel[1] != weights.in_features) {
    throw Error("analog_conv2d: x [N, C_in, H, W] does not match weights of " +
                std::to_string(weights.in_features) + " inputs per group");
  }
  if (!analog_needs_autograd(weights, x, bias)) {
    return conv_inference(weights, x, bias, geom, params, gen);
  }
  const auto [h_out, w_out] = conv_output_size(x.size(2), x.size(3), geom);
  const at::Tensor y = analog_matmul(weights, conv_im2col(x, geom), params, gen);
  at::Tensor out = conv_col2out(y, x.size(0), h_out, w_out);
  if (bias.has_value() && bias->defined()) {
    out = out + bias->view({1, -1, 1, 1});
  }
  return out;
}

}  // namespace aimcsim
