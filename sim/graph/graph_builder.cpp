#include "sim/graph/graph_builder.h"

#include "sim/graph/op_attrs.h"

namespace aimcsim {

Tensor GraphBuilder::op(std::string name, OpKind kind, const OpAttrs& attrs,
                        const std::vector<Tensor>& operands) {
  std::vector<OpId> ids;
  ids.reserve(operands.size());
  for (Tensor t : operands) ids.push_back(t.id);
  return Tensor{graph_.add(std::move(name), kind, attrs, ids)};
}

Tensor GraphBuilder::unary(std::string name, OpKind kind, Tensor x) {
  return op(std::move(name), kind, default_attrs(kind), {x});
}

Tensor GraphBuilder::input(std::string name, Shape shape) {
  OpAttrs a = default_attrs(OpKind::kInput);
  a.shape = std::move(shape);
  return op(std::move(name), OpKind::kInput, a, {});
}

Tensor GraphBuilder::constant(std::string name, Shape shape) {
  OpAttrs a = default_attrs(OpKind::kConstant);
  a.shape = std::move(shape);
  return op(std::move(name), OpKind::kConstant, a, {});
}

Tensor GraphBuilder::zeros(std::string name, Shape shape) {
  OpAttrs a = default_attrs(OpKind::kZeros);
  a.shape = std::move(shape);
  return op(std::move(name), OpKind::kZeros, a, {});
}

Tensor GraphBuilder::output(std::string name, Tensor x) {
  return unary(std::move(name), OpKind::kOutput, x);
}

Tensor GraphBuilder::conv2d(std::string name, Tensor x, const Conv2dOptions& o) {
  OpAttrs a = default_attrs(OpKind::kConv2d);
  const Shape& s = shape(x);
  a.in_channels = s.size() >= 2 ? s[1] : 0;  // rank is checked by shape inference
  a.out_channels = o.out_channels;
  a.kernel = o.kernel;
  a.stride = o.stride;
  a.padding = o.padding;
  a.dilation = o.dilation;
  a.groups = o.groups;
  a.bias = o.bias;
  return op(std::move(name), OpKind::kConv2d, a, {x});
}

Tensor GraphBuilder::linear(std::string name, Tensor x, std::int64_t out_features, bool bias) {
  OpAttrs a = default_attrs(OpKind::kLinear);
  const Shape& s = shape(x);
  a.in_features = s.empty() ? 0 : s.back();
  a.out_features = out_features;
  a.bias = bias;
  return op(std::move(name), OpKind::kLinear, a, {x});
}

Tensor GraphBuilder::matmul(std::string name, Tensor a, Tensor b, bool transpose_b) {
  OpAttrs attrs = default_attrs(OpKind::kMatmul);
  attrs.transpose_b = transpose_b;
  return op(std::move(name), OpKind::kMatmul, attrs, {a, b});
}

Tensor GraphBuilder::add(std::string name, const std::vector<Tensor>& operands) {
  return op(std::move(name), OpKind::kAdd, default_attrs(OpKind::kAdd), operands);
}

Tensor GraphBuilder::mul(std::string name, Tensor a, Tensor b) {
  return op(std::move(name), OpKind::kMul, default_attrs(OpKind::kMul), {a, b});
}

Tensor GraphBuilder::softmax(std::string name, Tensor x, std::int64_t axis) {
  OpAttrs a = default_attrs(OpKind::kSoftmax);
  a.axis = axis;
  return op(std::move(name), OpKind::kSoftmax, a, {x});
}

Tensor GraphBuilder::maxpool(std::string name, Tensor x, Hw kernel, Hw stride, Hw padding) {
  OpAttrs a = default_attrs(OpKind::kMaxPool);
  a.kernel = kernel;
  a.stride = stride;
  a.padding = padding;
  return op(std::move(name), OpKind::kMaxPool, a, {x});
}

Tensor GraphBuilder::avgpool(std::string name, Tensor x, Hw kernel, Hw stride, Hw padding) {
  OpAttrs a = default_attrs(OpKind::kAvgPool);
  a.kernel = kernel;
  a.stride = stride;
  a.padding = padding;
  return op(std::move(name), OpKind::kAvgPool, a, {x});
}

Tensor GraphBuilder::flatten(std::string name, Tensor x, std::int64_t axis) {
  OpAttrs a = default_attrs(OpKind::kFlatten);
  a.axis = axis;
  return op(std::move(name), OpKind::kFlatten, a, {x});
}

Tensor GraphBuilder::reshape(std::string name, Tensor x, Shape shape) {
  OpAttrs a = default_attrs(OpKind::kReshape);
  a.shape = std::move(shape);
  return op(std::move(name), OpKind::kReshape, a, {x});
}

Tensor GraphBuilder::transpose(std::string name, Tensor x, std::vector<int> perm) {
  OpAttrs a = default_attrs(OpKind::kTranspose);
  a.perm = std::move(perm);
  return op(std::move(name), OpKind::kTranspose, a, {x});
}

Tensor GraphBuilder::concat(std::string name, const std::vector<Tensor>& operands,
                            std::int64_t axis) {
  OpAttrs a = default_attrs(OpKind::kConcat);
  a.axis = axis;
  return op(std::move(name), OpKind::kConcat, a, operands);
}

Tensor GraphBuilder::slice(std::string name, Tensor x, std::int64_t axis, std::int64_t start,
                           std::int64_t end, std::int64_t step) {
  OpAttrs a = default_attrs(OpKind::kSlice);
  a.axis = axis;
  a.start = start;
  a.end = end;
  a.step = step;
  return op(std::move(name), OpKind::kSlice, a, {x});
}

Tensor GraphBuilder::pad(std::string name, Tensor x, std::int64_t axis, std::int64_t before,
                         std::int64_t after) {
  OpAttrs a = default_attrs(OpKind::kPad);
  a.axis = axis;
  a.before = before;
  a.after = after;
  return op(std::move(name), OpKind::kPad, a, {x});
}

}  // namespace aimcsim
