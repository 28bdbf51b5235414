// Constant folding: Constant nodes and every node whose inputs are all
// constant (Shape arithmetic, weight transposes, QDQ weights). Values are
// computed for the small integer/float tensors that shape arithmetic and
// pattern matching read; larger results keep their dims only (from ONNX shape
// inference), which is all a weight needs.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {
namespace {

using onnx::NodeProto;
using Data = std::vector<double>;

std::vector<std::int64_t> strides_of(const Shape& dims) {
  std::vector<std::int64_t> s(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] =
        s[static_cast<std::size_t>(i) + 1] * dims[static_cast<std::size_t>(i) + 1];
  }
  return s;
}

// Visits every index of `dims` in row-major order.
void for_each_index(const Shape& dims, const std::function<void(const Shape&)>& f) {
  Shape idx(dims.size(), 0);
  const std::int64_t total = numel(dims);
  for (std::int64_t k = 0; k < total; ++k) {
    f(idx);
    for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
      if (++idx[static_cast<std::size_t>(i)] < dims[static_cast<std::size_t>(i)]) break;
      idx[static_cast<std::size_t>(i)] = 0;
    }
  }
}

// Offset into a tensor of `dims` broadcast to an output index.
std::int64_t broadcast_offset(const Shape& dims, const Shape& out_idx) {
  const auto st = strides_of(dims);
  std::int64_t off = 0;
  const std::size_t lead = out_idx.size() - dims.size();
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] != 1) off += out_idx[lead + i] * st[i];
  }
  return off;
}

std::optional<ConstValue> binary(const std::string& t, const ConstValue& a, const ConstValue& b) {
  ConstValue out;
  out.dims.assign(std::max(a.dims.size(), b.dims.size()), 1);
  for (std::size_t i = 0; i < out.dims.size(); ++i) {
    const std::size_t ia = i + a.dims.size(), ib = i + b.dims.size();
    const std::int64_t da = ia >= out.dims.size() ? a.dims[ia - out.dims.size()] : 1;
    const std::int64_t db = ib >= out.dims.size() ? b.dims[ib - out.dims.size()] : 1;
    out.dims[i] = std::max(da, db);
  }
  if (!a.data || !b.data || out.elements() > kMaxFoldedElements) return out;
  std::function<double(double, double)> f;
  if (t == "Add") f = std::plus<>();
  if (t == "Sub") f = std::minus<>();
  if (t == "Mul") f = std::multiplies<>();
  if (t == "Div") f = [](double x, double y) { return y == 0 ? 0.0 : x / y; };
  if (t == "Pow") f = [](double x, double y) { return std::pow(x, y); };
  if (t == "Equal") f = [](double x, double y) { return x == y ? 1.0 : 0.0; };
  if (t == "Max") f = [](double x, double y) { return std::max(x, y); };
  if (t == "Min") f = [](double x, double y) { return std::min(x, y); };
  if (!f) return out;
  Data d;
  for_each_index(out.dims, [&](const Shape& idx) {
    d.push_back(f((*a.data)[static_cast<std::size_t>(broadcast_offset(a.dims, idx))],
                  (*b.data)[static_cast<std::size_t>(broadcast_offset(b.dims, idx))]));
  });
  out.data = std::move(d);
  return out;
}

ConstValue gather(const ConstValue& x, const ConstValue& idx, std::int64_t axis) {
  const auto a = static_cast<std::size_t>(normalise_axis(axis, x.dims.size()));
  ConstValue out;
  out.dims.assign(x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(a));
  out.dims.insert(out.dims.end(), idx.dims.begin(), idx.dims.end());
  out.dims.insert(out.dims.end(), x.dims.begin() + static_cast<std::ptrdiff_t>(a) + 1,
                  x.dims.end());
  if (!x.data || !idx.data) return out;
  const std::int64_t outer =
      numel(Shape(x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(a)));
  const std::int64_t inner =
      numel(Shape(x.dims.begin() + static_cast<std::ptrdiff_t>(a) + 1, x.dims.end()));
  Data d;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (double iv : *idx.data) {
      auto i = static_cast<std::int64_t>(iv);
      if (i < 0) i += x.dims[a];
      for (std::int64_t k = 0; k < inner; ++k) {
        d.push_back((*x.data)[static_cast<std::size_t>((o * x.dims[a] + i) * inner + k)]);
      }
    }
  }
  out.data = std::move(d);
  return out;
}

ConstValue slice(const Context& cx, const NodeProto& n, const ConstValue& x) {
  const auto starts = cx.const_of(n, 1).ints(), ends = cx.const_of(n, 2).ints();
  std::vector<std::int64_t> axes, steps;
  if (n.input_size() > 3 && !n.input(3).empty()) axes = cx.const_of(n, 3).ints();
  if (n.input_size() > 4 && !n.input(4).empty()) steps = cx.const_of(n, 4).ints();
  Shape begin(x.dims.size(), 0), step(x.dims.size(), 1), out = x.dims;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const auto a = static_cast<std::size_t>(
        normalise_axis(i < axes.size() ? axes[i] : static_cast<std::int64_t>(i), x.dims.size()));
    const std::int64_t d = x.dims[a], s = i < steps.size() ? steps[i] : 1;
    if (s == 0) cx.fail(n, "folds a slice with step 0; expected a non-zero step");
    std::int64_t b = starts[i] < 0 ? starts[i] + d : starts[i];
    std::int64_t e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (s > 0) {
      b = std::clamp<std::int64_t>(b, 0, d);
      e = std::clamp<std::int64_t>(e, 0, d);
      out[a] = std::max<std::int64_t>(0, (e - b + s - 1) / s);
    } else {
      b = std::clamp<std::int64_t>(b, -1, d - 1);
      e = std::clamp<std::int64_t>(e, -1, d - 1);
      out[a] = std::max<std::int64_t>(0, (b - e + (-s) - 1) / (-s));
    }
    begin[a] = b;
    step[a] = s;
  }
  ConstValue r;
  r.dims = out;
  if (!x.data) return r;
  const auto st = strides_of(x.dims);
  Data d;
  for_each_index(out, [&](const Shape& idx) {
    std::int64_t off = 0;
    for (std::size_t i = 0; i < idx.size(); ++i) off += (begin[i] + idx[i] * step[i]) * st[i];
    d.push_back((*x.data)[static_cast<std::size_t>(off)]);
  });
  r.data = std::move(d);
  return r;
}

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

