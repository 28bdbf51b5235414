// ONNX rules for data movement (no work): reshapes, transposes, slicing,
// padding, concatenation, embedding lookups, and the ops that pass a tensor on
// unchanged (Identity, Dropout, Cast, Quantize/DequantizeLinear).
#include <fmt/format.h>

#include <algorithm>

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {
namespace {

using onnx::NodeProto;

void alias(Context& cx, const NodeProto& n) {
  Tensor x = cx.tensor_of(n, 0);
  for (int i = 0; i < n.output_size(); ++i) {
    if (!n.output(i).empty()) cx.set_dynamic(n.output(i), x);
  }
}

std::vector<std::int64_t> ints_input_or_attr(Context& cx, const NodeProto& n, int input,
                                             const std::string& attr) {
  if (find_attr(n, attr) != nullptr) return attr_ints(n, attr);
  if (input < n.input_size() && !n.input(input).empty()) {
    const ConstValue& c = cx.const_of(n, input);
    if (!c.data) cx.fail(n, fmt::format("input {} has no data; expected constant values", input));
    return c.ints();
  }
  return {};
}

int axis_of(Context& cx, const NodeProto& n, std::int64_t axis, std::size_t rank) {
  const int a = normalise_axis(axis, rank);
  if (a < 0) cx.fail(n, fmt::format("axis {} is out of range for rank {}", axis, rank));
  return a;
}

void reshape(Context& cx, const NodeProto& n) {
  const Shape xs = cx.shape_of(n, 0);
  const auto target = ints_input_or_attr(cx, n, 1, "shape");
  Shape out;
  for (std::size_t i = 0; i < target.size(); ++i) {
    const bool copy = target[i] == 0 && attr_int(n, "allowzero", 0) == 0;
    if (copy && i >= xs.size()) cx.fail(n, "shape copies a dimension the input lacks");
    out.push_back(copy ? xs[i] : target[i]);
  }
  auto unknown = std::find(out.begin(), out.end(), -1);
  if (unknown != out.end()) {
    std::int64_t known = 1;
    for (std::int64_t d : out) known *= d == -1 ? 1 : d;
    *unknown = known == 0 ? 0 : numel(xs) / known;
  }
  Tensor x = cx.tensor_of(n, 0);
  cx.set_dynamic(n.output(0), reshape_to(cx, cx.op_name(n), x, out));
}

void squeeze(Context& cx, const NodeProto& n, bool unsqueeze) {
  Shape s = cx.shape_of(n, 0);
  auto axes = ints_input_or_attr(cx, n, 1, "axes");
  if (unsqueeze) {
    const std::size_t rank = s.size() + axes.size();
    for (auto& a : axes) a = axis_of(cx, n, a, rank);
    std::sort(axes.begin(), axes.end());
    for (auto a : axes) s.insert(s.begin() + a, 1);
  } else {
    const std::size_t rank = s.size();
    if (axes.empty()) {
      for (std::size_t i = 0; i < rank; ++i) {
        if (s[i] == 1) axes.push_back(static_cast<std::int64_t>(i));
      }
    }
    for (auto& a : axes) a = axis_of(cx, n, a, rank);
    std::sort(axes.rbegin(), axes.rend());
    for (auto a : axes) s.erase(s.begin() + a);
  }
  Tensor x = cx.tensor_of(n, 0);
  cx.set_dynamic(n.output(0), reshape_to(cx, cx.op_name(n), x, s));
}

void slice(Context& cx, const NodeProto& n) {
  const Shape xs = cx.shape_of(n, 0);
  const bool old = cx.opset < 10;
  const auto starts = old ? attr_ints(n, "starts") : cx.const_of(n, 1).ints();
  const auto ends = old ? attr_ints(n, "ends") : cx.const_of(n, 2).ints();
  auto axes = ints_input_or_attr(cx, n, 3, "axes");
  auto steps = old ? std::vector<std::int64_t>{} : ints_input_or_attr(cx, n, 4, "steps");
  if (axes.empty()) {
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  }
  if (starts.size() != ends.size() || axes.size() != starts.size()) {
    cx.fail(n, "starts, ends and axes differ in length; expected one value per axis");
  }
  Tensor x = cx.tensor_of(n, 0);
  const std::string name = cx.op_name(n);
  std::vector<std::pair<int, std::array<std::int64_t, 3>>> cuts;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const int a = axis_of(cx, n, axes[i], xs.size());
    const std::int64_t d = xs[static_cast<std::size_t>(a)];
    const std::int64_t step = i < steps.size() ? steps[i] : 1;
    if (step < 1) cx.fail(n, fmt::format("step {} on axis {}; expected a positive step", step, a));
    auto clamp = [d](std::int64_t v) { return std::clamp<std::int64_t>(v < 0 ? v + d : v, 0, d); };
    const std::int64_t s = clamp(starts[i]), e = clamp(ends[i]);
    if (e <= s) cx.fail(n, fmt::format("slice {}:{} of axis {} (size {}) is empty", s, e, a, d));
    if (s != 0 || e != d || step != 1) cuts.push_back({a, {s, e, step}});
  }
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    const auto& [a, c] = cuts[i];
    const std::string op = i + 1 == cuts.size() ? name : cx.unique(fmt::format("{}/{}", name, a));
    x = cx.builder().slice(op, x, a, c[0], c[1], c[2]);
  }
  cx.set_dynamic(n.output(0), x);
}

