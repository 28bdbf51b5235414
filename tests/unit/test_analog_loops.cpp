// The element loops of the inference kernel (kernel_loops.h) at every row width around the
// 16-lane vectors: the AVX-512 loops (plain stores for full vectors, masked tails) equal the
// portable ones bit for bit, write nothing beyond each row, and the DAC works in place.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "models/analog/kernel_loops.h"

namespace {

namespace kl = aimcsim::kernel_loops;

constexpr float kGuard = -1234.5f;

std::vector<float> normals(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> z(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = z(rng);
  return v;
}

bool bit_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// DAC of a rows x cols view (row stride cols + 3, element stride `stride`) into a dense
// buffer with a guard band; then the same in place on a dense copy of the input.
std::vector<float> run_dac(std::int64_t rows, std::int64_t cols, std::int64_t stride,
                           bool portable) {
  kl::force_portable_loops(portable);
  const std::int64_t row_stride = cols * stride + 3;
  const std::vector<float> x = normals(static_cast<std::size_t>(rows * row_stride), 7);
  std::vector<float> r(static_cast<std::size_t>(rows * cols), 60.0f);
  for (std::size_t i = 0; i < r.size(); ++i) r[i] += static_cast<float>(i % 13);
  const kl::Dac dac{-127.0f, 127.0f, true, true};
  std::vector<float> out(static_cast<std::size_t>(rows * cols + 16), kGuard);
  kl::dac({x.data(), row_stride, stride, rows, cols}, r.data(), dac, out.data());
  for (std::size_t i = static_cast<std::size_t>(rows * cols); i < out.size(); ++i) {
    REQUIRE(out[i] == kGuard);
  }
  out.resize(static_cast<std::size_t>(rows * cols));
  if (stride == 1) {  // in place, one dense row at a time as InferenceKernel::run does
    std::vector<float> dense(static_cast<std::size_t>(rows * cols));
    for (std::int64_t i = 0; i < rows; ++i) {
      std::copy(x.begin() + i * row_stride, x.begin() + i * row_stride + cols,
                dense.begin() + i * cols);
    }
    for (std::int64_t i = 0; i < rows; ++i) {
      float* row = dense.data() + i * cols;
      kl::dac({row, 0, 1, 1, cols}, r.data() + i * cols, dac, row);
    }
    CHECK(bit_equal(dense, out));
  }
  kl::force_portable_loops(false);
  return out;
}

std::vector<float> run_adc(std::int64_t n, bool accumulate, bool portable) {
  kl::force_portable_loops(portable);
  const std::vector<float> y = normals(static_cast<std::size_t>(n), 11);
  const std::vector<float> z = normals(static_cast<std::size_t>(n), 12);
  std::vector<float> sc(static_cast<std::size_t>(n), 0.01f);
  const float bias = 0.25f;
  kl::Adc adc{800.0f, 3.0f, -127.0f, 127.0f, true, true};
  kl::AdcRow row;
  row.y = y.data();
  row.z = z.data();
  row.sc = sc.data();
  row.scaled = true;
  row.out_scale = 1.5f;
  row.accumulate = accumulate;
  row.bias = &bias;
  std::vector<float> dst = normals(static_cast<std::size_t>(n), 13);
  dst.resize(static_cast<std::size_t>(n + 16), kGuard);
  kl::adc(row, adc, n, dst.data(), 1);
  for (std::size_t i = static_cast<std::size_t>(n); i < dst.size(); ++i) REQUIRE(dst[i] == kGuard);
  kl::force_portable_loops(false);
  dst.resize(static_cast<std::size_t>(n));
  return dst;
}

std::vector<float> run_abs_max(std::int64_t rows, std::int64_t cols, bool portable) {
  kl::force_portable_loops(portable);
  const std::vector<float> x = normals(static_cast<std::size_t>(rows * (cols + 2)), 17);
  std::vector<float> s(static_cast<std::size_t>(rows * cols + 16), 0.5f);
  for (std::size_t i = static_cast<std::size_t>(rows * cols); i < s.size(); ++i) s[i] = kGuard;
  kl::abs_max_into({x.data(), cols + 2, 1, rows, cols}, s.data());
  for (std::size_t i = static_cast<std::size_t>(rows * cols); i < s.size(); ++i) {
    REQUIRE(s[i] == kGuard);
  }
  kl::force_portable_loops(false);
  s.resize(static_cast<std::size_t>(rows * cols));
  return s;
}

}  // namespace

TEST_CASE("DAC loop: every width, strides 1 to 3, in place, AVX-512 equals portable") {
  for (std::int64_t cols = 1; cols <= 50; ++cols) {
    for (std::int64_t stride = 1; stride <= 3; ++stride) {
      CAPTURE(cols);
      CAPTURE(stride);
      const std::vector<float> fast = run_dac(3, cols, stride, false);
      CHECK(bit_equal(fast, run_dac(3, cols, stride, true)));
      // Levels are integers within the clip range, not all equal.
      CHECK(std::all_of(fast.begin(), fast.end(),
                        [](float v) { return v == std::nearbyint(v) && std::fabs(v) <= 127.0f; }));
    }
  }
}

TEST_CASE("ADC and abs-max loops: every width, AVX-512 equals portable") {
  for (std::int64_t n = 1; n <= 50; ++n) {
    CAPTURE(n);
    CHECK(bit_equal(run_adc(n, false, false), run_adc(n, false, true)));
    CHECK(bit_equal(run_adc(n, true, false), run_adc(n, true, true)));
    CHECK(bit_equal(run_abs_max(2, n, false), run_abs_max(2, n, true)));
  }
}
