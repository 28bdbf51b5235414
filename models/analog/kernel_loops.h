// Element loops of the analog inference kernel (inference_kernel.h): DAC and ADC
// quantisation and absolute maxima, over 2-D strided views. Each loop has an AVX-512 (and, for the
// DAC and ADC, an AVX2) version and a portable one, chosen once per process by CPU support; both
// give bit-identical results (the same IEEE operations in the same order, no fused multiply-add,
// round half to even).
//
// A 2-D view of `rows` x `cols` floats reads element (i, j) at x[i * row_stride + j * stride]
// and writes results densely (index i * cols + j).
#pragma once

#include <cstdint>

namespace aimcsim::kernel_loops {

// Step 2 (FACTS.md s.2): v = x * r, clipped to [lo, hi] if `clip`, rounded if `round`.
struct Dac {
  float lo = 0.0f, hi = 0.0f;
  bool clip = false, round = false;
};

// Steps 4-6 for one output row: v = y * y_to_adc [+ z * sigma] [+ zw], clipped to [lo, hi]
// and rounded (ADC levels), times sc (input scale / out_mult) [times out_scale]; then
// dst = [dst +] v [+ bias].
struct Adc {
  float y_to_adc = 1.0f, sigma = 0.0f, lo = 0.0f, hi = 0.0f;
  bool clip = false, round = false;
};

struct AdcRow {
  const float* y = nullptr;   // GEMM output (DAC levels x normalised weights)
  const float* z = nullptr;   // N(0,1) draws for the output noise, or nullptr
  const float* zw = nullptr;  // short-term read noise already times its std, or nullptr
  const float* sc = nullptr;  // input scale s / out_mult per column
  float out_scale = 1.0f;
  bool scaled = false;      // multiply by out_scale
  bool accumulate = false;  // add to dst (later input blocks)
  const float* bias = nullptr;
};

// A strided 2-D view (see the file comment).
struct View {
  const float* x = nullptr;
  std::int64_t row_stride = 0;
  std::int64_t stride = 1;
  std::int64_t rows = 1;
  std::int64_t cols = 0;
};

// s[i * cols + j] = max(s[i * cols + j], |x(i, j)|).
void abs_max_into(const View& v, float* s);

// out[i * cols + j] = dac(x(i, j) * r[i * cols + j]); out may alias a dense x.
void dac(const View& v, const float* r, const Dac& d, float* out);

// One ADC row of n values written to dst[i * dst_stride].
void adc(const AdcRow& row, const Adc& a, std::int64_t n, float* dst, std::int64_t dst_stride);

// Testing aid: true forces the portable loops, false restores the AVX-512/AVX2 ones where the CPU
// has them. Not thread-safe.
void force_portable_loops(bool portable);

}  // namespace aimcsim::kernel_loops
