// The analog MVM path (FACTS.md s.2) and global drift compensation (FACTS.md s.1).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

#include "models/analog/analog_mvm.h"
#include "models/analog/bounded_quant.h"
#include "models/analog/programmed_layer.h"

namespace {

aimcsim::AnalogNumericsParams all_off() {
  aimcsim::AnalogNumericsParams p;
  p.dac_bits = 0;
  p.adc_bits = 0;
  p.out_bound = 0.0;
  p.out_noise = 0.0;
  p.tile_rows = 512;
  p.tile_cols = 256;
  return p;
}

aimcsim::PcmParams ideal_device() {
  aimcsim::PcmParams p;
  p.kind = aimcsim::DeviceModelKind::kIdeal;
  return p;
}

}  // namespace

TEST_CASE("bounded quantiser: step 2b/(2^bits-2), 2^bits-1 levels, clipping at the bounds") {
  CHECK(aimcsim::bounded_quant_step(8, 1.0) == doctest::Approx(2.0 / 254.0));
  CHECK(aimcsim::bounded_quant_step(4, 10.0) == doctest::Approx(20.0 / 14.0));
  const at::Tensor ramp = at::linspace(-3.0, 3.0, 100001, at::kFloat);
  const at::Tensor q = aimcsim::quantize_bounded(ramp, 4, 2.0);
  CHECK(std::get<0>(at::_unique(q)).numel() == 15);
  CHECK(q.max().item<float>() == doctest::Approx(2.0));
  CHECK(q.min().item<float>() == doctest::Approx(-2.0));
  const double step = 4.0 / 14.0;
  const at::Tensor inside = ramp.abs() <= 2.0;
  CHECK((q - ramp).masked_select(inside).abs().max().item<double>() <= step / 2 + 1e-6);
  CHECK(at::allclose(q / step, (q / step).round(), 0, 1e-4));  // every output is a level
  CHECK(at::equal(aimcsim::quantize_bounded(ramp, 0, 2.0), ramp.clamp(-2.0, 2.0)));  // no rounding
  CHECK(at::equal(aimcsim::quantize_bounded(ramp, 8, 0.0), ramp));                   // off
}

TEST_CASE("with noise, drift and quantisation off the analog linear layer equals FP") {
  at::Generator gen = at::detail::createCPUGenerator(3);
  const auto num = all_off();
  const at::Tensor w = at::randn({300, 1152}, gen, at::kFloat) * 0.05;  // 3 x 2 tiles
  const at::Tensor b = at::randn({300}, gen, at::kFloat);
  const at::Tensor x = at::randn({64, 1152}, gen, at::kFloat);
  const aimcsim::ProgrammedLayer layer(w, ideal_device(), num, gen);
  CHECK(layer.split().num_tiles() == 6);
  const auto weights = layer.weights_at(3600.0, gen);
  const at::Tensor y = aimcsim::analog_linear(weights, x, b, num, gen);
  CHECK(at::allclose(y, at::linear(x, w, b), 1e-4, 1e-4));
  // The same holds with drift compensation on for a noise-free device (alpha = 1) and with
  // noise management off.
  auto num2 = num;
  num2.noise_management = aimcsim::NoiseManagement::kNone;
  num2.inp_bound = 0.0;  // unscaled N(0,1) inputs would clip at the DAC bound
  num2.drift_compensation = false;
  const aimcsim::ProgrammedLayer layer2(w, ideal_device(), num2, gen);
  CHECK(at::allclose(aimcsim::analog_linear(layer2.weights_at(0, gen), x, b, num2, gen),
                     at::linear(x, w, b), 1e-4, 1e-4));
}

