#include "sim/import/onnx_fold_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

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

// `axis` of a tensor of rank `rank` in [0, rank), or an error naming the node.
std::size_t axis_of(const Context& cx, const NodeProto& n, std::int64_t axis, std::size_t rank) {
  const int a = normalise_axis(axis, rank);
  if (a < 0) cx.fail(n, fmt::format("axis {} is out of range for rank {}", axis, rank));
  return static_cast<std::size_t>(a);
}

std::function<double(double, double)> binary_function(const std::string& t) {
  if (t == "Add") return std::plus<>();
  if (t == "Sub") return std::minus<>();
  if (t == "Mul") return std::multiplies<>();
  if (t == "Div") return [](double x, double y) { return y == 0 ? 0.0 : x / y; };
  if (t == "Pow") return [](double x, double y) { return std::pow(x, y); };
  if (t == "Equal") return [](double x, double y) { return x == y ? 1.0 : 0.0; };
  if (t == "Max") return [](double x, double y) { return std::max(x, y); };
  if (t == "Min") return [](double x, double y) { return std::min(x, y); };
  return {};
}

}  // namespace

ConstValue fold_binary(const Context& cx, const NodeProto& n, const ConstValue& a,
                       const ConstValue& b) {
  ConstValue out;
  out.dims.assign(std::max(a.dims.size(), b.dims.size()), 1);
  for (std::size_t i = 0; i < out.dims.size(); ++i) {
    const std::size_t ia = i + a.dims.size(), ib = i + b.dims.size();
    const std::int64_t da = ia >= out.dims.size() ? a.dims[ia - out.dims.size()] : 1;
    const std::int64_t db = ib >= out.dims.size() ? b.dims[ib - out.dims.size()] : 1;
    if (da != db && da != 1 && db != 1) {
      cx.fail(n, fmt::format("operands {} and {} do not broadcast; expected equal dims or 1",
                             format_shape(a.dims), format_shape(b.dims)));
    }
    out.dims[i] = std::max(da, db);
  }
  const auto f = binary_function(n.op_type());
  if (!a.data || !b.data || !f || out.elements() > kMaxFoldedElements) return out;
  Data d;
  for_each_index(out.dims, [&](const Shape& idx) {
    d.push_back(f((*a.data)[static_cast<std::size_t>(broadcast_offset(a.dims, idx))],
                  (*b.data)[static_cast<std::size_t>(broadcast_offset(b.dims, idx))]));
  });
  out.data = std::move(d);
  return out;
}

ConstValue fold_gather(const Context& cx, const NodeProto& n, const ConstValue& x,
                       const ConstValue& idx) {
  const std::size_t a = axis_of(cx, n, attr_int(n, "axis", 0), x.dims.size());
  const auto at = static_cast<std::ptrdiff_t>(a);
  ConstValue out;
  out.dims.assign(x.dims.begin(), x.dims.begin() + at);
  out.dims.insert(out.dims.end(), idx.dims.begin(), idx.dims.end());
  out.dims.insert(out.dims.end(), x.dims.begin() + at + 1, x.dims.end());
  if (!x.data || !idx.data || out.elements() > kMaxFoldedElements) return out;
  const std::int64_t outer = numel(Shape(x.dims.begin(), x.dims.begin() + at));
  const std::int64_t inner = numel(Shape(x.dims.begin() + at + 1, x.dims.end()));
  Data d;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (double iv : *idx.data) {
      auto i = static_cast<std::int64_t>(iv);
      if (i < 0) i += x.dims[a];
      if (i < 0 || i >= x.dims[a]) {
        cx.fail(n, fmt::format("index {} is out of range for dimension {} of size {}", iv, a,
                               x.dims[a]));
      }
      for (std::int64_t k = 0; k < inner; ++k) {
        d.push_back((*x.data)[static_cast<std::size_t>((o * x.dims[a] + i) * inner + k)]);
      }
    }
  }
  out.data = std::move(d);
  return out;
}

