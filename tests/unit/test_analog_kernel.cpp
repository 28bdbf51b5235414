// The fused inference kernel (inference_kernel.h) against the differentiable path of the
// same numerics (analog_tile_forward with autograd, im2col in the [G, N*L, K] layout):
// equal when noise-free, same statistics when noisy, independent of the thread count.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <doctest/doctest.h>

#include "models/analog/analog_conv.h"
#include "models/analog/analog_mvm.h"
#include "models/analog/inference_kernel.h"
#include "models/analog/kernel_loops.h"
#include "models/analog/normal_noise.h"

namespace {

using aimcsim::AnalogNumericsParams;
using aimcsim::Conv2dGeometry;

AnalogNumericsParams small_tiles(bool quantise, double out_noise) {
  AnalogNumericsParams p;
  if (!quantise) {
    p.dac_bits = 0;
    p.adc_bits = 0;
    p.out_bound = 0.0;
  }
  p.out_noise = out_noise;
  p.tile_rows = 40;  // several input blocks (partial sums) and output blocks
  p.tile_cols = 12;
  return p;
}

struct ConvCase {
  std::int64_t n, c_in, c_out, groups, k, stride, pad, dil, hw;
};

// Dense with 2 input blocks and several images per panel (small L), a remainder panel,
// strided, grouped, depthwise, dilated, 1x1.
const ConvCase kCases[] = {
    {3, 8, 30, 1, 3, 1, 1, 1, 11},  {50, 8, 16, 1, 3, 1, 1, 1, 5},  {4, 8, 16, 2, 3, 2, 1, 1, 9},
    {5, 16, 16, 16, 3, 1, 1, 1, 8}, {2, 6, 24, 3, 5, 1, 2, 2, 10},  {6, 12, 20, 4, 1, 1, 0, 1, 7},
    {3, 48, 20, 1, 3, 2, 0, 1, 9},  {3, 10, 12, 1, 3, 2, 1, 2, 12},  // blocks split channels
};

Conv2dGeometry geometry(const ConvCase& c) {
  Conv2dGeometry g;
  g.kernel = {c.k, c.k};
  g.stride = {c.stride, c.stride};
  g.padding = {c.pad, c.pad};
  g.dilation = {c.dil, c.dil};
  g.groups = c.groups;
  return g;
}

// analog_conv2d through the kernel (no autograd) or through the differentiable path.
at::Tensor conv(const at::Tensor& w, const at::Tensor& b, const at::Tensor& x,
                const Conv2dGeometry& geom, const AnalogNumericsParams& num, std::uint64_t seed,
                bool autograd) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  const auto weights =
      aimcsim::exact_layer_weights(aimcsim::conv_weight_to_matrices(w, geom.groups), num);
  if (!autograd) {
    at::NoGradGuard no_grad;
    return aimcsim::analog_conv2d(weights, x, b, geom, num, gen);
  }
  const at::Tensor xg = x.detach().requires_grad_(true);
  CHECK(aimcsim::analog_needs_autograd(weights, xg, b));
  return aimcsim::analog_conv2d(weights, xg, b, geom, num, gen).detach();
}

// Fraction of elements that differ by more than a float tolerance.
double mismatch_fraction(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor bad = (a - b).abs() > 1e-4 * (1 + b.abs());
  return bad.to(at::kDouble).mean().item<double>();
}

}  // namespace

TEST_CASE("noise-free kernel conv equals the differentiable path and at::conv2d") {
  at::Generator gen = at::detail::createCPUGenerator(31);
  for (const ConvCase& c : kCases) {
    CAPTURE(c.n);
    CAPTURE(c.c_in);
    CAPTURE(c.groups);
    CAPTURE(c.k);
    const Conv2dGeometry geom = geometry(c);
    const at::Tensor w = at::randn({c.c_out, c.c_in / c.groups, c.k, c.k}, gen, at::kFloat);
    const at::Tensor b = at::randn({c.c_out}, gen, at::kFloat);
    const at::Tensor x = at::randn({c.n, c.c_in, c.hw, c.hw}, gen, at::kFloat);
    const auto num = small_tiles(false, 0.0);
    const at::Tensor fast = conv(w, b, x, geom, num, 1, false);
    const at::Tensor ref = conv(w, b, x, geom, num, 1, true);
    REQUIRE(fast.sizes() == ref.sizes());
    CHECK(at::allclose(fast, ref, 1e-5, 1e-5));
    CHECK(at::allclose(
        fast, at::conv2d(x, w, b, geom.stride, geom.padding, geom.dilation, c.groups), 1e-4, 1e-4));
    // With DAC/ADC quantisation on, both paths agree up to float rounding at level edges.
    const auto quant = small_tiles(true, 0.0);
    CHECK(mismatch_fraction(conv(w, b, x, geom, quant, 1, false),
                            conv(w, b, x, geom, quant, 1, true)) < 0.002);
  }
}

