#include "sim/graph/shape_inference.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "sim/graph/op_attrs.h"
#include "sim/graph/shape_check.h"

namespace aimcsim {
namespace {

using detail::Checker;

InferredOp conv2d(const Checker& c, const OpAttrs& a, const Shape& x) {
  c.rank(0, 4, "NCHW");
  c.positive("in_channels", a.in_channels);
  c.positive("out_channels", a.out_channels);
  c.positive("groups", a.groups);
  if (x[1] != a.in_channels) {
    c.fail("operand has {} channels (shape {}); expected in_channels={}", x[1], format_shape(x),
           a.in_channels);
  }
  if (a.in_channels % a.groups != 0 || a.out_channels % a.groups != 0) {
    c.fail("groups={} must divide in_channels={} and out_channels={}", a.groups, a.in_channels,
           a.out_channels);
  }
  const std::int64_t ho = c.window("H", x[2], a.kernel.h, a.stride.h, a.padding.h, a.dilation.h);
  const std::int64_t wo = c.window("W", x[3], a.kernel.w, a.stride.w, a.padding.w, a.dilation.w);
  InferredOp r{{x[0], a.out_channels, ho, wo}, {}};
  r.stats.weights = checked_mul(
      checked_mul(checked_mul(a.kernel.h, a.kernel.w), a.in_channels / a.groups), a.out_channels);
  r.stats.macs = checked_mul(checked_mul(checked_mul(r.stats.weights, ho), wo), x[0]);
  r.stats.bias = a.bias ? a.out_channels : 0;
  r.stats.params = r.stats.weights + r.stats.bias;
  r.stats.vector_ops = a.bias ? numel(r.output_shape) : 0;
  return r;
}

InferredOp linear(const Checker& c, const OpAttrs& a, const Shape& x) {
  c.require(!x.empty(), "operand is a scalar; expected rank >= 1");
  c.positive("in_features", a.in_features);
  c.positive("out_features", a.out_features);
  if (x.back() != a.in_features) {
    c.fail("operand's last dimension is {} (shape {}); expected in_features={}", x.back(),
           format_shape(x), a.in_features);
  }
  InferredOp r{x, {}};
  r.output_shape.back() = a.out_features;
  r.stats.weights = checked_mul(a.in_features, a.out_features);
  r.stats.macs = checked_mul(r.stats.weights, numel(x) / a.in_features);
  r.stats.bias = a.bias ? a.out_features : 0;
  r.stats.params = r.stats.weights + r.stats.bias;
  r.stats.vector_ops = a.bias ? numel(r.output_shape) : 0;
  return r;
}

InferredOp matmul(const Checker& c, const OpAttrs& a, const Shape& x, const Shape& y) {
  if (x.size() < 2 || x.size() != y.size()) {
    c.fail("operand shapes {} and {}; expected equal ranks >= 2", format_shape(x), format_shape(y));
  }
  const std::size_t r = x.size();
  const std::int64_t m = x[r - 2], k = x[r - 1];
  const std::int64_t kb = a.transpose_b ? y[r - 1] : y[r - 2];
  const std::int64_t n = a.transpose_b ? y[r - 2] : y[r - 1];
  const bool batch_ok = std::equal(x.begin(), x.end() - 2, y.begin());
  if (!batch_ok || k != kb) {
    c.fail("cannot multiply {} by {}{}; expected (..., M, K) x {}", format_shape(x),
           format_shape(y), a.transpose_b ? " (transpose_b)" : "",
           a.transpose_b ? "(..., N, K)" : "(..., K, N)");
  }
  InferredOp out{x, {}};
  out.output_shape[r - 1] = n;
  out.stats.macs = checked_mul(numel(x), n);
  return out;
}

InferredOp pool(const Checker& c, const OpAttrs& a, const Shape& x, bool average) {
  c.rank(0, 4, "NCHW");
  const std::int64_t ho = c.window("H", x[2], a.kernel.h, a.stride.h, a.padding.h, 1);
  const std::int64_t wo = c.window("W", x[3], a.kernel.w, a.stride.w, a.padding.w, 1);
  InferredOp r{{x[0], x[1], ho, wo}, {}};
  r.stats.vector_ops =
      checked_mul(numel(r.output_shape), checked_mul(a.kernel.h, a.kernel.w) + (average ? 1 : 0));
  return r;
}

Shape broadcast(const Checker& c, const Shape& x, const Shape& y) {
  Shape out(std::max(x.size(), y.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t dx = i < out.size() - x.size() ? 1 : x[i - (out.size() - x.size())];
    const std::int64_t dy = i < out.size() - y.size() ? 1 : y[i - (out.size() - y.size())];
    if (dx != dy && dx != 1 && dy != 1) {
      c.fail("operand shapes {} and {} do not broadcast; expected equal dims or 1", format_shape(x),
             format_shape(y));
    }
    out[i] = std::max(dx, dy);
  }
  return out;
}

InferredOp infer_checked(const Checker& c, OpKind kind, const OpAttrs& a,
                         const std::vector<Shape>& in) {
  const OpSignature& sig = op_signature(kind);
  const int n = static_cast<int>(in.size());
  if (n < sig.min_inputs || (sig.max_inputs >= 0 && n > sig.max_inputs)) {
    if (sig.max_inputs < 0) c.fail("has {} operands; expected at least {}", n, sig.min_inputs);
    if (sig.min_inputs == sig.max_inputs) c.fail("has {} operands; expected {}", n, sig.min_inputs);
    c.fail("has {} operands; expected {} to {}", n, sig.min_inputs, sig.max_inputs);
  }
  const std::int64_t out_elems = n > 0 ? numel(in[0]) : 0;
  switch (kind) {
    case OpKind::kConv2d:
      return conv2d(c, a, in[0]);
    case OpKind::kLinear:
      return linear(c, a, in[0]);
    case OpKind::kMatmul:
      return matmul(c, a, in[0], in[1]);
    case OpKind::kMaxPool:
      return pool(c, a, in[0], false);
    case OpKind::kAvgPool:
      return pool(c, a, in[0], true);
    case OpKind::kAdd:
      for (const Shape& s : in) {
        if (s != in[0]) {
          c.fail("operand shapes {} and {} differ; expected identical shapes", format_shape(in[0]),
                 format_shape(s));
        }
      }
      return {in[0], {.vector_ops = checked_mul(out_elems, n - 1)}};
    case OpKind::kMul: {
      Shape out = broadcast(c, in[0], in[1]);
      return {out, {.vector_ops = numel(out)}};
    }
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kGelu:
    case OpKind::kSigmoid:
    case OpKind::kHswish:
      return {in[0], {.vector_ops = out_elems}};
    case OpKind::kBatchNorm:
      c.require(in[0].size() >= 2, "operand has rank < 2; expected N x C x ...");
      return {in[0], {.params = 2 * in[0][1], .vector_ops = checked_mul(2, out_elems)}};
    case OpKind::kLayerNorm:
      c.require(!in[0].empty(), "operand is a scalar; expected rank >= 1");
      return {in[0], {.params = 2 * in[0].back(), .vector_ops = checked_mul(6, out_elems)}};
    case OpKind::kSoftmax:
      c.axis(in[0].size());
      return {in[0], {.vector_ops = checked_mul(4, out_elems)}};
    case OpKind::kGlobalAvgPool: {
      c.rank(0, 4, "NCHW");
      const Shape& x = in[0];
      return {{x[0], x[1], 1, 1},
              {.vector_ops = checked_mul(checked_mul(x[0], x[1]), checked_mul(x[2], x[3]) + 1)}};
    }
    default:
      return detail::infer_layout(c, kind, a, in);
  }
}

}  // namespace

InferredOp infer_op(std::string_view name, OpKind kind, const OpAttrs& a,
                    const std::vector<Shape>& in) {
  const Checker c(name, kind, a, in);
  try {
    return infer_checked(c, kind, a, in);
  } catch (const CountOverflow& e) {
    c.fail("{}", e.what());
  }
}

}  // namespace aimcsim
