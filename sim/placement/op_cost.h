// How an op of the graph loads the hardware: its GEMM shape on a MAC array,
// its vector-unit work and its analog weight matrix. Shared by placement (to
// balance digital cores) and the engine (to time the op), so both agree.
//
// Contract (FACTS.md s.7, s.8; shape_inference.h counting rules):
// - conv2d: groups GEMMs of reduction kh*kw*C_in/g, outputs C_out/g, vectors
//   N*H_out*W_out; its crossbar matrix per group is [C_out/g, C_in/g*kh*kw].
// - linear: reduction in, outputs out, vectors = tokens; matrix [out, in].
// - matmul (dynamic): reduction K, outputs N, vectors = batch*M; no matrix.
// - everything else: no GEMM; vector work = Op::stats.vector_ops; ops with no
//   vector work (reshape, flatten, transpose, slice, pad, concat, input,
//   constant, output) are address aliases: zero time, zero energy.
#pragma once

#include <cstdint>

#include "models/units/digital_core_timing.h"
#include "sim/graph/op.h"

namespace aimcsim {

bool has_gemm(const Op& op);            // conv2d, linear, matmul
GemmShape gemm_shape_of(const Op& op);  // requires has_gemm(op)

// Output positions: MVMs per tile per inference for an analog op (conv: N*H_out*W_out;
// linear: tokens).
std::int64_t output_positions(const Op& op);

// The weight matrix one group puts on crossbars: rows = inputs, cols = outputs.
struct MatrixShape {
  std::int64_t groups = 1;
  std::int64_t in_features = 0;   // crossbar rows needed per group
  std::int64_t out_features = 0;  // crossbar columns needed per group
};
MatrixShape matrix_shape_of(const Op& op);  // requires op.mappable()

// Estimated time of the op on one idle digital core [ps]: GEMM at `precision`
// plus its vector work (bias adds included for digital GEMMs).
Picoseconds digital_time_ps(const Op& op, DigitalPrecision precision,
                            const DigitalCoreTiming& core);

}  // namespace aimcsim
