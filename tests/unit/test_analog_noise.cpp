// Seeded standard-normal streams of the analog inference path (normal_noise.h).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "models/analog/normal_noise.h"

namespace {

std::vector<float> draw(std::uint64_t key, std::uint64_t stream, std::int64_t n) {
  std::vector<float> v(static_cast<std::size_t>(n));
  aimcsim::NormalStream(key, stream).fill(v.data(), n);
  return v;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("normal streams: same key and stream -> same samples, others differ") {
  CHECK(draw(7, 3, 1000) == draw(7, 3, 1000));
  CHECK(draw(7, 3, 1000) != draw(7, 4, 1000));
  CHECK(draw(7, 3, 1000) != draw(8, 3, 1000));
  // Neighbouring streams are not shifted copies of each other.
  const std::vector<float> a = draw(7, 3, 1000);
  const std::vector<float> b = draw(7, 4, 1000);
  for (std::size_t shift = 0; shift < 8; ++shift) {
    CHECK_FALSE(std::equal(a.begin() + shift, a.end(), b.begin()));
  }
}

TEST_CASE("fill() gives the same sequence as repeated next(), in any chunking") {
  aimcsim::NormalStream one(11, 0);
  std::vector<float> expected(5001);
  for (float& v : expected) v = one.next();
  aimcsim::NormalStream chunked(11, 0);
  std::vector<float> got(expected.size());
  std::size_t at = 0;
  for (std::size_t len : {1, 2, 3, 1000, 7, 998, 1, 2989}) {  // odd and even chunks
    chunked.fill(got.data() + at, static_cast<std::int64_t>(len));
    at += len;
  }
  REQUIRE(at == expected.size());
  CHECK(got == expected);
}

TEST_CASE("normal streams follow N(0,1): moments, Kolmogorov-Smirnov and tails") {
  constexpr std::int64_t kN = 2'000'000;
  std::vector<float> v = draw(2024, 1, kN);
  double sum = 0, sq = 0, cube = 0, quart = 0;
  std::int64_t beyond3 = 0, beyond_r = 0, beyond4 = 0;
  for (float f : v) {
    const double x = f;
    sum += x;
    sq += x * x;
    cube += x * x * x;
    quart += x * x * x * x;
    beyond3 += std::fabs(x) > 3.0;
    beyond_r += std::fabs(x) > 3.6541528853610088;  // the ziggurat's tail region
    beyond4 += std::fabs(x) > 4.0;
  }
  const double n = static_cast<double>(kN);
  CHECK(std::fabs(sum / n) < 5 / std::sqrt(n));                 // mean 0
  CHECK(std::fabs(sq / n - 1.0) < 5 * std::sqrt(2.0 / n));      // variance 1
  CHECK(std::fabs(cube / n) < 5 * std::sqrt(15.0 / n));         // skewness 0
  CHECK(std::fabs(quart / n - 3.0) < 5 * std::sqrt(96.0 / n));  // kurtosis 3
  // Two-sided tail counts within 5 binomial standard deviations.
  for (auto [count, x] : {std::pair{beyond3, 3.0}, std::pair{beyond_r, 3.6541528853610088},
                          std::pair{beyond4, 4.0}}) {
    CAPTURE(x);
    const double p = 2.0 * normal_cdf(-x);
    CHECK(std::fabs(double(count) - n * p) < 5 * std::sqrt(n * p) + 1);
  }
  // Kolmogorov-Smirnov distance; 1.95 / sqrt(n) is the 0.1 % critical value.
  std::sort(v.begin(), v.end());
  double d = 0.0;
  for (std::int64_t i = 0; i < kN; i += 7) {  // every 7th order statistic suffices
    const double f = normal_cdf(v[static_cast<std::size_t>(i)]);
    d = std::max({d, std::fabs(f - double(i) / n), std::fabs(f - double(i + 1) / n)});
  }
  CHECK(d < 1.95 / std::sqrt(n));
}

TEST_CASE(
    "the vector (AVX-512 or AVX2) and the portable implementations give bit-identical samples") {
  std::vector<float> fast(100003), portable(fast.size());
  aimcsim::NormalStream(5, 9).fill(fast.data(), static_cast<std::int64_t>(fast.size()));
  aimcsim::force_portable_noise(true);
  aimcsim::NormalStream(5, 9).fill(portable.data(), static_cast<std::int64_t>(portable.size()));
  aimcsim::force_portable_noise(false);
  CHECK(std::memcmp(fast.data(), portable.data(), fast.size() * sizeof(float)) == 0);
}

TEST_CASE("the AVX2 and the portable implementations give bit-identical samples") {
  if (!aimcsim::force_noise_impl(aimcsim::NoiseImpl::kAvx2)) return;  // no AVX2 here
  std::vector<float> avx2(100003), portable(avx2.size());
  aimcsim::NormalStream(5, 9).fill(avx2.data(), static_cast<std::int64_t>(avx2.size()));
  aimcsim::force_noise_impl(aimcsim::NoiseImpl::kPortable);
  aimcsim::NormalStream(5, 9).fill(portable.data(), static_cast<std::int64_t>(portable.size()));
  aimcsim::force_noise_impl(aimcsim::NoiseImpl::kAuto);
  CHECK(std::memcmp(avx2.data(), portable.data(), avx2.size() * sizeof(float)) == 0);
  // Chunked fills (odd sizes, the slow path's bookkeeping across chunks) agree too.
  aimcsim::force_noise_impl(aimcsim::NoiseImpl::kAvx2);
  aimcsim::NormalStream chunked(5, 9);
  std::vector<float> pieces(avx2.size());
  std::int64_t at = 0;
  for (std::int64_t len = 1; at < static_cast<std::int64_t>(pieces.size()); len = len * 3 + 1) {
    const std::int64_t n =
        std::min<std::int64_t>(len, static_cast<std::int64_t>(pieces.size()) - at);
    chunked.fill(pieces.data() + at, n);
    at += n;
  }
  aimcsim::force_noise_impl(aimcsim::NoiseImpl::kAuto);
  CHECK(std::memcmp(pieces.data(), portable.data(), pieces.size() * sizeof(float)) == 0);
}

TEST_CASE("noise_key draws once from the generator: same seed, same key") {
  at::Generator a = at::detail::createCPUGenerator(5);
  at::Generator b = at::detail::createCPUGenerator(5);
  const std::uint64_t k1 = aimcsim::noise_key(a);
  CHECK(k1 == aimcsim::noise_key(b));
  CHECK(aimcsim::noise_key(a) != k1);  // the generator advanced
}
