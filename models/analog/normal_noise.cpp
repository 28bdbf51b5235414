// Ziggurat standard-normal streams (normal_noise.h).
// GCC 12 flags the _mm512_undefined_*() placeholders inside its own AVX-512 intrinsics as
// uninitialised (GCC bug 105593); the warnings are false positives.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "models/analog/normal_noise.h"

#include <ATen/CPUGeneratorImpl.h>
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <mutex>
#include <numbers>

namespace aimcsim {
namespace {

constexpr int kLayers = 256;
constexpr double kR = 3.6541528853610088;  // right edge of the base layer (256 layers)
constexpr double kScale = 8388608.0;       // 2^23: magnitudes are 23-bit integers

double density(double x) { return std::exp(-0.5 * x * x); }  // unnormalised

// Marsaglia-Tsang tables, layer 0 at the base (rectangle plus tail), layer 255 next to
// it, layer 1 at the top. A draw of layer i is x = m * w[i] for a 23-bit m; it lies under
// the curve for sure if m < k[i]; f[i] = density at layer i's right edge.
struct Tables {
  alignas(64) std::array<std::int32_t, kLayers> k{};
  alignas(64) std::array<float, kLayers> w{};
  std::array<float, kLayers> f{};
  alignas(64) std::array<std::uint64_t, kLayers> kw{};  // k | bits of w << 32, one load per layer
};

Tables make_tables() {
  Tables t;
  // Area of every layer: the base rectangle r f(r) plus the tail beyond r.
  const double v =
      kR * density(kR) + std::sqrt(std::numbers::pi / 2.0) * std::erfc(kR / std::sqrt(2.0));
  const double q = v / density(kR);  // pseudo-width of the base layer
  t.k[0] = static_cast<std::int32_t>(kR / q * kScale);
  t.k[1] = 0;
  t.w[0] = static_cast<float>(q / kScale);
  t.w[kLayers - 1] = static_cast<float>(kR / kScale);
  t.f[0] = 1.0f;
  t.f[kLayers - 1] = static_cast<float>(density(kR));
  double dn = kR;
  double tn = kR;
  for (int i = kLayers - 2; i >= 1; --i) {
    dn = std::sqrt(-2.0 * std::log(v / dn + density(dn)));
    t.k[i + 1] = static_cast<std::int32_t>(dn / tn * kScale);
    tn = dn;
    t.f[i] = static_cast<float>(density(dn));
    t.w[i] = static_cast<float>(dn / kScale);
  }
  for (int i = 0; i < kLayers; ++i) {
    t.kw[i] = static_cast<std::uint32_t>(t.k[i]) |
              (static_cast<std::uint64_t>(std::bit_cast<std::uint32_t>(t.w[i])) << 32);
  }
  return t;
}

const Tables kTables = make_tables();

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

template <typename T>
T rotl(T x, int k) {
  return static_cast<T>((x << k) | (x >> (8 * sizeof(T) - k)));
}

// The fast path for one 32-bit draw: x = m * w[layer] with the sign from bit 8; false if
// the draw falls outside its layer's rectangle.
inline bool fast_sample(std::uint32_t r, float& x) {
  const std::uint32_t layer = r & 0xFF;
  const std::int32_t m = static_cast<std::int32_t>(r >> 9);
  const float a = static_cast<float>(m) * kTables.w[layer];
  x = std::bit_cast<float>(std::bit_cast<std::uint32_t>(a) ^ ((r & 0x100) << 23));
  return m < kTables.k[layer];
}

// One step of the 16 xoshiro128++ lanes (state word-major) into r.
void step_lanes_portable(std::uint32_t (&s)[4][NormalStream::kLanes],
                         std::uint32_t (&r)[NormalStream::kLanes]) {
  for (int j = 0; j < NormalStream::kLanes; ++j) {
    r[j] = rotl<std::uint32_t>(s[0][j] + s[3][j], 7) + s[0][j];
    const std::uint32_t t = s[1][j] << 9;
    s[2][j] ^= s[0][j];
    s[3][j] ^= s[1][j];
    s[1][j] ^= s[2][j];
    s[0][j] ^= s[3][j];
    s[2][j] ^= t;
    s[3][j] = rotl<std::uint32_t>(s[3][j], 11);
  }
}

// Draws that missed the fast path, in sample order: out[index[i]] gets the slow path of
// draw[i]. Room for one chunk of samples plus a vector of slack for compressed stores.
constexpr std::int64_t kChunkVectors = 64;
struct SlowDraws {
  alignas(64) std::int32_t index[(kChunkVectors + 1) * NormalStream::kLanes];
  alignas(64) std::uint32_t draw[(kChunkVectors + 1) * NormalStream::kLanes];
  std::int64_t count = 0;
};

// `vectors` steps of the 16 lanes (at most kChunkVectors): sample 16 v + j of out takes the
// fast path of lane j's draw of step v; misses go to `slow`.
void fill_vectors_portable(std::uint32_t (&s)[4][NormalStream::kLanes], float* out,
                           std::int64_t vectors, SlowDraws& slow) {
  for (std::int64_t v = 0; v < vectors; ++v) {
    std::uint32_t r[NormalStream::kLanes];
    step_lanes_portable(s, r);
    for (int j = 0; j < NormalStream::kLanes; ++j) {
      const std::int64_t at = v * NormalStream::kLanes + j;
      if (!fast_sample(r[j], out[at])) {
        slow.index[slow.count] = static_cast<std::int32_t>(at);
        slow.draw[slow.count++] = r[j];
      }
    }
  }
}

// The same with AVX-512, state kept in registers. Bit-identical to the portable version.
__attribute__((target("avx512f"))) void fill_vectors_avx512(
    std::uint32_t (&s)[4][NormalStream::kLanes], float* out, std::int64_t vectors,
    SlowDraws& slow) {
  __m512i s0 = _mm512_load_si512(s[0]);
  __m512i s1 = _mm512_load_si512(s[1]);
  __m512i s2 = _mm512_load_si512(s[2]);
  __m512i s3 = _mm512_load_si512(s[3]);
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512i low8 = _mm512_set1_epi32(0xFF);
  const __m512i bit8 = _mm512_set1_epi32(0x100);
  const __m512i evens =
      _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  const long long* kw = reinterpret_cast<const long long*>(kTables.kw.data());
  for (std::int64_t v = 0; v < vectors; ++v) {
    const __m512i draw = _mm512_add_epi32(_mm512_rol_epi32(_mm512_add_epi32(s0, s3), 7), s0);
    const __m512i t = _mm512_slli_epi32(s1, 9);
    s2 = _mm512_xor_si512(s2, s0);
    s3 = _mm512_xor_si512(s3, s1);
    s1 = _mm512_xor_si512(s1, s2);
    s0 = _mm512_xor_si512(s0, s3);
    s2 = _mm512_xor_si512(s2, t);
    s3 = _mm512_rol_epi32(s3, 11);
    const __m512i layer = _mm512_and_si512(draw, low8);
    const __m512i m = _mm512_srli_epi32(draw, 9);
    // k and w of each lane's layer from one 64-bit table entry (two 8-lane gathers), then
    // de-interleaved: k from the low halves, w from the high halves.
    const __m512i lo = _mm512_i32gather_epi64(_mm512_castsi512_si256(layer), kw, 8);
    const __m512i hi = _mm512_i32gather_epi64(_mm512_extracti64x4_epi64(layer, 1), kw, 8);
    const __m512i k = _mm512_permutex2var_epi32(lo, evens, hi);
    const __m512 w = _mm512_castsi512_ps(_mm512_permutex2var_epi32(lo, odds, hi));
    const __m512 a = _mm512_mul_ps(_mm512_cvtepi32_ps(m), w);
    const __m512i sign = _mm512_slli_epi32(_mm512_and_si512(draw, bit8), 23);
    _mm512_storeu_ps(out + v * NormalStream::kLanes,
                     _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), sign)));
    // Misses, compressed in registers and stored unconditionally (the buffers have slack).
    const __mmask16 missed = _mm512_cmpge_epi32_mask(m, k);
    const __m512i at =
        _mm512_add_epi32(lane, _mm512_set1_epi32(static_cast<int>(v * NormalStream::kLanes)));
    _mm512_storeu_si512(slow.index + slow.count, _mm512_maskz_compress_epi32(missed, at));
    _mm512_storeu_si512(slow.draw + slow.count, _mm512_maskz_compress_epi32(missed, draw));
    slow.count += std::popcount(static_cast<unsigned>(missed));
  }
  _mm512_store_si512(s[0], s0);
  _mm512_store_si512(s[1], s1);
  _mm512_store_si512(s[2], s2);
  _mm512_store_si512(s[3], s3);
}

