#include "sim/graph/op.h"

#include <array>
#include <utility>

namespace aimcsim {
namespace {

struct KindInfo {
  OpKind kind;
  std::string_view name;
};

constexpr std::array kKinds = {
    KindInfo{OpKind::kInput, "input"},
    KindInfo{OpKind::kConstant, "constant"},
    KindInfo{OpKind::kZeros, "zeros"},
    KindInfo{OpKind::kOutput, "output"},
    KindInfo{OpKind::kConv2d, "conv2d"},
    KindInfo{OpKind::kLinear, "linear"},
    KindInfo{OpKind::kMatmul, "matmul"},
    KindInfo{OpKind::kAdd, "add"},
    KindInfo{OpKind::kMul, "mul"},
    KindInfo{OpKind::kRelu, "relu"},
    KindInfo{OpKind::kRelu6, "relu6"},
    KindInfo{OpKind::kGelu, "gelu"},
    KindInfo{OpKind::kSigmoid, "sigmoid"},
    KindInfo{OpKind::kHswish, "hswish"},
    KindInfo{OpKind::kBatchNorm, "batchnorm"},
    KindInfo{OpKind::kLayerNorm, "layernorm"},
    KindInfo{OpKind::kSoftmax, "softmax"},
    KindInfo{OpKind::kMaxPool, "maxpool"},
    KindInfo{OpKind::kAvgPool, "avgpool"},
    KindInfo{OpKind::kGlobalAvgPool, "global_avgpool"},
    KindInfo{OpKind::kFlatten, "flatten"},
    KindInfo{OpKind::kReshape, "reshape"},
    KindInfo{OpKind::kTranspose, "transpose"},
    KindInfo{OpKind::kConcat, "concat"},
    KindInfo{OpKind::kSlice, "slice"},
    KindInfo{OpKind::kPad, "pad"},
};

}  // namespace

std::string_view op_kind_name(OpKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

std::optional<OpKind> parse_op_kind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

const std::vector<OpKind>& all_op_kinds() {
  static const std::vector<OpKind> kinds = [] {
    std::vector<OpKind> v;
    for (const auto& k : kKinds) v.push_back(k.kind);
    return v;
  }();
  return kinds;
}

bool is_mappable(OpKind kind) { return kind == OpKind::kConv2d || kind == OpKind::kLinear; }

std::int64_t bytes_of(std::int64_t elements, int bits) { return (elements * bits + 7) / 8; }

std::int64_t Op::weight_bytes(int weight_bits) const {
  return bytes_of(stats.weights, weight_bits);
}

std::int64_t Op::param_bytes(int weight_bits) const { return bytes_of(stats.params, weight_bits); }

std::int64_t Op::input_bytes(int activation_bits) const {
  std::int64_t elements = 0;
  for (const Shape& s : input_shapes) elements += numel(s);
  return bytes_of(elements, activation_bits);
}

std::int64_t Op::output_bytes(int activation_bits) const {
  return bytes_of(numel(output_shape), activation_bits);
}

}  // namespace aimcsim
