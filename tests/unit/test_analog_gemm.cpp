// The FMA-chain GEMM of the inference kernel (level_gemm.h): every element is the in-order
// fused multiply-add chain over k, on every tile shape (row and column remainders, strided
// panels), AVX-512 and portable alike, and equal to oneDNN's SGEMM (which it replaces) up to
// kMaxChainK inputs.
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "models/analog/level_gemm.h"

namespace {

using aimcsim::kernel_loops::gemm_fma_chain;

struct Problem {
  std::int64_t out, k, cols, ld;
  std::vector<float> w, x;
};

// Weights ~ N(0, 0.3); inputs are 8-bit DAC levels (integers in [-127, 127]) as in the kernel.
Problem make_problem(std::int64_t out, std::int64_t k, std::int64_t cols, std::int64_t pad,
                     std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> weight(0.0f, 0.3f);
  std::uniform_int_distribution<int> level(-127, 127);
  Problem p{out, k, cols, cols + pad, {}, {}};
  p.w.resize(static_cast<std::size_t>(out * k));
  p.x.resize(static_cast<std::size_t>(k * p.ld));
  for (float& v : p.w) v = weight(rng);
  for (float& v : p.x) v = static_cast<float>(level(rng));
  return p;
}

std::vector<float> reference(const Problem& p) {
  std::vector<float> y(static_cast<std::size_t>(p.out * p.cols));
  for (std::int64_t o = 0; o < p.out; ++o) {
    for (std::int64_t j = 0; j < p.cols; ++j) {
      float acc = 0.0f;
      for (std::int64_t k = 0; k < p.k; ++k)
        acc = std::fma(p.w[o * p.k + k], p.x[k * p.ld + j], acc);
      y[o * p.cols + j] = acc;
    }
  }
  return y;
}

// y with a guard band after every row: the kernel must write exactly `cols` values per row.
std::vector<float> run(const Problem& p, bool portable, std::int64_t guard) {
  aimcsim::kernel_loops::force_portable_gemm(portable);
  const std::int64_t ldy = p.cols + guard;
  std::vector<float> y(static_cast<std::size_t>(p.out * ldy), -7.0f);
  gemm_fma_chain(p.w.data(), p.out, p.k, p.x.data(), p.ld, p.cols, y.data(), ldy);
  aimcsim::kernel_loops::force_portable_gemm(false);
  std::vector<float> dense(static_cast<std::size_t>(p.out * p.cols));
  for (std::int64_t o = 0; o < p.out; ++o) {
    for (std::int64_t j = 0; j < ldy; ++j) {
      if (j < p.cols) {
        dense[o * p.cols + j] = y[o * ldy + j];
      } else {
        REQUIRE(y[o * ldy + j] == -7.0f);
      }
    }
  }
  return dense;
}

bool bit_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// out, k, cols: 8-row tiles with remainders 1..7, 48-column strips with 1- and 2-vector
// tails and partial vectors, the zoo's layer shapes, a single element.
const std::int64_t kShapes[][3] = {{16, 9, 784},  {16, 144, 784}, {32, 288, 392}, {64, 192, 49},
                                   {10, 64, 256}, {13, 200, 77},  {7, 5, 33},     {1, 1, 1},
                                   {9, 384, 50},  {3, 17, 16},    {15, 31, 47}};

}  // namespace

TEST_CASE("FMA-chain GEMM: each element is the in-order fma chain, AVX-512 and portable") {
  std::uint32_t seed = 1;
  for (const auto& s : kShapes) {
    for (const std::int64_t pad : {0, 5}) {
      CAPTURE(s[0]);
      CAPTURE(s[1]);
      CAPTURE(s[2]);
      CAPTURE(pad);
      const Problem p = make_problem(s[0], s[1], s[2], pad, seed++);
      const std::vector<float> want = reference(p);
      CHECK(bit_equal(run(p, false, 3), want));
      CHECK(bit_equal(run(p, true, 3), want));
    }
  }
}

TEST_CASE("FMA-chain GEMM equals oneDNN's SGEMM up to kMaxChainK inputs") {
  using Sgemm = int (*)(char, char, std::int64_t, std::int64_t, std::int64_t, float, const float*,
                        std::int64_t, const float*, std::int64_t, float, float*, std::int64_t);
  void* lib = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_NOLOAD);
  if (lib == nullptr) lib = dlopen("libdnnl.so.2", RTLD_NOW);
  const auto sgemm = lib ? reinterpret_cast<Sgemm>(dlsym(lib, "dnnl_sgemm")) : nullptr;
  if (sgemm == nullptr) {
    MESSAGE("libdnnl not found: nothing to compare with");
    return;
  }
  // The chain is oneDNN's accumulation order only in oneDNN's AVX-512 kernel (level_gemm.h);
  // its AVX2 kernel splits k differently, so elsewhere there is no bit-equal claim to check.
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) {
    MESSAGE("no AVX-512: oneDNN uses another accumulation order, nothing to compare with");
    return;
  }
  std::uint32_t seed = 100;
  for (const auto& s : kShapes) {
    CAPTURE(s[1]);
    REQUIRE(s[1] <= aimcsim::kernel_loops::kMaxChainK);
    const Problem p = make_problem(s[0], s[1], s[2], 0, seed++);
    std::vector<float> y(static_cast<std::size_t>(p.out * p.cols));
    REQUIRE(sgemm('N', 'N', p.out, p.cols, p.k, 1.0f, p.w.data(), p.k, p.x.data(), p.ld, 0.0f,
                  y.data(), p.cols) == 0);
    CHECK(bit_equal(run(p, false, 0), y));
  }
}
