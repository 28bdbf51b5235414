// PCM device model against FACTS.md s.1 formulas and check values, from seeded samples.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

#include <cmath>

#include "models/device/pcm_device.h"
#include "models/error.h"

namespace {

using aimcsim::PcmParams;

constexpr std::int64_t kSamples = 200000;
constexpr double kDay = 86400.0;

at::Tensor full_targets(double x, const PcmParams& p) {
  return at::full({kSamples}, x * p.g_max_us, at::kDouble);
}

template <typename F>
double scalar_of(F f, double x, const PcmParams& p) {
  return f(at::full({1}, x * p.g_max_us, at::kDouble), p).template item<double>();
}

// E|mu + sig Z| of a folded normal.
double folded_mean(double mu, double sig) {
  return sig * std::sqrt(2.0 / M_PI) * std::exp(-mu * mu / (2 * sig * sig)) +
         mu * std::erf(mu / (sig * std::sqrt(2.0)));
}

}  // namespace

TEST_CASE("per-conductance statistics match the FACTS.md s.1 table") {
  const PcmParams p;
  struct Row {
    double x, sigma_prog, mu_nu, sig_nu, q_s;
  };
  for (const Row& r : {Row{0.0, 0.2635, 0.100, 0.045, 0.200}, Row{0.5, 0.953, 0.049, 0.008, 0.0138},
                       Row{1.0, 1.055, 0.049, 0.008, 0.0088}}) {
    CAPTURE(r.x);
    CHECK(scalar_of(aimcsim::pcm_sigma_prog_us, r.x, p) ==
          doctest::Approx(r.sigma_prog).epsilon(1e-3));
    CHECK(scalar_of(aimcsim::pcm_nu_mean, r.x, p) == doctest::Approx(r.mu_nu).epsilon(1e-9));
    CHECK(scalar_of(aimcsim::pcm_nu_std, r.x, p) == doctest::Approx(r.sig_nu).epsilon(1e-9));
    CHECK(scalar_of(aimcsim::pcm_read_noise_qs, r.x, p) == doctest::Approx(r.q_s).epsilon(3e-3));
  }
  // sigma_prog scales with g_max / 25.
  PcmParams p50;
  p50.g_max_us = 50.0;
  CHECK(scalar_of(aimcsim::pcm_sigma_prog_us, 0.5, p50) ==
        doctest::Approx(2 * 0.953).epsilon(1e-3));
}

TEST_CASE("programming noise measured from samples matches sigma_prog") {
  const PcmParams p;
  at::Generator gen = at::detail::createCPUGenerator(11);
  for (const auto& [x, sigma] : {std::pair{0.5, 0.953}, std::pair{1.0, 1.055}}) {
    CAPTURE(x);
    const auto dev = aimcsim::pcm_program(full_targets(x, p), p, gen);
    CHECK(dev.g_prog_us.mean().item<double>() == doctest::Approx(x * p.g_max_us).epsilon(1e-3));
    MESSAGE("sigma_prog at x=" << x << ": " << dev.g_prog_us.std().item<double>() << " uS");
    CHECK(dev.g_prog_us.std().item<double>() == doctest::Approx(sigma).epsilon(0.01));
  }
  // At g = 0 the draw is clipped at 0: E[g^2] = sigma^2 / 2 and half the devices are 0.
  const auto dev0 = aimcsim::pcm_program(full_targets(0.0, p), p, gen);
  const double sigma0 = std::sqrt(2.0 * dev0.g_prog_us.pow(2).mean().item<double>());
  MESSAGE("sigma_prog at x=0: " << sigma0 << " uS");
  CHECK(sigma0 == doctest::Approx(0.2635).epsilon(0.01));
  CHECK(dev0.g_prog_us.min().item<double>() == 0.0);
  CHECK((dev0.g_prog_us == 0).to(at::kDouble).mean().item<double>() ==
        doctest::Approx(0.5).epsilon(0.01));
}

TEST_CASE("drift exponents measured from samples match mu_nu and sig_nu") {
  const PcmParams p;
  at::Generator gen = at::detail::createCPUGenerator(12);
  for (const auto& [x, mu, sig] : {std::tuple{0.5, 0.049, 0.008}, std::tuple{1.0, 0.049, 0.008},
                                   std::tuple{0.0, 0.100, 0.045}}) {
    CAPTURE(x);
    const at::Tensor nu = aimcsim::pcm_program(full_targets(x, p), p, gen).nu;
    CHECK(nu.min().item<double>() >= 0.0);
    MESSAGE("nu at x=" << x << ": mean " << nu.mean().item<double>() << ", std "
                       << nu.std().item<double>());
    CHECK(nu.mean().item<double>() == doctest::Approx(folded_mean(mu, sig)).epsilon(0.005));
    if (x > 0) {  // folding is negligible here, the sample std is sig_nu
      CHECK(nu.std().item<double>() == doctest::Approx(sig).epsilon(0.01));
    }
  }
}

TEST_CASE("drift multiplier and read-noise factor match the FACTS.md s.1 check values") {
  const PcmParams p;
  for (const auto& [t, m] :
       {std::pair{1.0, 0.998}, std::pair{60.0, 0.934}, std::pair{3600.0, 0.775},
        std::pair{kDay, 0.664}, std::pair{30 * kDay, 0.562}, std::pair{365 * kDay, 0.497}}) {
    CAPTURE(t);
    CHECK(aimcsim::pcm_drift_multiplier(0.049, t, p) == doctest::Approx(m).epsilon(1e-3));
  }
  for (const auto& [t, f] : {std::pair{1.0, 4.19}, std::pair{3600.0, 4.77}, std::pair{kDay, 5.09},
                             std::pair{365 * kDay, 5.64}}) {
    CAPTURE(t);
    CHECK(aimcsim::pcm_read_noise_factor(t, p) == doctest::Approx(f).epsilon(1.5e-3));
  }
}

