// ONNX rules for element-wise arithmetic and reductions, and the vector-work
// stand-in for ops without a rule (UnknownOps::kDigital).
#include <fmt/format.h>

#include <algorithm>

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {
namespace {

using onnx::NodeProto;

// Add/Sum of dynamic operands with one shape is an `add`; everything else
// (broadcasting, constants, Sub, Div, Pow, Max, Min) is a chain of binary
// `mul` ops: one vector operation per output element, like an add.
void elementwise(Context& cx, const NodeProto& n) {
  const bool sum = n.op_type() == "Add" || n.op_type() == "Sum";
  std::vector<Tensor> xs;
  bool same = true;
  for (int i = 0; i < n.input_size(); ++i) {
    if (n.input(i).empty()) continue;
    same = same && cx.is_dynamic(n.input(i));
    xs.push_back(cx.tensor_of(n, i));
    same = same && cx.builder().shape(xs.back()) == cx.builder().shape(xs.front());
  }
  if (xs.size() == 1) {
    cx.set_dynamic(n.output(0), xs.front());
    return;
  }
  const std::string name = cx.op_name(n);
  if (sum && same) {
    cx.set_dynamic(n.output(0), cx.builder().add(name, xs));
    return;
  }
  Tensor y = xs.front();
  for (std::size_t i = 1; i < xs.size(); ++i) {
    y = cx.builder().mul(i + 1 == xs.size() ? name : cx.unique(fmt::format("{}/{}", name, i)), y,
                         xs[i]);
  }
  cx.set_dynamic(n.output(0), y);
}

std::vector<std::int64_t> reduce_axes(Context& cx, const NodeProto& n) {
  if (find_attr(n, "axes") != nullptr) return attr_ints(n, "axes");
  if (n.input_size() > 1 && !n.input(1).empty()) return cx.const_of(n, 1).ints();
  return {};
}

// ReduceMean over H and W of an NCHW tensor is a global average pool.
bool reduce_mean(Context& cx, const NodeProto& n) {
  const Shape xs = cx.shape_of(n, 0);
  auto axes = reduce_axes(cx, n);
  for (auto& a : axes) a = normalise_axis(a, xs.size());
  std::sort(axes.begin(), axes.end());
  if (xs.size() != 4 || axes != std::vector<std::int64_t>{2, 3}) return false;
  const std::string name = cx.op_name(n);
  Tensor y = cx.builder().global_avgpool(name, cx.tensor_of(n, 0));
  if (attr_int(n, "keepdims", 1) == 0)
    y = cx.builder().reshape(cx.unique(name + "/squeeze"), y, {xs[0], xs[1]});
  cx.set_dynamic(n.output(0), y);
  return true;
}

}  // namespace

bool convert_math_op(Context& cx, const NodeProto& n) {
  const std::string& t = n.op_type();
  if (t == "Add" || t == "Sub" || t == "Mul" || t == "Div" || t == "Pow" || t == "Sum" ||
      t == "Max" || t == "Min" || t == "Mean") {
    elementwise(cx, n);
    return true;
  }
  if (t == "ReduceMean") return reduce_mean(cx, n);
  return false;
}

// Vector work per output element: the first dynamic operand, flattened and cut
// to one element, times a zero tensor of the output's shape (a `mul`: exactly
// one vector operation per output element, no parameters), so the op still
// depends on its input.
void convert_unknown_op(Context& cx, const NodeProto& n) {
  if (n.output_size() < 1) cx.fail(n, "has no output");
  const auto out = cx.inferred_shape(n.output(0));
  if (!out || out->empty()) {
    cx.fail(n,
            "unsupported op type, and ONNX shape inference gave its output no static shape; "
            "expected an op listed in traces/README.md (ONNX import)");
  }
  int dyn = -1;
  for (int i = 0; i < n.input_size() && dyn < 0; ++i) {
    if (!n.input(i).empty() && cx.is_dynamic(n.input(i))) dyn = i;
  }
  const std::string name = cx.op_name(n);
  Tensor zeros = cx.builder().zeros(cx.unique(name + "/out"), *out);
  if (dyn < 0) {
    for (int i = 0; i < n.output_size(); ++i) cx.set_dynamic(n.output(i), zeros);
    return;
  }
  Tensor x = cx.tensor_of(n, dyn);
  x = cx.builder().flatten(cx.unique(name + "/flat"), x, 0);
  x = cx.builder().slice(cx.unique(name + "/first"), x, 0, 0, 1);
  Tensor y = cx.builder().mul(name, x, zeros);
  for (int i = 0; i < n.output_size(); ++i) {
    if (!n.output(i).empty()) cx.set_dynamic(n.output(i), y);  // extra outputs: same tensor
  }
}

}  // namespace aimcsim::onnx_import
