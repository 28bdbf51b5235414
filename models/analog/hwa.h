// Hardware-aware (HWA) training numerics for analog layers (FACTS.md s.3), as autograd-
// friendly tensor ops.
//
// Contract: in the forward pass an analog layer's weight W gets Gaussian noise of std
// gamma * max|W| (a fresh draw per call, from the generator), then runs through the full
// analog path of analog_mvm.h (noise management, DAC, output noise, ADC, per-tile scales)
// on the exact tile weights. Gradients reach the clean W and the input x: the noise is
// additive (identity gradient), the quantisers are straight-through inside their bounds.
// No PCM programming or drift here: that is inference (programmed_layer.h).
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Optional.h>

#include "models/analog/analog_conv.h"
#include "models/params/analog_params.h"

namespace aimcsim {

struct HwaParams {
  double weight_noise_gamma = 0.08;  // std of weight noise / max|W| (HILAL; 0.06 AnalogNAS)
  double clip_n_std = 2.0;           // hwa_clip_weights_: clip to +- n std of the layer; <= 0 off
};

// W + gamma * max|W| * N(0,1) with the noise detached (dW_noisy/dW = 1). gamma 0 -> W.
at::Tensor hwa_weight_noise(const at::Tensor& w, double gamma, at::Generator& gen);

// In place, without gradient tracking: clamp W to [-n std(W), n std(W)]. Returns w.
at::Tensor& hwa_clip_weights_(at::Tensor& w, double n_std);

// Linear: x [N, in], w [out, in] -> [N, out] through the analog path with HWA weight noise.
at::Tensor hwa_analog_linear(const at::Tensor& x, const at::Tensor& w,
                             const c10::optional<at::Tensor>& bias,
                             const AnalogNumericsParams& numerics, const HwaParams& hwa,
                             at::Generator& gen);

// Conv2d (incl. grouped/depthwise): x [N, C_in, H, W], w [C_out, C_in/g, kh, kw] ->
// [N, C_out, H_out, W_out] through im2col and the analog path with HWA weight noise.
at::Tensor hwa_analog_conv2d(const at::Tensor& x, const at::Tensor& w,
                             const c10::optional<at::Tensor>& bias, const Conv2dGeometry& geom,
                             const AnalogNumericsParams& numerics, const HwaParams& hwa,
                             at::Generator& gen);

}  // namespace aimcsim
