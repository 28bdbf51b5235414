// AVX-512, AVX2 and portable element loops of the analog inference kernel (kernel_loops.h).
// GCC 12 flags the _mm512_undefined_*() placeholders inside its own AVX-512 intrinsics as
// uninitialised (GCC bug 105593); the warnings are false positives.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "models/analog/kernel_loops.h"

#include <immintrin.h>

#include <bit>
#include <cmath>

namespace aimcsim::kernel_loops {
namespace {

// The portable operations mirror the AVX-512 instructions exactly (vmaxps, vminps,
// vrndscaleps to nearest even).
inline float max_ps(float a, float b) { return a > b ? a : b; }
inline float min_ps(float a, float b) { return a < b ? a : b; }

inline float dac_one(float x, float r, const Dac& d) {
  float v = x * r;
  if (d.clip) v = min_ps(max_ps(v, d.lo), d.hi);
  if (d.round) v = std::nearbyint(v);
  return v;
}

inline float adc_one(const AdcRow& row, const Adc& a, std::int64_t i, float dst) {
  float v = row.y[i] * a.y_to_adc;
  if (row.z) v = v + row.z[i] * a.sigma;
  if (row.zw) v = v + row.zw[i];
  if (a.clip) v = min_ps(max_ps(v, a.lo), a.hi);
  if (a.round) v = std::nearbyint(v);
  v = v * row.sc[i];
  if (row.scaled) v = v * row.out_scale;
  if (row.accumulate) v = dst + v;
  if (row.bias) v = v + *row.bias;
  return v;
}

constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
constexpr std::int64_t kLanes = 16;

__attribute__((target("avx512f"))) inline __mmask16 lanes_left(std::int64_t n) {
  return n >= kLanes ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << static_cast<unsigned>(n)) - 1u);
}

// Lanes [0, n) of a mask over 32 consecutive floats, split into two 16-lane halves.
__attribute__((target("avx512f"))) inline __mmask16 lanes_in(std::int64_t n, std::int64_t first) {
  return lanes_left(n > first ? n - first : 0);
}

// Stores lanes m of v; a plain store when all lanes are set (masked stores are several times
// slower than plain ones on AMD Zen 4).
__attribute__((target("avx512f"))) inline void store(float* p, __mmask16 m, __m512 v) {
  if (m == static_cast<__mmask16>(0xFFFF)) {
    _mm512_storeu_ps(p, v);
  } else {
    _mm512_mask_storeu_ps(p, m, v);
  }
}

// x(i, j0 .. j0+15) of a view, masked lanes zero. Stride 2 (strided convolutions) takes two
// contiguous loads and keeps the even elements; other strides gather.
__attribute__((target("avx512f"))) inline __m512 load_view(const float* row, std::int64_t stride,
                                                           std::int64_t j0, __mmask16 m) {
  if (stride == 1) return _mm512_maskz_loadu_ps(m, row + j0);
  if (stride == 2) {
    const std::int64_t span = 2 * std::popcount(static_cast<unsigned>(m)) - 1;  // floats read
    const float* p = row + 2 * j0;
    const __m512 a = _mm512_maskz_loadu_ps(lanes_in(span, 0), p);
    const __m512 b = _mm512_maskz_loadu_ps(lanes_in(span, 16), p + 16);
    const __m512i evens =
        _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return _mm512_maskz_mov_ps(m, _mm512_permutex2var_ps(a, evens, b));
  }
  const __m512i index =
      _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                         _mm512_set1_epi32(static_cast<int>(stride)));
  return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, index, row + j0 * stride, 4);
}

// The loops copy their parameters into locals first: the stores through float pointers could
// alias the parameter structs, which would make the compiler reload them on every vector.
// Rows of stride 1 (the common case) take a loop without the stride dispatch.
template <bool kDense>
__attribute__((target("avx512f"))) void abs_max_rows(const View& v, float* s) {
  const float* const x = v.x;
  const std::int64_t rows = v.rows, cols = v.cols, row_stride = v.row_stride, stride = v.stride;
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * row_stride;
    float* si = s + i * cols;
    for (std::int64_t j = 0; j < cols; j += kLanes) {
      const __mmask16 m = lanes_left(cols - j);
      const __m512 xv = kDense ? _mm512_maskz_loadu_ps(m, row + j) : load_view(row, stride, j, m);
      store(si + j, m, _mm512_max_ps(_mm512_maskz_loadu_ps(m, si + j), _mm512_abs_ps(xv)));
    }
  }
}

__attribute__((target("avx512f"))) void abs_max_avx512(const View& v, float* s) {
  if (v.stride == 1) return abs_max_rows<true>(v, s);
  abs_max_rows<false>(v, s);
}

