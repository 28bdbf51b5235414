// ONNX rules for compute ops: Conv, Gemm, MatMul, normalisations, pooling,
// softmax and activations (traces/README.md, "ONNX import").
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {
namespace {

using onnx::NodeProto;

bool has_input(const NodeProto& n, int i) { return i < n.input_size() && !n.input(i).empty(); }

// Begin/end padding of one spatial dim: explicit pads or auto_pad SAME_*.
struct Pads {
  std::array<std::int64_t, 2> begin{0, 0}, end{0, 0};  // H, W
};

Pads window_pads(Context& cx, const NodeProto& n, const Shape& x, Hw kernel, Hw stride, Hw dil) {
  Pads p;
  const std::string mode = attr_string(n, "auto_pad");
  if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    const std::int64_t in[2] = {x[2], x[3]}, k[2] = {kernel.h, kernel.w},
                       s[2] = {stride.h, stride.w}, d[2] = {dil.h, dil.w};
    for (int i = 0; i < 2; ++i) {
      const std::int64_t out = (in[i] + s[i] - 1) / s[i];
      const std::int64_t total =
          std::max<std::int64_t>(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i]);
      const std::int64_t small = total / 2;
      p.begin[i] = mode == "SAME_UPPER" ? small : total - small;
      p.end[i] = total - p.begin[i];
    }
    return p;
  }
  if (!mode.empty() && mode != "NOTSET" && mode != "VALID") cx.fail(n, "unknown auto_pad " + mode);
  const auto pads = attr_ints(n, "pads");
  if (pads.empty() || mode == "VALID") return p;
  if (pads.size() != 4) cx.fail(n, fmt::format("has {} pads; expected 4 (2-D)", pads.size()));
  p.begin = {pads[0], pads[1]};
  p.end = {pads[2], pads[3]};
  return p;
}

// Symmetric part of the pads; the rest becomes explicit `pad` ops before the op.
Tensor pad_asymmetric(Context& cx, const std::string& name, Tensor x, Pads& p) {
  for (int i = 0; i < 2; ++i) {
    const std::int64_t common = std::min(p.begin[i], p.end[i]);
    if (p.begin[i] != common || p.end[i] != common) {
      x = cx.builder().pad(cx.unique(name + (i == 0 ? "/pad_h" : "/pad_w")), x, 2 + i,
                           p.begin[i] - common, p.end[i] - common);
    }
    p.begin[i] = p.end[i] = common;
  }
  return x;
}

Hw hw_attr(Context& cx, const NodeProto& n, const std::string& key, Hw fallback) {
  const auto v = attr_ints(n, key);
  if (v.empty()) return fallback;
  if (v.size() != 2)
    cx.fail(n, fmt::format("attribute {} has {} values; expected 2 (2-D)", key, v.size()));
  return {v[0], v[1]};
}

void mark_quantised(Context& cx, const NodeProto& n, const std::string& op, bool weight_int8) {
  if (weight_int8 || cx.quantised_values.count(n.input(0)) > 0) cx.mark_int8(op);
}

void conv(Context& cx, const NodeProto& n) {
  const Shape xs = cx.shape_of(n, 0);
  if (!cx.is_const(n.input(1))) {
    cx.fail(n, "weight (input 1) is computed at run time; expected a constant weight");
  }
  const ConstValue& w = cx.const_of(n, 1);
  if (xs.size() != 4 || w.dims.size() != 4) {
    cx.fail(n, fmt::format("input {} and weight {} are not a 2-D convolution; expected NCHW and "
                           "a 4-D weight",
                           format_shape(xs), format_shape(w.dims)));
  }
  const Hw kernel{w.dims[2], w.dims[3]};
  const Hw stride = hw_attr(cx, n, "strides", {1, 1});
  const Hw dil = hw_attr(cx, n, "dilations", {1, 1});
  Pads p = window_pads(cx, n, xs, kernel, stride, dil);
  const std::string name = cx.op_name(n, ".");
  Tensor x = pad_asymmetric(cx, name, cx.tensor_of(n, 0), p);
  Tensor y = cx.builder().conv2d(name, x,
                                 {.out_channels = w.dims[0],
                                  .kernel = kernel,
                                  .stride = stride,
                                  .padding = {p.begin[0], p.begin[1]},
                                  .dilation = dil,
                                  .groups = attr_int(n, "group", 1),
                                  .bias = has_input(n, 2)});
  mark_quantised(cx, n, name, w.int8);
  cx.set_dynamic(n.output(0), y);
}

