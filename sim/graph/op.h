// One operation of the workload graph (DESIGN.md s.3).
//
// An Op produces exactly one tensor, named like the op; its operands are other
// ops' outputs, in operand order. Shapes, MACs, weights and vector-unit work
// are filled in by shape inference (infer_op(), shape_inference.h) when the op
// is added to a Graph, so a Graph never holds an op whose shapes do not check.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/graph/shape.h"

namespace aimcsim {

// Index of an op in its Graph; ops are stored in a topological order, so an
// op's operands always have smaller ids.
struct OpId {
  std::size_t value = 0;
  auto operator<=>(const OpId&) const = default;
};
inline std::ostream& operator<<(std::ostream& out, OpId id) { return out << "op#" << id.value; }

enum class OpKind {
  kInput,     // graph input; attrs.shape
  kConstant,  // learned tensor without an operand (ViT class token, position embedding)
  kZeros,     // all-zero tensor without an operand (NAS-Bench-201 node fed only by `none` edges)
  kOutput,    // marks a graph output; passes its operand through
  kConv2d,    // NCHW convolution, grouped/depthwise via groups; mappable
  kLinear,    // y = x W^T (+ b) over the last dimension; mappable
  kMatmul,    // two dynamic operands (attention QK^T, AV); digital only
  kAdd,       // element-wise sum of >= 2 operands of identical shape
  kMul,       // element-wise product of 2 operands, numpy broadcasting (gating)
  kRelu,
  kRelu6,
  kGelu,
  kSigmoid,
  kHswish,
  kBatchNorm,      // inference batch norm over dimension 1 (folded scale and shift)
  kLayerNorm,      // over the last dimension
  kSoftmax,        // along attrs.axis
  kMaxPool,        // NCHW, kernel/stride/padding
  kAvgPool,        // NCHW, kernel/stride/padding
  kGlobalAvgPool,  // NCHW -> N x C x 1 x 1
  kFlatten,        // dims [axis..] into one
  kReshape,        // to attrs.shape (one -1 entry inferred)
  kTranspose,      // permute dims by attrs.perm
  kConcat,         // along attrs.axis
  kSlice,          // attrs.start:end:step along attrs.axis
  kPad,            // zero padding of attrs.before/after along attrs.axis
};

// Trace-file spelling ("conv2d", "global_avgpool", ...).
std::string_view op_kind_name(OpKind kind);
std::optional<OpKind> parse_op_kind(std::string_view name);
// All kinds, in declaration order (for help output and tests).
const std::vector<OpKind>& all_op_kinds();

// Mappable ops hold stationary weights that can be programmed into AIMC
// crossbars (conv2d, linear).
bool is_mappable(OpKind kind);

// A height x width pair (kernel, stride, padding, dilation), in elements.
struct Hw {
  constexpr Hw() = default;
  constexpr Hw(std::int64_t n) : h(n), w(n) {}  // NOLINT(google-explicit-constructor): square
  constexpr Hw(std::int64_t h_in, std::int64_t w_in) : h(h_in), w(w_in) {}
  std::int64_t h = 1;
  std::int64_t w = 1;
  bool operator==(const Hw&) const = default;
};

// Attributes of every kind in one struct; each kind reads only the fields its
// attribute declaration lists (op_attrs.h). Defaults here are the defaults of
// the trace format.
struct OpAttrs {
  Shape shape;                    // input/constant/zeros: tensor shape; reshape: target (-1 ok)
  std::int64_t in_channels = 0;   // conv2d
  std::int64_t out_channels = 0;  // conv2d
  Hw kernel{1, 1};                // conv2d, pooling
  Hw stride{1, 1};                // conv2d, pooling
  Hw padding{0, 0};               // conv2d, pooling; zeros on each side
  Hw dilation{1, 1};              // conv2d
  std::int64_t groups = 1;        // conv2d; in_channels = groups for depthwise
  bool bias = false;              // conv2d, linear
  std::int64_t in_features = 0;   // linear
  std::int64_t out_features = 0;  // linear
  bool transpose_b = false;       // matmul: second operand given as (..., N, K)
  std::int64_t axis = 1;          // softmax, concat, flatten, slice, pad (negative = from end)
  std::int64_t start = 0;         // slice
  std::int64_t end = 0;           // slice (exclusive)
  std::int64_t step = 1;          // slice
  std::int64_t before = 0;        // pad
  std::int64_t after = 0;         // pad
  std::vector<int> perm;          // transpose
  bool operator==(const OpAttrs&) const = default;
};

// Work and storage of one op for the whole batch of its input shapes.
struct OpStats {
  std::int64_t macs = 0;        // multiply-accumulates (FACTS.md s.7); conv, linear, matmul
  std::int64_t weights = 0;     // stationary weight elements (conv, linear), bias excluded
  std::int64_t bias = 0;        // bias elements (conv, linear)
  std::int64_t params = 0;      // all learned elements: weights, bias, norm affine, constants
  std::int64_t vector_ops = 0;  // element-wise vector-unit operations (shape_inference.h)
  bool operator==(const OpStats&) const = default;
};

struct Op {
  std::string name;
  OpKind kind = OpKind::kInput;
  OpAttrs attrs;
  std::vector<OpId> inputs;         // producers, in operand order
  std::vector<Shape> input_shapes;  // one per operand
  Shape output_shape;
  OpStats stats;

  bool operator==(const Op&) const = default;
  bool mappable() const { return is_mappable(kind); }
  // Storage at a given element width in bits; rounded up to whole bytes.
  std::int64_t weight_bytes(int weight_bits) const;      // stationary weights only
  std::int64_t param_bytes(int weight_bits) const;       // all learned elements
  std::int64_t input_bytes(int activation_bits) const;   // sum over operands
  std::int64_t output_bytes(int activation_bits) const;  // the op's output tensor
};

// Bytes of `elements` values of `bits` each, rounded up.
std::int64_t bytes_of(std::int64_t elements, int bits);

}  // namespace aimcsim