// Lanes m of vector j of one DAC row; kFull: all 16 lanes, with plain loads and stores
// (masked stores are several times slower than plain ones on AMD Zen 4).
template <bool kDense, bool kClip, bool kRounding, bool kFull>
__attribute__((target("avx512f"))) inline void dac_vector(const float* row, std::int64_t stride,
                                                          const float* ri, float* oi,
                                                          std::int64_t j, __mmask16 m, __m512 lo,
                                                          __m512 hi) {
  __m512 xv;
  if (kFull) {
    xv = kDense ? _mm512_loadu_ps(row + j) : load_view(row, stride, j, 0xFFFF);
  } else {
    xv = kDense ? _mm512_maskz_loadu_ps(m, row + j) : load_view(row, stride, j, m);
  }
  __m512 q = _mm512_mul_ps(xv, kFull ? _mm512_loadu_ps(ri + j) : _mm512_maskz_loadu_ps(m, ri + j));
  if (kClip) q = _mm512_min_ps(_mm512_max_ps(q, lo), hi);
  if (kRounding) q = _mm512_roundscale_ps(q, kRound);
  if (kFull) {
    _mm512_storeu_ps(oi + j, q);
  } else {
    _mm512_mask_storeu_ps(oi + j, m, q);
  }
}

template <bool kDense, bool kClip, bool kRounding>
__attribute__((target("avx512f"))) void dac_rows(const View& v, const float* r, const Dac& d,
                                                 float* out) {
  const __m512 lo = _mm512_set1_ps(d.lo);
  const __m512 hi = _mm512_set1_ps(d.hi);
  const float* const x = v.x;
  const std::int64_t rows = v.rows, cols = v.cols, row_stride = v.row_stride, stride = v.stride;
  // Every row has the same full vectors and the same tail, so the masks are computed once.
  // (No overlapping tail vector: `out` may alias x, which a second read would see quantised.)
  const std::int64_t full = cols / kLanes * kLanes;
  const __mmask16 tail = lanes_left(cols - full);
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * row_stride;
    const float* ri = r + i * cols;
    float* oi = out + i * cols;
    for (std::int64_t j = 0; j < full; j += kLanes) {
      dac_vector<kDense, kClip, kRounding, true>(row, stride, ri, oi, j, 0xFFFF, lo, hi);
    }
    if (full < cols) {
      dac_vector<kDense, kClip, kRounding, false>(row, stride, ri, oi, full, tail, lo, hi);
    }
  }
}

template <bool kDense>
__attribute__((target("avx512f"))) void dac_dense(const View& v, const float* r, const Dac& d,
                                                  float* out) {
  if (d.clip && d.round) return dac_rows<kDense, true, true>(v, r, d, out);
  if (d.clip) return dac_rows<kDense, true, false>(v, r, d, out);
  if (d.round) return dac_rows<kDense, false, true>(v, r, d, out);
  dac_rows<kDense, false, false>(v, r, d, out);
}

__attribute__((target("avx512f"))) void dac_avx512(const View& v, const float* r, const Dac& d,
                                                   float* out) {
  if (v.stride == 1) return dac_dense<true>(v, r, d, out);
  dac_dense<false>(v, r, d, out);
}

__attribute__((target("avx512f"))) void adc_avx512(const AdcRow& row_in, const Adc& a,
                                                   std::int64_t n, float* dst) {
  const AdcRow row = row_in;
  const bool clip = a.clip, round = a.round;
  const __m512 y_to_adc = _mm512_set1_ps(a.y_to_adc);
  const __m512 sigma = _mm512_set1_ps(a.sigma);
  const __m512 lo = _mm512_set1_ps(a.lo);
  const __m512 hi = _mm512_set1_ps(a.hi);
  const __m512 out_scale = _mm512_set1_ps(row.out_scale);
  const __m512 bias = _mm512_set1_ps(row.bias ? *row.bias : 0.0f);
  for (std::int64_t j = 0; j < n; j += kLanes) {
    const __mmask16 m = lanes_left(n - j);
    __m512 v = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, row.y + j), y_to_adc);
    if (row.z) v = _mm512_add_ps(v, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, row.z + j), sigma));
    if (row.zw) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, row.zw + j));
    if (clip) v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
    if (round) v = _mm512_roundscale_ps(v, kRound);
    v = _mm512_mul_ps(v, _mm512_maskz_loadu_ps(m, row.sc + j));
    if (row.scaled) v = _mm512_mul_ps(v, out_scale);
    if (row.accumulate) v = _mm512_add_ps(_mm512_maskz_loadu_ps(m, dst + j), v);
    if (row.bias) v = _mm512_add_ps(v, bias);
    store(dst + j, m, v);
  }
}

// AVX2 (CPUs without AVX-512): 8 lanes with the same operations in the same order (vmulps,
// vaddps, vmaxps, vminps, vroundps to nearest even), the tail by the portable functions, so
// results are bit-identical to both other paths. No FMA: a fused multiply-add would round
// differently from the separate multiply and add.
constexpr std::int64_t kLanes8 = 8;

