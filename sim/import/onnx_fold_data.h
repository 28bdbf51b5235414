// Internal to the ONNX importer: the tensor kernels of constant folding
// (onnx_fold.cpp), on the small row-major ConstValue data that shape arithmetic
// and pattern matching read.
//
// Contract: each returns the output dims always and the data when every input
// has data; a malformed node (an axis or index out of range, shapes that do not
// broadcast, a zero Range step) throws ImportError naming the node, never reads
// out of bounds and never allocates more than kMaxFoldedElements values.
#pragma once

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {

// Add Sub Mul Div Pow Equal Max Min with numpy broadcasting; data only for
// ops it knows and outputs of at most kMaxFoldedElements.
ConstValue fold_binary(const Context& cx, const onnx::NodeProto& n, const ConstValue& a,
                       const ConstValue& b);
ConstValue fold_gather(const Context& cx, const onnx::NodeProto& n, const ConstValue& x,
                       const ConstValue& idx);
// Slice (opset >= 10: starts, ends[, axes[, steps]] as inputs).
ConstValue fold_slice(const Context& cx, const onnx::NodeProto& n, const ConstValue& x);
ConstValue fold_transpose(const Context& cx, const onnx::NodeProto& n, const ConstValue& x);
// Range(start, limit, delta); dims only when the inputs have no data or the
// output is larger than kMaxFoldedElements.
std::optional<ConstValue> fold_range(const Context& cx, const onnx::NodeProto& n);
// Unsqueeze/Squeeze (axes from the attribute or, opset >= 13, the second input).
ConstValue fold_squeeze(const Context& cx, const onnx::NodeProto& n, bool unsqueeze);

}  // namespace aimcsim::onnx_import