template <int k>
__attribute__((target("avx2"))) inline __m256i rotl32(__m256i x) {
  return _mm256_or_si256(_mm256_slli_epi32(x, k), _mm256_srli_epi32(x, 32 - k));
}

// The same with AVX2 (two 8-lane halves, state in registers, gathers for k and w, misses
// recorded from a bit mask in lane order). Bit-identical to the portable version.
__attribute__((target("avx2"))) void fill_vectors_avx2(std::uint32_t (&s)[4][NormalStream::kLanes],
                                                       float* out, std::int64_t vectors,
                                                       SlowDraws& slow) {
  constexpr int kHalf = NormalStream::kLanes / 2;
  __m256i st[4][2];
  for (int w = 0; w < 4; ++w) {
    for (int h = 0; h < 2; ++h)
      st[w][h] = _mm256_load_si256(reinterpret_cast<const __m256i*>(s[w] + h * kHalf));
  }
  const __m256i low8 = _mm256_set1_epi32(0xFF);
  const __m256i bit8 = _mm256_set1_epi32(0x100);
  for (std::int64_t v = 0; v < vectors; ++v) {
    for (int h = 0; h < 2; ++h) {
      __m256i &s0 = st[0][h], &s1 = st[1][h], &s2 = st[2][h], &s3 = st[3][h];
      const __m256i draw = _mm256_add_epi32(rotl32<7>(_mm256_add_epi32(s0, s3)), s0);
      const __m256i t = _mm256_slli_epi32(s1, 9);
      s2 = _mm256_xor_si256(s2, s0);
      s3 = _mm256_xor_si256(s3, s1);
      s1 = _mm256_xor_si256(s1, s2);
      s0 = _mm256_xor_si256(s0, s3);
      s2 = _mm256_xor_si256(s2, t);
      s3 = rotl32<11>(s3);
      const __m256i layer = _mm256_and_si256(draw, low8);
      const __m256i m = _mm256_srli_epi32(draw, 9);
      const __m256i k = _mm256_i32gather_epi32(kTables.k.data(), layer, 4);
      const __m256 w = _mm256_i32gather_ps(kTables.w.data(), layer, 4);
      const __m256 a = _mm256_mul_ps(_mm256_cvtepi32_ps(m), w);
      const __m256i sign = _mm256_slli_epi32(_mm256_and_si256(draw, bit8), 23);
      const std::int64_t base = v * NormalStream::kLanes + h * kHalf;
      _mm256_storeu_ps(out + base,
                       _mm256_castsi256_ps(_mm256_xor_si256(_mm256_castps_si256(a), sign)));
      // Missed: not (m < k), i.e. k <= m.
      auto missed = static_cast<unsigned>(
          ~_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(k, m))) & 0xFF);
      if (missed != 0) {
        alignas(32) std::uint32_t draws[kHalf];
        _mm256_store_si256(reinterpret_cast<__m256i*>(draws), draw);
        while (missed != 0) {
          const int j = std::countr_zero(missed);
          missed &= missed - 1;
          slow.index[slow.count] = static_cast<std::int32_t>(base + j);
          slow.draw[slow.count++] = draws[j];
        }
      }
    }
  }
  for (int w = 0; w < 4; ++w) {
    for (int h = 0; h < 2; ++h)
      _mm256_store_si256(reinterpret_cast<__m256i*>(s[w] + h * kHalf), st[w][h]);
  }
}