TEST_CASE("output noise has std out_noise * input scale * weight scale") {
  at::Generator gen = at::detail::createCPUGenerator(4);
  auto num = all_off();
  num.out_noise = 0.04;
  const at::Tensor w = at::randn({64, 100}, gen, at::kFloat);
  const at::Tensor x = at::randn({4000, 100}, gen, at::kFloat);
  const auto weights = aimcsim::exact_layer_weights(w, num);
  const at::Tensor err =
      aimcsim::analog_linear(weights, x, c10::nullopt, num, gen) - at::linear(x, w);
  const at::Tensor expected_std = 0.04 * std::get<0>(x.abs().max(1, true)) * w.abs().max();
  CHECK((err / expected_std).std().item<double>() == doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("ADC clips at out_bound and quantises in steps of 2 out_bound/(2^bits-2)") {
  at::Generator gen = at::detail::createCPUGenerator(5);
  auto num = all_off();
  num.adc_bits = 6;
  num.out_bound = 3.0;
  num.noise_management = aimcsim::NoiseManagement::kNone;
  const at::Tensor w = at::ones({1, 8});  // y = sum(x), weight scale 1
  const at::Tensor x = at::rand({2000, 8}, gen, at::kFloat) - 0.2;
  const at::Tensor y =
      aimcsim::analog_linear(aimcsim::exact_layer_weights(w, num), x, c10::nullopt, num, gen);
  const double step = 6.0 / 62.0;
  CHECK(y.max().item<double>() == doctest::Approx(3.0));
  CHECK(at::allclose(y / step, (y / step).round(), 0, 1e-4));
  const at::Tensor exact = x.sum(1, true);
  const at::Tensor inside = exact.abs() < 3.0;
  CHECK((y - exact).masked_select(inside).abs().max().item<double>() <= step / 2 + 1e-5);
}

TEST_CASE("global drift compensation recovers the mean output scale after drift") {
  at::Generator gen = at::detail::createCPUGenerator(6);
  aimcsim::PcmParams pcm;             // PCM drift; programming and read noise on
  aimcsim::AnalogNumericsParams num;  // standard: 8-bit DAC/ADC, out_noise 0.04
  num.out_bound = 12.0;
  const at::Tensor w = at::randn({128, 256}, gen, at::kFloat) * 0.1;
  const at::Tensor x = at::randn({2000, 256}, gen, at::kFloat);
  const double ref = at::linear(x, w).abs().mean().item<double>();
  const aimcsim::ProgrammedLayer comp(w, pcm, num, gen);
  auto off = num;
  off.drift_compensation = false;
  const aimcsim::ProgrammedLayer raw(w, pcm, off, gen);
  for (double t : {3600.0, 86400.0, 365 * 86400.0}) {
    CAPTURE(t);
    const auto wc = comp.weights_at(t, gen);
    const double with =
        aimcsim::analog_linear(wc, x, c10::nullopt, num, gen).abs().mean().item<double>();
    const double without = aimcsim::analog_linear(raw.weights_at(t, gen), x, c10::nullopt, off, gen)
                               .abs()
                               .mean()
                               .item<double>();
    MESSAGE("t=" << t << " s: mean|y| / FP with compensation " << with / ref << ", without "
                 << without / ref << ", mean alpha " << wc.alpha.mean().item<double>());
    CHECK(with / ref == doctest::Approx(1.0).epsilon(0.03));
    CHECK(without / ref < 0.85);  // drift shrinks uncompensated outputs (FACTS.md s.1)
    CHECK(wc.alpha.mean().item<double>() == doctest::Approx(ref / without).epsilon(0.03));
  }
}

TEST_CASE("averaging one-hot reads shrinks the compensation error of a small tile") {
  // A 9-input, 16-output tile (a 3x3 stem conv): 144 one-hot outputs per read, so output
  // noise and ADC steps give alpha an error of several percent with one read. Read noise
  // and drift are off, so the true alpha is 1 and all of alpha's spread is read-out error.
  const at::Tensor w =
      (at::randn({16, 9}, at::detail::createCPUGenerator(3), at::kFloat) * 0.3).clamp(-1, 1);
  aimcsim::PcmParams pcm;
  pcm.read_noise_scale = 0.0;
  pcm.drift_scale = 0.0;
  const auto alpha_moments = [&](int reads) {
    aimcsim::AnalogNumericsParams num;  // 8-bit DAC/ADC, out_noise 0.04
    num.compensation_reads = reads;
    double sum = 0, sq = 0;
    constexpr int kSeeds = 300;
    for (int s = 0; s < kSeeds; ++s) {
      at::Generator gen = at::detail::createCPUGenerator(1000 + s);
      const aimcsim::ProgrammedLayer layer(w, pcm, num, gen);
      const double a = layer.weights_at(3600.0, gen).alpha.item<double>();
      sum += a;
      sq += a * a;
    }
    const double mean = sum / kSeeds;
    return std::pair{mean, std::sqrt((sq - kSeeds * mean * mean) / (kSeeds - 1))};
  };
  const auto [m1, s1] = alpha_moments(1);
  const auto [m16, s16] = alpha_moments(16);
  MESSAGE("alpha 1 read " << m1 << " +- " << s1 << ", 16 reads " << m16 << " +- " << s16);
  CHECK(s1 > 0.01);                                      // one read: a percent-level error
  CHECK(s1 / s16 == doctest::Approx(4.0).epsilon(0.3));  // ~sqrt(16)
  CHECK(m16 == doctest::Approx(1.0).epsilon(0.005));
}

TEST_CASE("same seed -> bit-identical noisy outputs, another seed -> different") {
  const at::Tensor w = at::randn({96, 700}, at::detail::createCPUGenerator(1), at::kFloat);
  const at::Tensor x = at::randn({32, 700}, at::detail::createCPUGenerator(2), at::kFloat);
  aimcsim::AnalogNumericsParams num;
  num.w_noise = 0.02;
  const auto run = [&](std::uint64_t seed) {
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const aimcsim::ProgrammedLayer layer(w, aimcsim::PcmParams{}, num, gen);
    return aimcsim::analog_linear(layer.weights_at(86400.0, gen), x, c10::nullopt, num, gen);
  };
  const at::Tensor x_before = x.clone();
  const at::Tensor a = run(42);
  CHECK(at::equal(x, x_before));  // the caller's input is never overwritten
  CHECK(at::equal(a, run(42)));
  CHECK_FALSE(at::equal(a, run(43)));
  // Noisy but close to the FP result: relative error of a few percent.
  const double rel =
      (a - at::linear(x, w)).norm().item<double>() / at::linear(x, w).norm().item<double>();
  CHECK(rel > 0.01);
  CHECK(rel < 0.3);
}
