// HWA training numerics (FACTS.md s.3): weight noise, straight-through gradients.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>
#include <torch/torch.h>

#include "models/analog/hwa.h"

namespace {

aimcsim::AnalogNumericsParams all_off() {
  aimcsim::AnalogNumericsParams p;
  p.dac_bits = 0;
  p.adc_bits = 0;
  p.out_bound = 0.0;
  p.out_noise = 0.0;
  p.tile_rows = 64;
  p.tile_cols = 16;
  return p;
}

}  // namespace

TEST_CASE("HWA weight noise has std gamma * max|W| and an identity gradient") {
  at::Generator gen = at::detail::createCPUGenerator(31);
  const at::Tensor w = (at::randn({400, 500}, gen, at::kFloat) * 0.3).requires_grad_();
  const at::Tensor noisy = aimcsim::hwa_weight_noise(w, 0.08, gen);
  const double expected = 0.08 * w.abs().max().item<double>();
  CHECK((noisy - w).std().item<double>() == doctest::Approx(expected).epsilon(0.01));
  noisy.sum().backward();
  CHECK(at::equal(w.grad(), at::ones_like(w)));
  CHECK(at::equal(aimcsim::hwa_weight_noise(w, 0.0, gen), w));
}

TEST_CASE("hwa_clip_weights_ clamps to n standard deviations") {
  at::Tensor w = at::randn({1000}, at::detail::createCPUGenerator(1), at::kFloat);
  const double bound = 2.0 * w.std().item<double>();
  aimcsim::hwa_clip_weights_(w, 2.0);
  CHECK(w.abs().max().item<double>() == doctest::Approx(bound));
}

TEST_CASE("noise-free HWA linear and conv give FP outputs and FP gradients") {
  at::Generator gen = at::detail::createCPUGenerator(32);
  const auto num = all_off();
  aimcsim::HwaParams hwa;
  hwa.weight_noise_gamma = 0.0;
  const at::Tensor w = at::randn({40, 150}, gen, at::kFloat).requires_grad_();
  const at::Tensor x = at::randn({8, 150}, gen, at::kFloat).requires_grad_();
  const at::Tensor g = at::randn({8, 40}, gen, at::kFloat);
  const at::Tensor y = aimcsim::hwa_analog_linear(x, w, c10::nullopt, num, hwa, gen);
  CHECK(at::allclose(y, at::linear(x, w), 1e-4, 1e-4));
  const auto grads = torch::autograd::grad({y}, {w, x}, {g});
  const auto ref = torch::autograd::grad({at::linear(x, w)}, {w, x}, {g});
  CHECK(at::allclose(grads[0], ref[0], 1e-4, 1e-4));
  CHECK(at::allclose(grads[1], ref[1], 1e-4, 1e-4));

  aimcsim::Conv2dGeometry geom;
  geom.kernel = {3, 3};
  geom.padding = {1, 1};
  geom.groups = 4;
  const at::Tensor wc = at::randn({8, 2, 3, 3}, gen, at::kFloat).requires_grad_();
  const at::Tensor xc = at::randn({2, 8, 6, 6}, gen, at::kFloat);
  const at::Tensor yc = aimcsim::hwa_analog_conv2d(xc, wc, c10::nullopt, geom, num, hwa, gen);
  const at::Tensor refc = at::conv2d(xc, wc, {}, 1, 1, 1, 4);
  CHECK(at::allclose(yc, refc, 1e-4, 1e-4));
  const at::Tensor gc = at::randn(refc.sizes(), gen, at::kFloat);
  CHECK(at::allclose(torch::autograd::grad({yc}, {wc}, {gc})[0],
                     torch::autograd::grad({refc}, {wc}, {gc})[0], 1e-3, 1e-3));
}

TEST_CASE("with DAC/ADC quantisation and output noise on, gradients pass straight through") {
  at::Generator gen = at::detail::createCPUGenerator(33);
  aimcsim::AnalogNumericsParams num;  // 8-bit DAC/ADC, out_noise 0.04, out_bound 10
  num.tile_rows = 64;
  aimcsim::HwaParams hwa;  // gamma 0.08
  const at::Tensor w = (at::randn({20, 100}, gen, at::kFloat) * 0.1).requires_grad_();
  const at::Tensor x = at::randn({16, 100}, gen, at::kFloat).requires_grad_();
  const at::Tensor y = aimcsim::hwa_analog_linear(x, w, c10::nullopt, num, hwa, gen);
  CHECK_FALSE(at::allclose(y, at::linear(x, w), 1e-3, 1e-3));  // noise and quantisation are on
  const at::Tensor g = at::randn(y.sizes(), gen, at::kFloat);
  const auto grads = torch::autograd::grad({y}, {w, x}, {g});
  const auto ref = torch::autograd::grad({at::linear(x, w)}, {w, x}, {g});
  // d/dx through STE quantisers of the (noisy) weights: close to the clean FP gradient.
  const auto rel = [](const at::Tensor& a, const at::Tensor& b) {
    return (a - b).norm().item<double>() / b.norm().item<double>();
  };
  // dy/dx = the noisy weight: relative error ~ gamma max|W| / rms(W).
  const double expected =
      0.08 * w.abs().max().item<double>() / w.pow(2).mean().sqrt().item<double>();
  CHECK(rel(grads[1], ref[1]) == doctest::Approx(expected).epsilon(0.25));
  // d/dW = g^T DAC(x): the input quantisation error of 8 bits only.
  CHECK(rel(grads[0], ref[0]) < 0.02);
}