ConstValue fold_slice(const Context& cx, const NodeProto& n, const ConstValue& x) {
  const auto starts = cx.const_of(n, 1).ints(), ends = cx.const_of(n, 2).ints();
  std::vector<std::int64_t> axes, steps;
  if (n.input_size() > 3 && !n.input(3).empty()) axes = cx.const_of(n, 3).ints();
  if (n.input_size() > 4 && !n.input(4).empty()) steps = cx.const_of(n, 4).ints();
  if (ends.size() != starts.size()) cx.fail(n, "has starts and ends of different lengths");
  Shape begin(x.dims.size(), 0), step(x.dims.size(), 1), out = x.dims;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t a =
        axis_of(cx, n, i < axes.size() ? axes[i] : static_cast<std::int64_t>(i), x.dims.size());
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

ConstValue fold_transpose(const Context& cx, const NodeProto& n, const ConstValue& x) {
  std::vector<std::int64_t> perm = attr_ints(n, "perm");
  if (perm.empty()) {
    for (auto i = static_cast<std::int64_t>(x.dims.size()) - 1; i >= 0; --i) perm.push_back(i);
  }
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted.size() != x.dims.size() || sorted[i] != static_cast<std::int64_t>(i)) {
      cx.fail(n, fmt::format("perm {} is not a permutation of the {} axes", fmt::join(perm, ","),
                             x.dims.size()));
    }
  }
  ConstValue c;
  for (auto p : perm) c.dims.push_back(x.dims[static_cast<std::size_t>(p)]);
  if (!x.data) return c;
  const auto st = strides_of(x.dims);
  Data d;
  for_each_index(c.dims, [&](const Shape& idx) {
    std::int64_t off = 0;
    for (std::size_t i = 0; i < idx.size(); ++i) {
      off += idx[i] * st[static_cast<std::size_t>(perm[i])];
    }
    d.push_back((*x.data)[static_cast<std::size_t>(off)]);
  });
  c.data = std::move(d);
  return c;
}

std::optional<ConstValue> fold_range(const Context& cx, const NodeProto& n) {
  const ConstValue &start = cx.const_of(n, 0), &limit = cx.const_of(n, 1),
                   &delta = cx.const_of(n, 2);
  if (!start.data || !limit.data || !delta.data || start.data->empty() || limit.data->empty() ||
      delta.data->empty()) {
    return std::nullopt;
  }
  const double s = start.data->front(), e = limit.data->front(), d = delta.data->front();
  if (d == 0 || !std::isfinite(s) || !std::isfinite(e) || !std::isfinite(d)) {
    cx.fail(n, fmt::format("Range({}, {}, {}) has no finite length; expected a non-zero delta", s,
                           e, d));
  }
  // ONNX: max(ceil((limit - start) / delta), 0) elements.
  const double count = std::max(std::ceil((e - s) / d), 0.0);
  ConstValue c;
  if (count > static_cast<double>(kMaxFoldedElements)) {
    c.dims = {static_cast<std::int64_t>(std::min(count, 1e15))};
    return c;
  }
  c.data = Data();
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(count); ++k) {
    c.data->push_back(s + static_cast<double>(k) * d);
  }
  c.dims = {static_cast<std::int64_t>(c.data->size())};
  return c;
}

ConstValue fold_squeeze(const Context& cx, const NodeProto& n, bool unsqueeze) {
  ConstValue c = cx.const_of(n, 0);
  std::vector<std::int64_t> axes = attr_ints(n, "axes");
  if (axes.empty() && n.input_size() > 1 && !n.input(1).empty()) axes = cx.const_of(n, 1).ints();
  const std::size_t rank = unsqueeze ? c.dims.size() + axes.size() : c.dims.size();
  if (!unsqueeze && axes.empty()) {
    for (std::size_t i = 0; i < rank; ++i) {
      if (c.dims[i] == 1) axes.push_back(static_cast<std::int64_t>(i));
    }
  }
  for (auto& a : axes) a = static_cast<std::int64_t>(axis_of(cx, n, a, rank));
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) {
    cx.fail(n, fmt::format("axes {} repeat an axis", fmt::join(axes, ",")));
  }
  if (unsqueeze) {
    for (auto a : axes) c.dims.insert(c.dims.begin() + a, 1);
  } else {
    for (auto it = axes.rbegin(); it != axes.rend(); ++it) {
      if (c.dims[static_cast<std::size_t>(*it)] != 1) {
        cx.fail(n, fmt::format("squeezes axis {} of size {}; expected size 1", *it,
                               c.dims[static_cast<std::size_t>(*it)]));
      }
      c.dims.erase(c.dims.begin() + *it);
    }
  }
  return c;
}

}  // namespace aimcsim::onnx_import
