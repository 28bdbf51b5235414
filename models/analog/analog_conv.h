// Convolutions on analog tiles by im2col (FACTS.md s.2), including grouped and depthwise
// convolutions: a conv weight [C_out, C_in/g, kh, kw] becomes g matrices
// [C_out/g, C_in/g * kh * kw] (column order c, ki, kj as at::im2col), and every output pixel
// is one MVM of its patch.
//
// Contract: analog_conv2d returns the layout of at::conv2d, [N, C_out, H_out, W_out]; with
// noise, drift and quantisation off it equals at::conv2d to float tolerance. Float32 CPU.
// Without autograd it runs the fused inference kernel (inference_kernel.h): patches are
// gathered per input block straight into DAC levels in the [K, L] layout of each image, a few
// images side by side, and the outputs land directly in [N, C_out, H_out, W_out]; image n
// draws its noise from stream n of the call. With autograd (HWA training) it runs
// conv_im2col -> analog_matmul -> conv_col2out.
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Optional.h>

#include <array>
#include <cstdint>

#include "models/analog/analog_mvm.h"

namespace aimcsim {

struct Conv2dGeometry {
  std::array<std::int64_t, 2> kernel{1, 1};  // kh, kw
  std::array<std::int64_t, 2> stride{1, 1};
  std::array<std::int64_t, 2> padding{0, 0};
  std::array<std::int64_t, 2> dilation{1, 1};
  std::int64_t groups = 1;
};

// [C_out, C_in/g, kh, kw] -> [g, C_out/g, C_in/g*kh*kw] (a view when possible; keeps grad).
at::Tensor conv_weight_to_matrices(const at::Tensor& weight, std::int64_t groups);

// Patches of x [N, C_in, H, W] as MVM inputs: [g, N*H_out*W_out, C_in/g*kh*kw].
at::Tensor conv_im2col(const at::Tensor& x, const Conv2dGeometry& geom);

// Output spatial size of the convolution for an input of h x w.
std::array<std::int64_t, 2> conv_output_size(std::int64_t h, std::int64_t w,
                                             const Conv2dGeometry& geom);

// MVM outputs [g, N*H_out*W_out, C_out/g] -> [N, C_out, H_out, W_out].
at::Tensor conv_col2out(const at::Tensor& y, std::int64_t n, std::int64_t h_out,
                        std::int64_t w_out);

// Conv through the analog path; weights from ProgrammedLayer(conv_weight_to_matrices(...))
// or exact_layer_weights(...). bias [C_out] is added digitally.
at::Tensor analog_conv2d(const AnalogLayerWeights& weights, const at::Tensor& x,
                         const c10::optional<at::Tensor>& bias, const Conv2dGeometry& geom,
                         const AnalogNumericsParams& params, at::Generator& gen);

}  // namespace aimcsim
