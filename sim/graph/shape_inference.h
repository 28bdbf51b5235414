// Shape inference and work counting for one op.
//
// Contract: infer_op() checks the operand count, attribute values and operand
// shapes of an op, and returns its output shape and OpStats; on any problem it
// throws GraphError "KIND 'NAME': problem; expected ...". It is pure.
//
// Counting rules, for the whole batch of the operand shapes:
//   conv2d  macs = kh*kw*(C_in/groups)*C_out*H_out*W_out*N   (FACTS.md s.7)
//           weights = kh*kw*(C_in/groups)*C_out; bias = C_out if bias
//   linear  macs = in*out*tokens (tokens = operand elements / in)
//           weights = in*out; bias = out if bias
//   matmul  macs = batch*M*K*N; no weights (both operands dynamic)
//   H_out = floor((H + 2*pad - dil*(k-1) - 1)/stride) + 1 (dil = 1 for pooling)
// Vector-unit operations per output element (assumed costs of a SIMD unit with
// fused multiply-add and a lookup table for transcendental functions):
//   relu, relu6, gelu, sigmoid, hswish: 1      add, mul: operands-1
//   batchnorm: 2 (scale, shift)                layernorm: 6 (sum, sum of squares,
//   softmax: 4 (max, exp, sum, divide)           subtract, scale, affine mul, add)
//   maxpool, avgpool: kh*kw (+1 scale for avg) global_avgpool: H*W + 1
//   conv2d, linear with bias: 1 (bias add)     data movement (reshape, transpose,
//                                                concat, slice, pad, flatten): 0
#pragma once

#include <string_view>
#include <vector>

#include "sim/graph/op.h"

namespace aimcsim {

struct InferredOp {
  Shape output_shape;
  OpStats stats;
};

InferredOp infer_op(std::string_view name, OpKind kind, const OpAttrs& attrs,
                    const std::vector<Shape>& input_shapes);

}  // namespace aimcsim
