// Fast seeded standard-normal noise for the analog MVM path (FACTS.md s.2 step 4).
//
// Contract:
// - NormalStream(key, stream) is a deterministic sequence of N(0,1) float samples: the same
//   (key, stream) gives the same samples on every run, thread and CPU (the vector and the
//   portable implementations are bit-identical), in any chunking of fill()/next() calls.
//   Different streams are independent for practical purposes. Vector versions: AVX-512,
//   else AVX2, else portable; all bit-identical.
// - Samples follow the standard normal distribution exactly up to float resolution:
//   Marsaglia-Tsang ziggurat with 256 layers (J. Stat. Softw. 5(8), 2000) and an exact tail
//   beyond r = 3.654, with 23-bit uniforms per layer (as NumPy's float32 standard_normal).
// - Bits: sample j takes its 32-bit draw from lane j mod 16 of sixteen xoshiro128++
//   generators (Blackman, Vigna 2019), seeded through splitmix64 from (key, stream); the
//   ~1.2 % of draws that fall outside the layer rectangles finish with uniforms from a
//   seventeenth generator (xoshiro256++) of the stream, in sample order.
// - noise_key(gen) draws the 64-bit key of one call from an ATen generator (under its
//   mutex), so that all noise of a call is fixed by the generator's seed and state.
// Streams let threads draw noise for disjoint parts of a tensor (e.g. one stream per image)
// with results that do not depend on the number of threads.
#pragma once

#include <ATen/core/Generator.h>

#include <cstdint>

namespace aimcsim {

class NormalStream final {
 public:
  static constexpr int kLanes = 16;

  NormalStream(std::uint64_t key, std::uint64_t stream);

  // Writes n samples to out.
  void fill(float* out, std::int64_t n);
  float next();

 private:
  void fill_vectors(float* out, std::int64_t vectors);  // the next vectors * kLanes samples
  float slow_path(std::uint32_t r);                     // a draw outside its layer's rectangle
  std::uint64_t next_slow_u64();

  alignas(64) std::uint32_t lanes_[4][kLanes];  // xoshiro128++ state, word-major
  std::uint64_t slow_[4];                       // xoshiro256++ state of the slow path
  alignas(64) float buffer_[kLanes];
  int used_ = kLanes;  // samples of buffer_ already handed out
};

std::uint64_t noise_key(at::Generator& gen);

// Testing aid: true forces the portable implementation for samples drawn afterwards, false
// restores the AVX-512 or AVX2 one where the CPU has it. Not thread-safe.
void force_portable_noise(bool portable);

// Testing aid: the implementation for samples drawn afterwards (kAuto: the best the CPU
// has); false (and no change) if the CPU lacks it. Not thread-safe.
enum class NoiseImpl { kAuto, kPortable, kAvx2 };
bool force_noise_impl(NoiseImpl impl);

}  // namespace aimcsim