// Index of the sole consumer of `value` when it is an Add of a constant bias
// (MatMul + Add, as torch writes a Linear on a 3-D input); -1 otherwise.
int bias_add(Context& cx, const std::string& value, std::int64_t n_out) {
  const int index = cx.sole_consumer(value);
  if (index < 0) return -1;
  const NodeProto& add = cx.graph->node(index);
  if (add.op_type() != "Add" || add.input_size() != 2) return -1;
  const std::string& other = add.input(0) == value ? add.input(1) : add.input(0);
  const ConstValue* b = cx.find_const(other);
  if (b == nullptr || b->elements() != n_out || b->dims.empty() || b->dims.back() != n_out) {
    return -1;
  }
  return index;
}

Tensor dynamic_matmul(Context& cx, const NodeProto& n, bool transpose_b) {
  Tensor a = cx.tensor_of(n, 0), b = cx.tensor_of(n, 1);
  Shape sa = cx.builder().shape(a), sb = cx.builder().shape(b);
  if (sa.size() < 2 || sb.size() < 2) cx.fail(n, "has a 1-D operand; expected rank >= 2");
  const std::string name = cx.op_name(n);
  while (sa.size() < sb.size()) sa.insert(sa.begin(), 1);
  while (sb.size() < sa.size()) sb.insert(sb.begin(), 1);
  a = reshape_to(cx, cx.unique(name + "/a"), a, sa);
  b = reshape_to(cx, cx.unique(name + "/b"), b, sb);
  if (!std::equal(sa.begin(), sa.end() - 2, sb.begin())) {
    cx.fail(n, fmt::format("operands {} and {} broadcast their batch dims; expected equal batch "
                           "dims",
                           format_shape(sa), format_shape(sb)));
  }
  return cx.builder().matmul(name, a, b, transpose_b);
}

void matmul(Context& cx, const NodeProto& n, bool gemm) {
  const bool trans_b = gemm && attr_int(n, "transB", 0) != 0;
  if (gemm && attr_int(n, "transA", 0) != 0) cx.fail(n, "has transA=1; expected transA=0");
  const ConstValue* w = cx.find_const(n.input(1));
  if (w == nullptr || w->dims.size() != 2 || cx.is_const(n.input(0))) {
    Tensor y = dynamic_matmul(cx, n, trans_b);
    if (gemm && has_input(n, 2)) {
      y = cx.builder().mul(cx.op_name(n, "/bias"), y, cx.tensor_of(n, 2));
    }
    cx.set_dynamic(n.output(0), y);
    return;
  }
  const std::int64_t out = trans_b ? w->dims[0] : w->dims[1];
  bool bias = gemm && has_input(n, 2);
  const int add = gemm ? -1 : bias_add(cx, n.output(0), out);
  const std::string name = cx.op_name(n, ".");
  Tensor x = cx.tensor_of(n, 0);
  Tensor y = cx.builder().linear(name, x, out, bias || add >= 0);
  mark_quantised(cx, n, name, w->int8);
  cx.set_dynamic(n.output(0), y);
  if (add >= 0) {
    cx.absorbed.insert(add);
    cx.set_dynamic(cx.graph->node(add).output(0), y);
  }
}

