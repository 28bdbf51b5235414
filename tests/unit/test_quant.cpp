// INT8 fake-quant and FP16 rounding (FACTS.md s.3).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>
#include <torch/torch.h>

#include "models/digital/quantize.h"
#include "models/error.h"

TEST_CASE("INT8 per-output-channel weights: 127 levels each side, channel max exact") {
  at::Generator gen = at::detail::createCPUGenerator(41);
  at::Tensor w = at::randn({6, 3, 3, 3}, gen, at::kFloat);
  w[2].mul_(100.0);  // channels have very different ranges
  w[4].zero_();
  const at::Tensor scales = aimcsim::int8_channel_scales(w);
  const at::Tensor q = aimcsim::fake_quant_int8_per_channel(w);
  for (std::int64_t c = 0; c < 6; ++c) {
    CAPTURE(c);
    const double s = scales[c].item<double>();
    const at::Tensor levels = q[c] / s;
    CHECK(at::allclose(levels, levels.round(), 0, 1e-3));
    CHECK(levels.abs().max().item<double>() <= 127.0 + 1e-3);
    CHECK((q[c] - w[c]).abs().max().item<double>() <= s / 2 + 1e-6);
    if (c != 4) {
      CHECK(s == doctest::Approx(w[c].abs().max().item<double>() / 127.0));
      CHECK(q[c].abs().max().item<double>() == doctest::Approx(w[c].abs().max().item<double>()));
    }
  }
  CHECK(at::equal(q[4], w[4]));  // zero channel stays zero
  // A dense ramp uses all 255 levels.
  const at::Tensor ramp = at::linspace(-1.0, 1.0, 5001, at::kFloat).view({1, -1});
  CHECK(std::get<0>(at::_unique(aimcsim::fake_quant_int8_per_channel(ramp))).numel() == 255);
}

TEST_CASE("INT8 per-tensor activations: calibrated scale, clipping, clipped STE gradient") {
  aimcsim::Int8ActivationCalibrator calib;
  CHECK(calib.scale() == 1.0);
  calib.observe(at::tensor({0.5f, -2.54f}));
  calib.observe(at::tensor({1.0f}));
  CHECK(calib.max_abs() == doctest::Approx(2.54));
  CHECK(calib.scale() == doctest::Approx(0.02));
  const at::Tensor x = at::tensor({-5.0f, -2.54f, 0.013f, 0.011f, 1.0f, 3.0f}).requires_grad_();
  const at::Tensor q = aimcsim::fake_quant_int8_per_tensor(x, calib.scale());
  CHECK(at::allclose(q, at::tensor({-2.54f, -2.54f, 0.02f, 0.02f, 1.0f, 2.54f}), 0, 1e-5));
  q.sum().backward();
  CHECK(at::equal(x.grad(), at::tensor({0.0f, 1.0f, 1.0f, 1.0f, 1.0f, 0.0f})));
  CHECK_THROWS_AS(aimcsim::fake_quant_int8_per_tensor(x, 0.0), aimcsim::Error);
}

TEST_CASE("FP16 rounding: IEEE half values, float32 result, identity gradient") {
  const at::Tensor x =
      at::tensor({1.0f + 1.0f / 4096.0f, 1.0f + 3.0f / 2048.0f, 70000.0f, 1e-8f}).requires_grad_();
  const at::Tensor r = aimcsim::round_fp16(x);
  CHECK((r.scalar_type() == at::kFloat));
  CHECK(r[0].item<float>() == 1.0f);                   // below half an ulp (2^-10) rounds away
  CHECK(r[1].item<float>() == 1.0f + 2.0f / 1024.0f);  // ties to even
  CHECK(std::isinf(r[2].item<float>()));               // above the half range
  CHECK(r[3].item<float>() == 0.0f);
  r.sum().backward();
  CHECK(at::equal(x.grad(), at::ones_like(x)));
  // Weights and activations rounded, the product accumulated in FP32.
  at::Generator gen = at::detail::createCPUGenerator(42);
  const at::Tensor a = at::randn({64, 300}, gen, at::kFloat);
  const at::Tensor w = at::randn({10, 300}, gen, at::kFloat);
  const at::Tensor y = at::linear(aimcsim::round_fp16(a), aimcsim::round_fp16(w));
  CHECK(at::allclose(y, at::linear(a, w), 1e-2, 1e-2));
  CHECK_FALSE(at::equal(y, at::linear(a, w)));
}