TEST_CASE("noisy kernel conv has the per-output mean and variance of the differentiable path") {
  at::Generator gen = at::detail::createCPUGenerator(32);
  const ConvCase c{2, 8, 10, 2, 3, 1, 1, 1, 6};  // 2 groups, 36 inputs each, 72 outputs
  const Conv2dGeometry geom = geometry(c);
  const at::Tensor w = at::randn({c.c_out, c.c_in / c.groups, c.k, c.k}, gen, at::kFloat);
  const at::Tensor x = at::randn({c.n, c.c_in, c.hw, c.hw}, gen, at::kFloat);
  auto num = small_tiles(true, 0.06);
  num.tile_rows = 20;  // two input blocks per group
  num.w_noise = 0.02;
  constexpr int kRuns = 400;
  std::vector<at::Tensor> fast, ref;
  for (int r = 0; r < kRuns; ++r) {
    fast.push_back(conv(w, {}, x, geom, num, 1000 + r, false));
    ref.push_back(conv(w, {}, x, geom, num, 5000 + r, true));
  }
  const at::Tensor f = at::stack(fast).to(at::kDouble);
  const at::Tensor g = at::stack(ref).to(at::kDouble);
  const at::Tensor var_f = f.var(0);
  const at::Tensor var_g = g.var(0);
  // Means: z-scores of the differences are N(0, 1) when the distributions agree.
  const at::Tensor z = (f.mean(0) - g.mean(0)) / ((var_f + var_g) / kRuns + 1e-12).sqrt();
  const double z2 = (z * z).mean().item<double>();
  MESSAGE("mean z^2 " << z2 << ", variance ratio " << (var_f.sum() / var_g.sum()).item<double>());
  CHECK(z2 > 0.8);
  CHECK(z2 < 1.25);
  CHECK((var_f.sum() / var_g.sum()).item<double>() == doctest::Approx(1.0).epsilon(0.05));
}

TEST_CASE("one-hot tile reads (drift compensation) have the same statistics on both paths") {
  // mean|y| of a one-hot read of a tile whose weights are mostly small, so that the output
  // noise and the ADC matter (FACTS.md s.1: alpha = baseline / mean|y_t|).
  at::Generator gen = at::detail::createCPUGenerator(36);
  const at::Tensor w = (at::randn({1, 16, 9}, gen, at::kFloat) * 0.1).clamp(-1.0, 1.0);
  const at::Tensor eye = at::eye(9, at::kFloat).unsqueeze(0);
  const at::Tensor eye_grad = eye.clone().requires_grad_(true);  // takes the autograd path
  const AnalogNumericsParams num;                                // 8-bit DAC/ADC, out_noise 0.04
  constexpr int kRuns = 2000;
  std::vector<double> fast, ref;
  for (int r = 0; r < kRuns; ++r) {
    at::Generator g1 = at::detail::createCPUGenerator(100 + r);
    at::Generator g2 = at::detail::createCPUGenerator(100 + r);
    fast.push_back(aimcsim::analog_tile_forward(eye, w, num, g1).abs().mean().item<double>());
    ref.push_back(aimcsim::analog_tile_forward(eye_grad, w, num, g2).abs().mean().item<double>());
  }
  const auto moments = [](const std::vector<double>& v) {
    double m = 0, q = 0;
    for (double x : v) m += x;
    m /= double(v.size());
    for (double x : v) q += (x - m) * (x - m);
    return std::pair{m, std::sqrt(q / double(v.size() - 1))};
  };
  const auto [mf, sf] = moments(fast);
  const auto [mr, sr] = moments(ref);
  MESSAGE("mean|y| " << mf << " +- " << sf << " (kernel), " << mr << " +- " << sr << " (autograd)");
  CHECK(std::fabs(mf - mr) < 4 * std::sqrt((sf * sf + sr * sr) / kRuns));
  CHECK(sf / sr == doctest::Approx(1.0).epsilon(0.08));
}

