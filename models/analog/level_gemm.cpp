// Register-blocked FMA-chain GEMM on DAC-level panels (level_gemm.h).
// GCC 12 flags the _mm512_undefined_*() placeholders inside its own AVX-512 intrinsics as
// uninitialised (GCC bug 105593); the warnings are false positives.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "models/analog/level_gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>

namespace aimcsim::kernel_loops {
namespace {

constexpr std::int64_t kLanes = 16;
constexpr int kRowTile = 8;  // output rows per register tile
constexpr int kVecTile = 3;  // column vectors per register tile (8 x 3 accumulators)

__attribute__((target("avx512f"))) inline __mmask16 lanes_left(std::int64_t n) {
  return n >= kLanes ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << static_cast<unsigned>(n)) - 1u);
}

// Rows [0, MR) x vectors [0, NR) of y from w (row stride k_size) and x (row stride ld);
// `last` masks the lanes of vector NR-1.
template <int MR, int NR>
__attribute__((target("avx512f"))) void tile(const float* w, std::int64_t k_size, const float* x,
                                             std::int64_t ld, float* y, std::int64_t ldy,
                                             __mmask16 last) {
  __m512 acc[MR][NR];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 3
    for (int c = 0; c < NR; ++c) acc[r][c] = _mm512_setzero_ps();
  }
  for (std::int64_t k = 0; k < k_size; ++k) {
    const float* xk = x + k * ld;
    __m512 xv[NR];
#pragma GCC unroll 3
    for (int c = 0; c < NR; ++c) {
      xv[c] = c + 1 < NR ? _mm512_loadu_ps(xk + c * kLanes)
                         : _mm512_maskz_loadu_ps(last, xk + c * kLanes);
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const __m512 wb = _mm512_set1_ps(w[r * k_size + k]);
#pragma GCC unroll 3
      for (int c = 0; c < NR; ++c) acc[r][c] = _mm512_fmadd_ps(wb, xv[c], acc[r][c]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 3
    for (int c = 0; c < NR; ++c) {
      if (c + 1 < NR) {
        _mm512_storeu_ps(y + r * ldy + c * kLanes, acc[r][c]);
      } else {
        _mm512_mask_storeu_ps(y + r * ldy + c * kLanes, last, acc[r][c]);
      }
    }
  }
}

using TileFn = void (*)(const float*, std::int64_t, const float*, std::int64_t, float*,
                        std::int64_t, __mmask16);

template <int NR>
TileFn tile_for_rows(int mr) {
  switch (mr) {
    case 1:
      return &tile<1, NR>;
    case 2:
      return &tile<2, NR>;
    case 3:
      return &tile<3, NR>;
    case 4:
      return &tile<4, NR>;
    case 5:
      return &tile<5, NR>;
    case 6:
      return &tile<6, NR>;
    case 7:
      return &tile<7, NR>;
    default:
      return &tile<8, NR>;
  }
}

TileFn tile_for(int mr, int nr) {
  switch (nr) {
    case 1:
      return tile_for_rows<1>(mr);
    case 2:
      return tile_for_rows<2>(mr);
    default:
      return tile_for_rows<3>(mr);
  }
}

__attribute__((target("avx512f"))) void gemm_avx512(const float* w, std::int64_t out,
                                                    std::int64_t k_size, const float* x,
                                                    std::int64_t ld, std::int64_t cols, float* y,
                                                    std::int64_t ldy) {
  const std::int64_t strip = kVecTile * kLanes;
  for (std::int64_t j = 0; j < cols; j += strip) {  // a column strip, reused by all row tiles
    const std::int64_t n = std::min(strip, cols - j);
    const int nr = static_cast<int>((n + kLanes - 1) / kLanes);
    const __mmask16 last = lanes_left(n - (nr - 1) * kLanes);
    for (std::int64_t o = 0; o < out; o += kRowTile) {
      const int mr = static_cast<int>(std::min<std::int64_t>(kRowTile, out - o));
      tile_for(mr, nr)(w + o * k_size, k_size, x + j, ld, y + o * ldy + j, ldy, last);
    }
  }
}

void gemm_portable(const float* w, std::int64_t out, std::int64_t k_size, const float* x,
                   std::int64_t ld, std::int64_t cols, float* y, std::int64_t ldy) {
  for (std::int64_t o = 0; o < out; ++o) {
    float* yo = y + o * ldy;
    std::fill(yo, yo + cols, 0.0f);
    for (std::int64_t k = 0; k < k_size; ++k) {
      const float wk = w[o * k_size + k];
      const float* xk = x + k * ld;
      for (std::int64_t j = 0; j < cols; ++j) yo[j] = std::fma(wk, xk[j], yo[j]);
    }
  }
}

// AVX2 + FMA (CPUs without AVX-512): 4 rows x 2 vectors of 8 lanes per register tile, the
// column remainder with scalar fused multiply-adds. Every element is the same FMA chain in
// order of k as gemm_portable's, so the results are bit-identical to it.
template <int MR>
__attribute__((target("avx2,fma"))) void rows_avx2(const float* w, std::int64_t k_size,
                                                   const float* x, std::int64_t ld,
                                                   std::int64_t cols, float* y, std::int64_t ldy) {
  constexpr std::int64_t kStep = 16;
  std::int64_t j = 0;
  for (; j + kStep <= cols; j += kStep) {
    __m256 acc[MR][2];
    for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (std::int64_t k = 0; k < k_size; ++k) {
      const float* xk = x + k * ld + j;
      const __m256 x0 = _mm256_loadu_ps(xk);
      const __m256 x1 = _mm256_loadu_ps(xk + 8);
      for (int r = 0; r < MR; ++r) {
        const __m256 wb = _mm256_broadcast_ss(w + r * k_size + k);
        acc[r][0] = _mm256_fmadd_ps(wb, x0, acc[r][0]);
        acc[r][1] = _mm256_fmadd_ps(wb, x1, acc[r][1]);
      }
    }
    for (int r = 0; r < MR; ++r) {
      _mm256_storeu_ps(y + r * ldy + j, acc[r][0]);
      _mm256_storeu_ps(y + r * ldy + j + 8, acc[r][1]);
    }
  }
  for (; j < cols; ++j) {
    for (int r = 0; r < MR; ++r) {
      float acc = 0.0f;
      for (std::int64_t k = 0; k < k_size; ++k)
        acc = std::fma(w[r * k_size + k], x[k * ld + j], acc);
      y[r * ldy + j] = acc;
    }
  }
}

__attribute__((target("avx2,fma"))) void gemm_avx2(const float* w, std::int64_t out,
                                                   std::int64_t k_size, const float* x,
                                                   std::int64_t ld, std::int64_t cols, float* y,
                                                   std::int64_t ldy) {
  std::int64_t o = 0;
  for (; o + 4 <= out; o += 4) rows_avx2<4>(w + o * k_size, k_size, x, ld, cols, y + o * ldy, ldy);
  for (; o < out; ++o) rows_avx2<1>(w + o * k_size, k_size, x, ld, cols, y + o * ldy, ldy);
}

bool detect_avx512() {
  __builtin_cpu_init();  // needed before __builtin_cpu_supports in static initialisers
  return __builtin_cpu_supports("avx512f");
}

bool detect_avx2_fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

bool g_avx512 = detect_avx512();
bool g_avx2 = detect_avx2_fma();

}  // namespace

void gemm_fma_chain(const float* w, std::int64_t out, std::int64_t k_size, const float* x,
                    std::int64_t ld, std::int64_t cols, float* y, std::int64_t ldy) {
  if (out <= 0 || cols <= 0) return;
  if (g_avx512) return gemm_avx512(w, out, k_size, x, ld, cols, y, ldy);
  if (g_avx2) return gemm_avx2(w, out, k_size, x, ld, cols, y, ldy);
  gemm_portable(w, out, k_size, x, ld, cols, y, ldy);
}

void force_portable_gemm(bool portable) {
  g_avx512 = !portable && detect_avx512();
  g_avx2 = !portable && detect_avx2_fma();
}

}  // namespace aimcsim::kernel_loops
