// Constant folding: Constant nodes and every node whose inputs are all
// constant (Shape arithmetic, weight transposes, QDQ weights). Values are
// computed for the small integer/float tensors that shape arithmetic and
// pattern matching read; larger results keep their dims only (from ONNX shape
// inference), which is all a weight needs.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/import/onnx_context.h"
#include "sim/import/onnx_fold_data.h"

namespace aimcsim::onnx_import {
namespace {

using onnx::NodeProto;
using Data = std::vector<double>;

ConstValue constant_node(const Context& cx, const NodeProto& n) {
  ConstValue c;
  if (const auto* a = find_attr(n, "value")) return decode_tensor(a->t());
  if (const auto* a = find_attr(n, "value_float")) {
    c.data = Data{a->f()};
  } else if (const auto* a = find_attr(n, "value_int")) {
    c.data = Data{static_cast<double>(a->i())};
  } else if (const auto* a = find_attr(n, "value_floats")) {
    c.data = Data(a->floats().begin(), a->floats().end());
    c.dims = {static_cast<std::int64_t>(c.data->size())};
  } else if (const auto* a = find_attr(n, "value_ints")) {
    c.data = Data(a->ints().begin(), a->ints().end());
    c.dims = {static_cast<std::int64_t>(c.data->size())};
  } else {
    cx.fail(n,
            "has no value attribute this importer reads; expected value, value_float(s) or "
            "value_int(s)");
  }
  return c;
}

ConstValue constant_of_shape(const Context& cx, const NodeProto& n) {
  ConstValue c;
  c.dims = cx.const_of(n, 0).ints();
  for (std::int64_t d : c.dims) {
    if (d < 0) cx.fail(n, fmt::format("shape has dimension {}; expected >= 0", d));
  }
  double v = 0;
  if (const auto* a = find_attr(n, "value")) {
    const ConstValue fill = decode_tensor(a->t());
    if (fill.data && !fill.data->empty()) v = fill.data->front();
  }
  if (c.elements() <= kMaxFoldedElements) c.data = Data(static_cast<std::size_t>(c.elements()), v);
  return c;
}

ConstValue reshape(const Context& cx, const NodeProto& n) {
  ConstValue c = cx.const_of(n, 0);
  const auto target = cx.const_of(n, 1).ints();
  Shape out;
  for (std::size_t i = 0; i < target.size(); ++i) {
    out.push_back(target[i] == 0 && i < c.dims.size() ? c.dims[i] : target[i]);
  }
  auto unknown = std::find(out.begin(), out.end(), -1);
  if (unknown != out.end()) {
    std::int64_t known = 1;
    for (std::int64_t d : out) known *= d == -1 ? 1 : d;
    *unknown = known == 0 ? 0 : c.elements() / known;
  }
  if (numel(out) != c.elements() ||
      std::any_of(out.begin(), out.end(), [](auto d) { return d < 0; })) {
    cx.fail(n, fmt::format("reshapes a constant of {} to {}; expected the same element count",
                           format_shape(c.dims), format_shape(out)));
  }
  c.dims = out;
  return c;
}

// Ops that move or reshape data (and Neg, Sqrt): data kept where known.
std::optional<ConstValue> shape_op(const Context& cx, const NodeProto& n) {
  const std::string& t = n.op_type();
  if (t == "ConstantOfShape") return constant_of_shape(cx, n);
  if (t == "Range") return fold_range(cx, n);
  if (t == "Neg" || t == "Sqrt") {
    ConstValue c = cx.const_of(n, 0);
    if (c.data) {
      for (double& v : *c.data) v = t == "Neg" ? -v : std::sqrt(v);
    }
    return c;
  }
  if (t == "Unsqueeze" || t == "Squeeze") return fold_squeeze(cx, n, t == "Unsqueeze");
  if (t == "Transpose") return fold_transpose(cx, n, cx.const_of(n, 0));
  if (t == "Reshape" && cx.const_of(n, 1).data) return reshape(cx, n);
  // Pure reshapes keep the row-major data; dims come from shape inference.
  auto dims = cx.inferred_shape(n.output(0));
  if (!dims || t == "Expand") return std::nullopt;
  ConstValue c = cx.const_of(n, 0);
  c.dims = *dims;
  return c;
}

std::optional<ConstValue> concat(const Context& cx, const NodeProto& n) {
  ConstValue c;
  c.data = Data();
  std::int64_t len = 0;
  for (int i = 0; i < n.input_size(); ++i) {
    const ConstValue& v = cx.const_of(n, i);
    if (v.dims.size() > 1) return std::nullopt;
    len += v.elements();
    if (v.data && c.data) {
      c.data->insert(c.data->end(), v.data->begin(), v.data->end());
    } else {
      c.data.reset();
    }
  }
  c.dims = {len};
  return c;
}

// Folds with computed data where the op is one of the shape-arithmetic ops;
// nullopt where only the dims (from shape inference) are known.
std::optional<ConstValue> compute(const Context& cx, const NodeProto& n) {
  const std::string& t = n.op_type();
  auto in = [&](int i) -> const ConstValue& { return cx.const_of(n, i); };
  if (t == "Constant") return constant_node(cx, n);
  if (t == "Identity" || t == "Cast" || t == "CastLike" || t == "Dropout") return in(0);
  if (t == "Add" || t == "Sub" || t == "Mul" || t == "Div" || t == "Pow" || t == "Equal" ||
      t == "Max" || t == "Min") {
    return fold_binary(cx, n, in(0), in(1));
  }
  if (t == "Gather") return fold_gather(cx, n, in(0), in(1));
  if (t == "Slice" && cx.opset >= 10) return fold_slice(cx, n, in(0));
  if (t == "Shape") {
    ConstValue c;
    c.data = Data(in(0).dims.begin(), in(0).dims.end());
    c.dims = {static_cast<std::int64_t>(in(0).dims.size())};
    return c;
  }
  if (t == "DequantizeLinear" || t == "QuantizeLinear") {
    ConstValue c = in(0);
    c.int8 = true;
    c.data.reset();
    return c;
  }
  if (t == "Concat") return concat(cx, n);
  if (t == "Unsqueeze" || t == "Squeeze" || t == "Reshape" || t == "Flatten" || t == "Expand" ||
      t == "Transpose" || t == "ConstantOfShape" || t == "Range" || t == "Neg" || t == "Sqrt") {
    return shape_op(cx, n);
  }
  return std::nullopt;
}

}  // namespace

bool fold_constant_node(Context& cx, const NodeProto& n) {
  for (const auto& v : n.input()) {
    if (!v.empty() && !cx.is_const(v)) return false;
  }
  std::optional<ConstValue> c = compute(cx, n);
  if (!c) {
    const auto dims = cx.inferred_shape(n.output(0));
    if (!dims) {
      cx.fail(n,
              "reads only constants, but ONNX shape inference gave no shape for its output; "
              "expected an op whose output shape can be inferred");
    }
    c = ConstValue{*dims, std::nullopt, false};
    for (int i = 0; i < n.input_size(); ++i) {
      if (!n.input(i).empty() && cx.const_of(n, i).int8) c->int8 = true;
    }
  }
  if (c->data && static_cast<std::int64_t>(c->data->size()) != c->elements()) c->data.reset();
  cx.set_const(n.output(0), *c);
  return true;
}

}  // namespace aimcsim::onnx_import