TEST_CASE("sampled drift follows E[(t/t0)^-nu] and sampled read noise Q_s * factor") {
  PcmParams p;
  p.prog_noise_scale = 0.0;
  p.read_noise_scale = 0.0;
  at::Generator gen = at::detail::createCPUGenerator(13);
  const auto dev = aimcsim::pcm_program(full_targets(0.5, p), p, gen);
  for (double t : {60.0, kDay, 365 * kDay}) {
    CAPTURE(t);
    const double log_ratio = std::log((t + p.t0_s) / p.t0_s);
    // Lognormal mean over nu ~ N(0.049, 0.008): exp(-mu L + sig^2 L^2 / 2).
    const double expected = std::exp(-0.049 * log_ratio + 0.5 * std::pow(0.008 * log_ratio, 2));
    const double measured =
        (aimcsim::pcm_conductance_at(dev, t, p, gen) / dev.g_prog_us).mean().item<double>();
    MESSAGE("mean drift multiplier at t=" << t << " s: " << measured << " (expected " << expected
                                          << ")");
    CHECK(measured == doctest::Approx(expected).epsilon(1e-3));
  }
  PcmParams pr;  // read noise only
  pr.prog_noise_scale = 0.0;
  pr.drift_scale = 0.0;
  const auto dev_r = aimcsim::pcm_program(full_targets(0.5, pr), pr, gen);
  for (const auto& [t, f] :
       {std::pair{1.0, 4.19}, std::pair{kDay, 5.09}, std::pair{365 * kDay, 5.64}}) {
    CAPTURE(t);
    const at::Tensor rel = aimcsim::pcm_conductance_at(dev_r, t, pr, gen) / dev_r.g_prog_us - 1.0;
    CHECK(rel.mean().item<double>() == doctest::Approx(0.0).epsilon(1e-3).scale(1.0));
    MESSAGE("read noise std/g at t=" << t << " s: " << rel.std().item<double>() << " (Q_s*f "
                                     << 0.0138 * f << ")");
    CHECK(rel.std().item<double>() == doctest::Approx(0.0138 * f).epsilon(0.01));
  }
}

TEST_CASE("programming is drawn once, later reads resample only read noise") {
  PcmParams p;
  at::Generator gen = at::detail::createCPUGenerator(14);
  const at::Tensor target = at::rand({1000}, gen, at::kDouble) * p.g_max_us;
  const auto dev = aimcsim::pcm_program(target, p, gen);
  const at::Tensor a = aimcsim::pcm_conductance_at(dev, kDay, p, gen);
  const at::Tensor b = aimcsim::pcm_conductance_at(dev, kDay, p, gen);
  CHECK_FALSE(at::equal(a, b));  // fresh read noise
  PcmParams quiet = p;
  quiet.read_noise_scale = 0.0;
  const at::Tensor c = aimcsim::pcm_conductance_at(dev, kDay, quiet, gen);
  const at::Tensor d = aimcsim::pcm_conductance_at(dev, kDay, quiet, gen);
  CHECK(at::equal(c, d));  // same programming, same drift
  CHECK(at::allclose(c, dev.g_prog_us * at::exp(-dev.nu * std::log((kDay + 20.0) / 20.0))));
  // Same seed -> bit-identical programming and reads; another seed -> different.
  at::Generator g1 = at::detail::createCPUGenerator(7);
  at::Generator g2 = at::detail::createCPUGenerator(7);
  at::Generator g3 = at::detail::createCPUGenerator(8);
  const auto d1 = aimcsim::pcm_program(target, p, g1);
  const auto d2 = aimcsim::pcm_program(target, p, g2);
  const auto d3 = aimcsim::pcm_program(target, p, g3);
  CHECK(at::equal(d1.g_prog_us, d2.g_prog_us));
  CHECK(at::equal(d1.nu, d2.nu));
  CHECK(at::equal(aimcsim::pcm_conductance_at(d1, 3600, p, g1),
                  aimcsim::pcm_conductance_at(d2, 3600, p, g2)));
  CHECK_FALSE(at::equal(d1.g_prog_us, d3.g_prog_us));
}

TEST_CASE("ideal device: no noise, no drift, targets clamp to [0, g_max]") {
  PcmParams p;
  p.kind = aimcsim::DeviceModelKind::kIdeal;
  at::Generator gen = at::detail::createCPUGenerator(15);
  const at::Tensor target = at::tensor({-1.0, 0.0, 10.0, 25.0, 30.0}, at::kDouble);
  const auto dev = aimcsim::pcm_program(target, p, gen);
  CHECK(at::equal(dev.g_prog_us, at::tensor({0.0, 0.0, 10.0, 25.0, 25.0}, at::kDouble)));
  CHECK(at::equal(aimcsim::pcm_conductance_at(dev, 365 * kDay, p, gen), dev.g_prog_us));
  CHECK_THROWS_AS(aimcsim::pcm_conductance_at(dev, -1.0, p, gen), aimcsim::Error);
}