bool detect_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

bool detect_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

bool g_avx512 = detect_avx512();
bool g_avx2 = detect_avx2();

void select_impl(NoiseImpl impl) {
  g_avx512 = impl == NoiseImpl::kAuto && detect_avx512();
  g_avx2 = (impl == NoiseImpl::kAuto || impl == NoiseImpl::kAvx2) && detect_avx2();
}

}  // namespace

NormalStream::NormalStream(std::uint64_t key, std::uint64_t stream) {
  std::uint64_t mixed = stream;
  std::uint64_t state = key ^ splitmix64(mixed);
  for (int j = 0; j < kLanes; ++j) {
    const std::uint64_t a = splitmix64(state);
    const std::uint64_t b = splitmix64(state);
    lanes_[0][j] = static_cast<std::uint32_t>(a);
    lanes_[1][j] = static_cast<std::uint32_t>(a >> 32);
    lanes_[2][j] = static_cast<std::uint32_t>(b);
    lanes_[3][j] = static_cast<std::uint32_t>(b >> 32) | 1u;  // never the all-zero state
  }
  for (std::uint64_t& s : slow_) s = splitmix64(state);
}

std::uint64_t NormalStream::next_slow_u64() {  // xoshiro256++
  const std::uint64_t result = rotl<std::uint64_t>(slow_[0] + slow_[3], 23) + slow_[0];
  const std::uint64_t t = slow_[1] << 17;
  slow_[2] ^= slow_[0];
  slow_[3] ^= slow_[1];
  slow_[1] ^= slow_[2];
  slow_[0] ^= slow_[3];
  slow_[2] ^= t;
  slow_[3] = rotl<std::uint64_t>(slow_[3], 45);
  return result;
}

