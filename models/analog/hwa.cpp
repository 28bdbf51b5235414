// HWA training numerics (FACTS.md s.3) on top of the analog path (FACTS.md s.2).
#include "models/analog/hwa.h"

#include <ATen/ATen.h>

namespace aimcsim {

at::Tensor hwa_weight_noise(const at::Tensor& w, double gamma, at::Generator& gen) {
  if (gamma <= 0.0) {
    return w;
  }
  const double std = gamma * w.detach().abs().max().item<double>();
  return w + at::randn(w.sizes(), gen, w.options().requires_grad(false)).mul_(std);
}

at::Tensor& hwa_clip_weights_(at::Tensor& w, double n_std) {
  if (n_std <= 0.0) {
    return w;
  }
  at::NoGradGuard no_grad;
  const double bound = n_std * w.std().item<double>();
  w.clamp_(-bound, bound);
  return w;
}

at::Tensor hwa_analog_linear(const at::Tensor& x, const at::Tensor& w,
                             const c10::optional<at::Tensor>& bias,
                             const AnalogNumericsParams& numerics, const HwaParams& hwa,
                             at::Generator& gen) {
  const at::Tensor w_noisy = hwa_weight_noise(w, hwa.weight_noise_gamma, gen);
  return analog_linear(exact_layer_weights(w_noisy, numerics), x, bias, numerics, gen);
}

at::Tensor hwa_analog_conv2d(const at::Tensor& x, const at::Tensor& w,
                             const c10::optional<at::Tensor>& bias, const Conv2dGeometry& geom,
                             const AnalogNumericsParams& numerics, const HwaParams& hwa,
                             at::Generator& gen) {
  const at::Tensor w_noisy = hwa_weight_noise(w, hwa.weight_noise_gamma, gen);
  const AnalogLayerWeights lw =
      exact_layer_weights(conv_weight_to_matrices(w_noisy, geom.groups), numerics);
  return analog_conv2d(lw, x, bias, geom, numerics, gen);
}

}  // namespace aimcsim
