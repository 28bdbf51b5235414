// im2col convolutions on analog tiles (FACTS.md s.2).
#include "models/analog/analog_conv.h"

#include <ATen/ATen.h>

#include <string>

#include "models/error.h"

namespace aimcsim {

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
  const auto [h_out, w_out] = conv_output_size(x.size(2), x.size(3), geom);
  const at::Tensor y = analog_matmul(weights, conv_im2col(x, geom), params, gen);
  at::Tensor out = conv_col2out(y, x.size(0), h_out, w_out);
  if (bias.has_value() && bias->defined()) {
    out = out + bias->view({1, -1, 1, 1});
  }
  return out;
}

}  // namespace aimcsim