float NormalStream::slow_path(std::uint32_t r) {
  const Tables& t = kTables;
  for (;;) {
    float x;
    if (fast_sample(r, x)) return x;
    const std::uint64_t u = next_slow_u64();
    const std::uint32_t layer = r & 0xFF;
    if (layer == 0) {  // tail beyond kR (Marsaglia 1964), in double
      const auto unit = [](std::uint64_t bits) {
        return static_cast<double>(bits >> 11) * 0x1.0p-53;
      };
      std::uint64_t v = u;
      for (;;) {
        const double xx = -std::log1p(-unit(v)) / kR;
        const double yy = -std::log1p(-unit(next_slow_u64()));
        if (yy + yy > xx * xx) {
          const float tail = static_cast<float>(kR + xx);
          return (r & 0x100) ? -tail : tail;
        }
        v = next_slow_u64();
      }
    }
    // Wedge: accept if a uniform height under the layer lies under the curve (float, as
    // NumPy's float32 ziggurat; 24-bit uniform).
    const float height = static_cast<float>(u >> 40) * 0x1.0p-24f;
    if (t.f[layer] + height * (t.f[layer - 1] - t.f[layer]) < std::exp(-0.5f * x * x)) {
      return x;
    }
    r = static_cast<std::uint32_t>(u);  // a fresh draw from the low bits
  }
}

void NormalStream::fill_vectors(float* out, std::int64_t vectors) {
  SlowDraws slow;
  while (vectors > 0) {
    const std::int64_t chunk = std::min(vectors, kChunkVectors);
    slow.count = 0;
    if (g_avx512) {
      fill_vectors_avx512(lanes_, out, chunk, slow);
    } else if (g_avx2) {
      fill_vectors_avx2(lanes_, out, chunk, slow);
    } else {
      fill_vectors_portable(lanes_, out, chunk, slow);
    }
    for (std::int64_t i = 0; i < slow.count; ++i) out[slow.index[i]] = slow_path(slow.draw[i]);
    out += chunk * kLanes;
    vectors -= chunk;
  }
}

void NormalStream::fill(float* out, std::int64_t n) {
  std::int64_t i = 0;
  for (; i < n && used_ < kLanes; ++i) out[i] = buffer_[used_++];
  const std::int64_t vectors = (n - i) / kLanes;
  fill_vectors(out + i, vectors);
  i += vectors * kLanes;
  if (i < n) {
    fill_vectors(buffer_, 1);
    used_ = 0;
    for (; i < n; ++i) out[i] = buffer_[used_++];
  }
}

float NormalStream::next() {
  float x;
  fill(&x, 1);
  return x;
}

std::uint64_t noise_key(at::Generator& gen) {
  auto* impl = at::check_generator<at::CPUGeneratorImpl>(gen);
  std::lock_guard<std::mutex> lock(impl->mutex_);
  return impl->random64();
}

void force_portable_noise(bool portable) {
  select_impl(portable ? NoiseImpl::kPortable : NoiseImpl::kAuto);
}

bool force_noise_impl(NoiseImpl impl) {
  if (impl == NoiseImpl::kAvx2 && !detect_avx2()) return false;
  select_impl(impl);
  return true;
}

}  // namespace aimcsim