void split(Context& cx, const NodeProto& n) {
  const Shape xs = cx.shape_of(n, 0);
  const int a = axis_of(cx, n, attr_int(n, "axis", 0), xs.size());
  auto sizes = ints_input_or_attr(cx, n, 1, "split");
  const std::int64_t d = xs[static_cast<std::size_t>(a)];
  if (sizes.empty()) sizes.assign(static_cast<std::size_t>(n.output_size()), d / n.output_size());
  Tensor x = cx.tensor_of(n, 0);
  const std::string name = cx.op_name(n);
  std::int64_t start = 0;
  for (int i = 0; i < n.output_size() && i < static_cast<int>(sizes.size()); ++i) {
    const std::string op = cx.unique(fmt::format("{}/{}", name, i));
    cx.set_dynamic(n.output(i),
                   cx.builder().slice(op, x, a, start, start + sizes[static_cast<std::size_t>(i)]));
    start += sizes[static_cast<std::size_t>(i)];
  }
}

void pad(Context& cx, const NodeProto& n) {
  const Shape xs = cx.shape_of(n, 0);
  const auto pads = ints_input_or_attr(cx, n, 1, "pads");
  if (pads.size() != 2 * xs.size()) cx.fail(n, "pads do not give begin and end for every axis");
  Tensor x = cx.tensor_of(n, 0);
  const std::string name = cx.op_name(n);
  std::vector<std::size_t> axes;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (pads[i] < 0 || pads[i + xs.size()] < 0) cx.fail(n, "has negative pads; expected >= 0");
    if (pads[i] != 0 || pads[i + xs.size()] != 0) axes.push_back(i);
  }
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const std::size_t i = axes[k];
    const std::string op = k + 1 == axes.size() ? name : cx.unique(fmt::format("{}/{}", name, i));
    x = cx.builder().pad(op, x, static_cast<std::int64_t>(i), pads[i], pads[i + xs.size()]);
  }
  cx.set_dynamic(n.output(0), x);
}

// Gather of rows of a constant table (an embedding lookup) becomes a `constant`
// op of the looked-up rows' shape; Gather of fixed positions of a dynamic tensor a slice.
void gather(Context& cx, const NodeProto& n) {
  const std::int64_t axis = attr_int(n, "axis", 0);
  if (cx.is_const(n.input(0))) {
    const ConstValue& table = cx.const_of(n, 0);
    if (axis != 0 || table.dims.size() < 2) cx.fail(n, "gathers from a constant along axis != 0");
    Shape out = cx.shape_of(n, 1);
    out.insert(out.end(), table.dims.begin() + 1, table.dims.end());
    cx.set_dynamic(n.output(0), cx.builder().constant(cx.op_name(n, "."), out));
    return;
  }
  const ConstValue& idx = cx.const_of(n, 1);
  const Shape xs = cx.shape_of(n, 0);
  const int a = axis_of(cx, n, axis, xs.size());
  const std::int64_t d = xs[static_cast<std::size_t>(a)];
  auto v = idx.ints();
  for (auto& i : v) i = i < 0 ? i + d : i;
  const std::int64_t step = v.size() > 1 ? v[1] - v[0] : 1;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] - v[i - 1] != step || step < 1)
      cx.fail(n, "gathers irregular positions; expected a strided range");
  }
  if (v.empty()) cx.fail(n, "gathers nothing");
  const std::string name = cx.op_name(n);
  Tensor x = cx.tensor_of(n, 0);
  x = cx.builder().slice(idx.dims.empty() ? cx.unique(name + "/slice") : name, x, a, v.front(),
                         v.back() + 1, step);
  if (idx.dims.empty()) {  // scalar index: the axis disappears
    Shape s = cx.builder().shape(x);
    s.erase(s.begin() + a);
    x = cx.builder().reshape(name, x, s);
  }
  cx.set_dynamic(n.output(0), x);
}