void pool(Context& cx, const NodeProto& n, bool average) {
  const Shape xs = cx.shape_of(n, 0);
  if (xs.size() != 4)
    cx.fail(n, "input " + format_shape(xs) + " is not NCHW; expected 2-D pooling");
  const Hw kernel = hw_attr(cx, n, "kernel_shape", {1, 1});
  const Hw stride = hw_attr(cx, n, "strides", {1, 1});
  if (hw_attr(cx, n, "dilations", {1, 1}) != Hw{1, 1}) cx.fail(n, "has dilations; expected 1");
  Pads p = window_pads(cx, n, xs, kernel, stride, {1, 1});
  if (attr_int(n, "ceil_mode", 0) != 0) {
    const std::int64_t in[2] = {xs[2], xs[3]}, k[2] = {kernel.h, kernel.w},
                       s[2] = {stride.h, stride.w};
    for (int i = 0; i < 2; ++i) {
      const std::int64_t span = in[i] + p.begin[i] + p.end[i] - k[i];
      std::int64_t out = (span + s[i] - 1) / s[i] + 1;
      if ((out - 1) * s[i] >= in[i] + p.begin[i]) --out;  // last window starts in the input
      p.end[i] +=
          std::max<std::int64_t>(0, (out - 1) * s[i] + k[i] - (in[i] + p.begin[i] + p.end[i]));
    }
  }
  const std::string name = cx.op_name(n);
  Tensor x = pad_asymmetric(cx, name, cx.tensor_of(n, 0), p);
  const Hw pad{p.begin[0], p.begin[1]};
  cx.set_dynamic(n.output(0), average ? cx.builder().avgpool(name, x, kernel, stride, pad)
                                      : cx.builder().maxpool(name, x, kernel, stride, pad));
}

void unary(Context& cx, const NodeProto& n, OpKind kind) {
  Tensor x = cx.tensor_of(n, 0);
  cx.set_dynamic(n.output(0), cx.builder().op(cx.op_name(n), kind, {}, {x}));
}

}  // namespace

bool convert_nn_op(Context& cx, const NodeProto& n) {
  const std::string& t = n.op_type();
  if (t == "Conv") {
    conv(cx, n);
  } else if (t == "Gemm" || t == "MatMul") {
    matmul(cx, n, t == "Gemm");
  } else if (t == "MaxPool" || t == "AveragePool") {
    pool(cx, n, t == "AveragePool");
  } else if (t == "GlobalAveragePool") {
    unary(cx, n, OpKind::kGlobalAvgPool);
  } else if (t == "GlobalMaxPool") {
    const Shape xs = cx.shape_of(n, 0);
    if (xs.size() != 4) cx.fail(n, "input is not NCHW; expected 2-D pooling");
    const Hw k{xs[2], xs[3]};
    cx.set_dynamic(n.output(0), cx.builder().maxpool(cx.op_name(n), cx.tensor_of(n, 0), k, 1));
  } else if (t == "BatchNormalization") {
    unary(cx, n, OpKind::kBatchNorm);
  } else if (t == "LayerNormalization") {
    const Shape xs = cx.shape_of(n, 0);
    const auto axis = attr_int(n, "axis", -1);
    if (normalise_axis(axis, xs.size()) != static_cast<int>(xs.size()) - 1) {
      cx.fail(n, fmt::format("normalises from axis {} of {}; expected the last axis only", axis,
                             format_shape(xs)));
    }
    unary(cx, n, OpKind::kLayerNorm);
  } else if (t == "Softmax" || t == "LogSoftmax") {
    const Shape xs = cx.shape_of(n, 0);
    OpAttrs a;
    a.axis = attr_int(n, "axis", cx.opset < 13 ? 1 : -1);
    if (normalise_axis(a.axis, xs.size()) == static_cast<int>(xs.size()) - 1) a.axis = -1;
    Tensor x = cx.tensor_of(n, 0);
    cx.set_dynamic(n.output(0), cx.builder().op(cx.op_name(n), OpKind::kSoftmax, a, {x}));
  } else if (t == "Relu" || t == "LeakyRelu" || t == "PRelu" || t == "Neg" || t == "Abs" ||
             t == "Floor" || t == "Ceil" || t == "Round" || t == "Sign") {
    unary(cx, n, OpKind::kRelu);
  } else if (t == "Clip") {
    unary(cx, n, OpKind::kRelu6);
  } else if (t == "Sigmoid" || t == "HardSigmoid" || t == "Tanh" || t == "Erf" || t == "Exp" ||
             t == "Log" || t == "Sqrt" || t == "Reciprocal" || t == "Softplus" || t == "Softsign" ||
             t == "Elu" || t == "Selu" || t == "Celu" || t == "Sin" || t == "Cos") {
    unary(cx, n, OpKind::kSigmoid);
  } else if (t == "HardSwish") {
    unary(cx, n, OpKind::kHswish);
  } else if (t == "Gelu" || t == "FastGelu" || t == "BiasGelu") {
    unary(cx, n, OpKind::kGelu);
  } else {
    return false;
  }
  return true;
}

}  // namespace aimcsim::onnx_import