__attribute__((target("avx2"))) void dac_avx2(const View& v, const float* r, const Dac& d,
                                              float* out) {
  const __m256 lo = _mm256_set1_ps(d.lo), hi = _mm256_set1_ps(d.hi);
  const std::int64_t full = v.cols / kLanes8 * kLanes8;
  for (std::int64_t i = 0; i < v.rows; ++i) {
    const float* row = v.x + i * v.row_stride;
    const float* ri = r + i * v.cols;
    float* oi = out + i * v.cols;
    for (std::int64_t j = 0; j < full; j += kLanes8) {
      const __m256 xv = v.stride == 1
                            ? _mm256_loadu_ps(row + j)
                            : _mm256_set_ps(row[(j + 7) * v.stride], row[(j + 6) * v.stride],
                                            row[(j + 5) * v.stride], row[(j + 4) * v.stride],
                                            row[(j + 3) * v.stride], row[(j + 2) * v.stride],
                                            row[(j + 1) * v.stride], row[j * v.stride]);
      __m256 q = _mm256_mul_ps(xv, _mm256_loadu_ps(ri + j));
      if (d.clip) q = _mm256_min_ps(_mm256_max_ps(q, lo), hi);
      if (d.round) q = _mm256_round_ps(q, kRound);
      _mm256_storeu_ps(oi + j, q);
    }
    for (std::int64_t j = full; j < v.cols; ++j) oi[j] = dac_one(row[j * v.stride], ri[j], d);
  }
}

__attribute__((target("avx2"))) void adc_avx2(const AdcRow& row, const Adc& a, std::int64_t n,
                                              float* dst) {
  const __m256 y_to_adc = _mm256_set1_ps(a.y_to_adc), sigma = _mm256_set1_ps(a.sigma);
  const __m256 lo = _mm256_set1_ps(a.lo), hi = _mm256_set1_ps(a.hi);
  const __m256 out_scale = _mm256_set1_ps(row.out_scale);
  const __m256 bias = _mm256_set1_ps(row.bias ? *row.bias : 0.0f);
  const std::int64_t full = n / kLanes8 * kLanes8;
  for (std::int64_t j = 0; j < full; j += kLanes8) {
    __m256 v = _mm256_mul_ps(_mm256_loadu_ps(row.y + j), y_to_adc);
    if (row.z) v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_loadu_ps(row.z + j), sigma));
    if (row.zw) v = _mm256_add_ps(v, _mm256_loadu_ps(row.zw + j));
    if (a.clip) v = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
    if (a.round) v = _mm256_round_ps(v, kRound);
    v = _mm256_mul_ps(v, _mm256_loadu_ps(row.sc + j));
    if (row.scaled) v = _mm256_mul_ps(v, out_scale);
    if (row.accumulate) v = _mm256_add_ps(_mm256_loadu_ps(dst + j), v);
    if (row.bias) v = _mm256_add_ps(v, bias);
    _mm256_storeu_ps(dst + j, v);
  }
  for (std::int64_t j = full; j < n; ++j) {
    dst[j] = adc_one(row, a, j, row.accumulate ? dst[j] : 0.0f);
  }
}

bool detect_avx512() {
  __builtin_cpu_init();  // needed before __builtin_cpu_supports in static initialisers
  return __builtin_cpu_supports("avx512f");
}

bool detect_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

bool g_avx512 = detect_avx512();
bool g_avx2 = detect_avx2();

}  // namespace

void force_portable_loops(bool portable) {
  g_avx512 = !portable && detect_avx512();
  g_avx2 = !portable && detect_avx2();
}

void abs_max_into(const View& v, float* s) {
  if (g_avx512) return abs_max_avx512(v, s);
  for (std::int64_t i = 0; i < v.rows; ++i) {
    for (std::int64_t j = 0; j < v.cols; ++j) {
      float& t = s[i * v.cols + j];
      t = max_ps(t, std::fabs(v.x[i * v.row_stride + j * v.stride]));
    }
  }
}

void dac(const View& v, const float* r, const Dac& d, float* out) {
  if (g_avx512) return dac_avx512(v, r, d, out);
  if (g_avx2) return dac_avx2(v, r, d, out);
  for (std::int64_t i = 0; i < v.rows; ++i) {
    for (std::int64_t j = 0; j < v.cols; ++j) {
      const std::int64_t at = i * v.cols + j;
      out[at] = dac_one(v.x[i * v.row_stride + j * v.stride], r[at], d);
    }
  }
}

void adc(const AdcRow& row, const Adc& a, std::int64_t n, float* dst, std::int64_t dst_stride) {
  if (g_avx512 && dst_stride == 1) return adc_avx512(row, a, n, dst);
  if (g_avx2 && dst_stride == 1) return adc_avx2(row, a, n, dst);
  for (std::int64_t i = 0; i < n; ++i) {
    float& d = dst[i * dst_stride];
    d = adc_one(row, a, i, row.accumulate ? d : 0.0f);
  }
}

}  // namespace aimcsim::kernel_loops
