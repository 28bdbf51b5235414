// Step 3 of the analog inference kernel (inference_kernel.h): y = W_norm x for a panel of
// DAC levels, as a register-blocked GEMM that reads the panel in place (no packing copy).
//
// Contract: y[o * ldy + j] = sum over k = 0 .. k_size-1 of w[o * k_size + k] * x[k * ld + j],
// computed per element as one chain of fused multiply-adds in order of k, starting from +0.
// That is what oneDNN's AVX-512 SGEMM computes for k_size <= kMaxChainK (measured on the
// build machine for every layer shape of the zoo: bit-identical), so results do not change
// when the kernel replaces it; beyond, oneDNN splits k into blocks and callers use it. The
// AVX-512, the AVX2+FMA and the portable version (std::fma) give bit-identical results. Float32, any
// out >= 1, cols >= 0; y must not alias w or x.
#pragma once

#include <cstdint>

namespace aimcsim::kernel_loops {

inline constexpr std::int64_t kMaxChainK = 384;

void gemm_fma_chain(const float* w, std::int64_t out, std::int64_t k_size, const float* x,
                    std::int64_t ld, std::int64_t cols, float* y, std::int64_t ldy);

// Testing aid: true forces the portable loop, false restores the AVX-512 or AVX2 one where
// the CPU has it. Not thread-safe.
void force_portable_gemm(bool portable);

}  // namespace aimcsim::kernel_loops