void shape_of_dynamic(Context& cx, const NodeProto& n) {
  const Shape s = cx.shape_of(n, 0);
  ConstValue c;
  if (n.op_type() == "Size") {
    c.data = std::vector<double>{static_cast<double>(numel(s))};
  } else {
    auto start = attr_int(n, "start", 0),
         end = attr_int(n, "end", static_cast<std::int64_t>(s.size()));
    const auto r = static_cast<std::int64_t>(s.size());
    start = std::clamp<std::int64_t>(start < 0 ? start + r : start, 0, r);
    end = std::clamp<std::int64_t>(end < 0 ? end + r : end, 0, r);
    c.data = std::vector<double>(s.begin() + start, s.begin() + std::max(start, end));
    c.dims = {static_cast<std::int64_t>(c.data->size())};
  }
  cx.set_const(n.output(0), std::move(c));
}

}  // namespace

bool convert_layout_op(Context& cx, const NodeProto& n) {
  const std::string& t = n.op_type();
  if (t == "Identity" || t == "Dropout" || t == "Cast" || t == "CastLike") {
    alias(cx, n);
  } else if (t == "QuantizeLinear" || t == "DequantizeLinear") {
    alias(cx, n);
    cx.quantised_values.insert(n.output(0));
  } else if (t == "Shape" || t == "Size") {
    shape_of_dynamic(cx, n);
  } else if (t == "Flatten") {
    const Shape xs = cx.shape_of(n, 0);
    const int a = axis_of(cx, n, attr_int(n, "axis", 1), xs.size() + 1);
    Tensor x = cx.tensor_of(n, 0);
    const Shape out{numel(Shape(xs.begin(), xs.begin() + a)),
                    numel(Shape(xs.begin() + a, xs.end()))};
    cx.set_dynamic(n.output(0), a == 1 ? cx.builder().flatten(cx.op_name(n), x, 1)
                                       : reshape_to(cx, cx.op_name(n), x, out));
  } else if (t == "Reshape") {
    reshape(cx, n);
  } else if (t == "Squeeze" || t == "Unsqueeze") {
    squeeze(cx, n, t == "Unsqueeze");
  } else if (t == "Transpose") {
    const Shape xs = cx.shape_of(n, 0);
    std::vector<int> perm;
    for (auto p : attr_ints(n, "perm")) perm.push_back(static_cast<int>(p));
    if (perm.empty()) {
      for (int i = static_cast<int>(xs.size()) - 1; i >= 0; --i) perm.push_back(i);
    }
    Tensor x = cx.tensor_of(n, 0);
    cx.set_dynamic(n.output(0), cx.builder().transpose(cx.op_name(n), x, perm));
  } else if (t == "Concat") {
    std::vector<Tensor> xs;
    for (int i = 0; i < n.input_size(); ++i) xs.push_back(cx.tensor_of(n, i));
    cx.set_dynamic(n.output(0),
                   xs.size() == 1 ? xs.front()
                                  : cx.builder().concat(cx.op_name(n), xs, attr_int(n, "axis", 0)));
  } else if (t == "Slice") {
    slice(cx, n);
  } else if (t == "Split") {
    split(cx, n);
  } else if (t == "Pad") {
    pad(cx, n);
  } else if (t == "Gather") {
    gather(cx, n);
  } else {
    return false;
  }
  return true;
}

}  // namespace aimcsim::onnx_import