// Folds with computed data where the op is one of the shape-arithmetic ops;
// nullopt where only the dims (from shape inference) are known.
std::optional<ConstValue> compute(const Context& cx, const NodeProto& n) {
  const std::string& t = n.op_type();
  auto in = [&](int i) -> const ConstValue& { return cx.const_of(n, i); };
  if (t == "Constant") return constant_node(cx, n);
  if (t == "Identity" || t == "Cast" || t == "CastLike" || t == "Dropout") return in(0);
  if (t == "Add" || t == "Sub" || t == "Mul" || t == "Div" || t == "Pow" || t == "Equal" ||
      t == "Max" || t == "Min") {
    return binary(t, in(0), in(1));
  }
  if (t == "Gather") return gather(in(0), in(1), attr_int(n, "axis", 0));
  if (t == "Slice" && cx.opset >= 10) return slice(cx, n, in(0));
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
  if (t == "Concat") {
    ConstValue c;
    c.data = Data();
    std::int64_t len = 0;
    for (int i = 0; i < n.input_size(); ++i) {
      const ConstValue& v = in(i);
      if (v.dims.size() > 1) return std::nullopt;
      len += v.elements();
      if (v.data && c.data)
        c.data->insert(c.data->end(), v.data->begin(), v.data->end());
      else
        c.data.reset();
    }
    c.dims = {len};
    return c;
  }
  if (t == "Unsqueeze" || t == "Squeeze" || t == "Reshape" || t == "Flatten" || t == "Expand" ||
      t == "Transpose" || t == "ConstantOfShape" || t == "Range" || t == "Neg" || t == "Sqrt") {
    if (t == "ConstantOfShape") {
      ConstValue c;
      c.dims = in(0).ints();
      double v = 0;
      if (const auto* a = find_attr(n, "value")) {
        const ConstValue fill = decode_tensor(a->t());
        if (fill.data && !fill.data->empty()) v = fill.data->front();
      }
      if (c.elements() <= kMaxFoldedElements)
        c.data = Data(static_cast<std::size_t>(c.elements()), v);
      return c;
    }
    if (t == "Range") {
      const double s = (*in(0).data)[0], e = (*in(1).data)[0], d = (*in(2).data)[0];
      ConstValue c;
      c.data = Data();
      for (double v = s; d > 0 ? v < e : v > e; v += d) c.data->push_back(v);
      c.dims = {static_cast<std::int64_t>(c.data->size())};
      return c;
    }
    if (t == "Neg" || t == "Sqrt") {
      ConstValue c = in(0);
      if (c.data) {
        for (double& v : *c.data) v = t == "Neg" ? -v : std::sqrt(v);
      }
      return c;
    }
    if (t == "Unsqueeze" || t == "Squeeze") {
      ConstValue c = in(0);
      std::vector<std::int64_t> axes = attr_ints(n, "axes");
      if (axes.empty() && n.input_size() > 1 && !n.input(1).empty()) axes = in(1).ints();
      const bool un = t == "Unsqueeze";
      const std::size_t rank = un ? c.dims.size() + axes.size() : c.dims.size();
      if (!un && axes.empty()) {
        for (std::size_t i = 0; i < rank; ++i) {
          if (c.dims[i] == 1) axes.push_back(static_cast<std::int64_t>(i));
        }
      }
      for (auto& a : axes) a = normalise_axis(a, rank);
      std::sort(axes.begin(), axes.end());
      if (un) {
        for (auto a : axes) c.dims.insert(c.dims.begin() + a, 1);
      } else {
        for (auto it = axes.rbegin(); it != axes.rend(); ++it) c.dims.erase(c.dims.begin() + *it);
      }
      return c;
    }
    if (t == "Transpose") {
      const ConstValue& x = in(0);
      std::vector<std::int64_t> perm = attr_ints(n, "perm");
      if (perm.empty()) {
        for (auto i = static_cast<std::int64_t>(x.dims.size()) - 1; i >= 0; --i) perm.push_back(i);
      }
      ConstValue c;
      for (auto p : perm) c.dims.push_back(x.dims[static_cast<std::size_t>(p)]);
      if (!x.data) return c;
      const auto st = strides_of(x.dims);
      Data d;
      for_each_index(c.dims, [&](const Shape& idx) {
        std::int64_t off = 0;
        for (std::size_t i = 0; i < idx.size(); ++i)
          off += idx[i] * st[static_cast<std::size_t>(perm[i])];
        d.push_back((*x.data)[static_cast<std::size_t>(off)]);
      });
      c.data = std::move(d);
      return c;
    }
    if (t == "Reshape" && in(1).data) {
      ConstValue c = in(0);
      const auto target = in(1).ints();
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
      c.dims = out;
      return c;
    }
    // Pure reshapes keep the row-major data; dims come from shape inference.
    auto dims = cx.inferred_shape(n.output(0));
    if (!dims || t == "Expand") return std::nullopt;
    ConstValue c = in(0);
    c.dims = *dims;
    return c;
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