TEST_CASE("kernel results do not depend on the thread count, images get their own noise") {
  at::Generator gen = at::detail::createCPUGenerator(33);
  const ConvCase c{40, 8, 16, 1, 3, 1, 1, 1, 6};
  const Conv2dGeometry geom = geometry(c);
  const at::Tensor w = at::randn({c.c_out, c.c_in, c.k, c.k}, gen, at::kFloat);
  const at::Tensor one = at::randn({1, c.c_in, c.hw, c.hw}, gen, at::kFloat);
  const at::Tensor x = one.expand({c.n, c.c_in, c.hw, c.hw}).contiguous();  // identical images
  const auto num = small_tiles(true, 0.04);
  // One image of a wide layer is a single panel: the GEMM runs outside the parallel region.
  const at::Tensor w_wide = at::randn({64, c.c_in, c.k, c.k}, gen, at::kFloat);
  const at::Tensor x_one = at::randn({1, c.c_in, 30, 30}, gen, at::kFloat);
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const at::Tensor serial = conv(w, {}, x, geom, num, 9, false);
  const at::Tensor serial_one = conv(w_wide, {}, x_one, geom, num, 9, false);
  at::set_num_threads(std::max(2, threads));
  const at::Tensor parallel = conv(w, {}, x, geom, num, 9, false);
  const at::Tensor parallel_one = conv(w_wide, {}, x_one, geom, num, 9, false);
  at::set_num_threads(threads);
  CHECK(at::equal(serial, parallel));
  CHECK(at::equal(serial_one, parallel_one));
  CHECK_FALSE(at::equal(serial[0], serial[1]));   // streams are per image
  CHECK_FALSE(at::equal(serial[0], serial[39]));  // also across panels
  // Linear layers: rows in different panels (256 rows each) also get their own noise.
  const at::Tensor wl = at::randn({20, 50}, gen, at::kFloat);
  const at::Tensor xl = at::randn({1, 50}, gen, at::kFloat).expand({600, 50}).contiguous();
  at::Generator g1 = at::detail::createCPUGenerator(3);
  at::NoGradGuard no_grad;
  const at::Tensor yl =
      aimcsim::analog_linear(aimcsim::exact_layer_weights(wl, num), xl, c10::nullopt, num, g1);
  CHECK_FALSE(at::equal(yl[0], yl[1]));
  CHECK_FALSE(at::equal(yl[0], yl[300]));
}

TEST_CASE("AVX-512 and portable element loops give bit-identical layer outputs") {
  at::Generator gen = at::detail::createCPUGenerator(35);
  const ConvCase c{6, 12, 16, 2, 3, 2, 1, 1, 9};  // strided: gathers in the AVX-512 loops
  const Conv2dGeometry geom = geometry(c);
  const at::Tensor w = at::randn({c.c_out, c.c_in / c.groups, c.k, c.k}, gen, at::kFloat);
  const at::Tensor b = at::randn({c.c_out}, gen, at::kFloat);
  const at::Tensor x = at::randn({c.n, c.c_in, c.hw, c.hw}, gen, at::kFloat);
  auto num = small_tiles(true, 0.04);
  num.w_noise = 0.01;
  const at::Tensor fast = conv(w, b, x, geom, num, 4, false);
  aimcsim::kernel_loops::force_portable_loops(true);
  aimcsim::force_portable_noise(true);
  const at::Tensor portable = conv(w, b, x, geom, num, 4, false);
  aimcsim::kernel_loops::force_portable_loops(false);
  aimcsim::force_portable_noise(false);
  CHECK(at::equal(fast, portable));
}

TEST_CASE("noise-free kernel linear over several row panels equals the differentiable path") {
  at::Generator gen = at::detail::createCPUGenerator(34);
  const auto num = small_tiles(false, 0.0);
  const at::Tensor w = at::randn({30, 100}, gen, at::kFloat);  // 3 input x 3 output blocks
  const at::Tensor b = at::randn({30}, gen, at::kFloat);
  const at::Tensor x = at::randn({700, 100}, gen, at::kFloat);  // 3 panels of 256 rows
  const auto weights = aimcsim::exact_layer_weights(w, num);
  at::Tensor fast;
  {
    at::NoGradGuard no_grad;
    fast = aimcsim::analog_linear(weights, x, b, num, gen);
  }
  const at::Tensor xg = x.detach().requires_grad_(true);
  const at::Tensor ref = aimcsim::analog_linear(weights, xg, b, num, gen).detach();
  CHECK(at::allclose(fast, ref, 1e-5, 1e-5));
  CHECK(at::allclose(fast, at::linear(x, w, b), 1e-4, 1e-4));
}

TEST_CASE("analog_needs_autograd: only with grad mode on and a tensor requiring grad") {
  const auto num = small_tiles(false, 0.0);
  const at::Tensor w = at::randn({4, 6});
  const at::Tensor x = at::randn({3, 6});
  const auto plain = aimcsim::exact_layer_weights(w, num);
  CHECK_FALSE(aimcsim::analog_needs_autograd(plain, x, c10::nullopt));
  CHECK(aimcsim::analog_needs_autograd(plain, x.detach().requires_grad_(true), c10::nullopt));
  const at::Tensor bias = at::zeros({4}).requires_grad_(true);
  CHECK(aimcsim::analog_needs_autograd(plain, x, bias));
  const auto trained = aimcsim::exact_layer_weights(w.detach().requires_grad_(true), num);
  CHECK(aimcsim::analog_needs_autograd(trained, x, c10::nullopt));
  at::NoGradGuard no_grad;
  CHECK_FALSE(aimcsim::analog_needs_autograd(trained, x, bias));
}
