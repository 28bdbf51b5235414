// Shape inference of the data-movement ops; no MACs and no vector operations.
#include <algorithm>
#include <numeric>

#include "sim/graph/shape_check.h"

namespace aimcsim::detail {
namespace {

Shape source_shape(const Checker& c, const OpAttrs& a) {
  for (std::int64_t d : a.shape) {
    if (d < 1) c.fail("attribute shape={} is invalid; expected dims >= 1", format_shape(a.shape));
  }
  c.require(!a.shape.empty(), "attribute shape is missing; expected a shape like 1x3x32x32");
  return a.shape;
}

Shape reshape(const Checker& c, const OpAttrs& a, const Shape& x) {
  Shape out = a.shape;
  const auto unknown = std::count(out.begin(), out.end(), -1);
  c.require(unknown <= 1, "attribute shape has more than one -1; expected at most one");
  std::int64_t known = 1;  // product of the given dims
  for (std::int64_t d : out) known = checked_mul(known, d == -1 ? 1 : d);
  if (unknown == 1 && numel(x) % known == 0) {
    *std::find(out.begin(), out.end(), -1) = numel(x) / known;
  }
  if (numel(out) != numel(x) || std::count(out.begin(), out.end(), -1) > 0) {
    c.fail("cannot reshape {} ({} elements) to {}; expected the same element count",
           format_shape(x), numel(x), format_shape(a.shape));
  }
  return out;
}

Shape transpose(const Checker& c, const OpAttrs& a, const Shape& x) {
  std::vector<int> sorted = a.perm;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(x.size());
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity) {
    c.fail("attribute perm is not a permutation of 0..{} for operand shape {}", x.size() - 1,
           format_shape(x));
  }
  Shape out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[static_cast<std::size_t>(a.perm[i])];
  return out;
}

Shape concat(const Checker& c, const std::vector<Shape>& in) {
  const int ax = c.axis(in[0].size());
  Shape out = in[0];
  for (std::size_t i = 1; i < in.size(); ++i) {
    Shape s = in[i];
    bool ok = s.size() == out.size();
    if (ok) {
      s[static_cast<std::size_t>(ax)] = out[static_cast<std::size_t>(ax)];
      ok = s == out;
    }
    if (!ok) {
      c.fail("operand shapes {} and {} differ outside axis {}; expected equal other dims",
             format_shape(in[0]), format_shape(in[i]), ax);
    }
    out[static_cast<std::size_t>(ax)] += in[i][static_cast<std::size_t>(ax)];
  }
  return out;
}

Shape slice(const Checker& c, const OpAttrs& a, const Shape& x) {
  const auto ax = static_cast<std::size_t>(c.axis(x.size()));
  c.positive("step", a.step);
  if (a.start < 0 || a.end <= a.start || a.end > x[ax]) {
    c.fail(
        "slice {}:{} of axis {} (size {}) is empty or out of range; expected 0 <= start < end "
        "<= {}",
        a.start, a.end, ax, x[ax], x[ax]);
  }
  Shape out = x;
  out[ax] = (a.end - a.start + a.step - 1) / a.step;
  return out;
}

}  // namespace

InferredOp infer_layout(const Checker& c, OpKind kind, const OpAttrs& a,
                        const std::vector<Shape>& in) {
  switch (kind) {
    case OpKind::kInput:
    case OpKind::kZeros:
      return {source_shape(c, a), {}};
    case OpKind::kConstant: {
      Shape s = source_shape(c, a);
      return {s, {.params = numel(s)}};
    }
    case OpKind::kOutput:
      return {in[0], {}};
    case OpKind::kFlatten: {
      const auto ax = static_cast<std::size_t>(c.axis(in[0].size()));
      Shape out(in[0].begin(), in[0].begin() + static_cast<std::ptrdiff_t>(ax));
      out.push_back(numel(Shape(in[0].begin() + static_cast<std::ptrdiff_t>(ax), in[0].end())));
      return {out, {}};
    }
    case OpKind::kReshape:
      return {reshape(c, a, in[0]), {}};
    case OpKind::kTranspose:
      return {transpose(c, a, in[0]), {}};
    case OpKind::kConcat:
      return {concat(c, in), {}};
    case OpKind::kSlice:
      return {slice(c, a, in[0]), {}};
    case OpKind::kPad: {
      const auto ax = static_cast<std::size_t>(c.axis(in[0].size()));
      if (a.before < 0 || a.after < 0) {
        c.fail("attributes before={} after={} are invalid; expected >= 0", a.before, a.after);
      }
      Shape out = in[0];
      out[ax] += a.before + a.after;
      return {out, {}};
    }
    default:
      c.fail("has no shape rule (internal error)");
  }
}

}  // namespace aimcsim::detail
