#include "sim/graph/op_attrs.h"

#include <charconv>
#include <map>

namespace aimcsim {
namespace {

bool parse_int(std::string_view text, std::int64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

AttrSpec req(std::string_view name, AttrField field, std::string_view help) {
  return AttrSpec{name, field, true, "", help};
}
AttrSpec opt(std::string_view name, AttrField field, std::string_view def, std::string_view help) {
  return AttrSpec{name, field, false, def, help};
}

std::vector<AttrSpec> conv_attrs() {
  return {req("in_channels", &OpAttrs::in_channels, "input channels (checked against the operand)"),
          req("out_channels", &OpAttrs::out_channels, "output channels"),
          req("kernel", &OpAttrs::kernel, "kernel size, elements"),
          opt("stride", &OpAttrs::stride, "1", "stride, elements"),
          opt("padding", &OpAttrs::padding, "0", "zero padding on each side, elements"),
          opt("dilation", &OpAttrs::dilation, "1", "kernel dilation"),
          opt("groups", &OpAttrs::groups, "1", "channel groups (= in_channels: depthwise)"),
          opt("bias", &OpAttrs::bias, "false", "has a bias vector")};
}

std::vector<AttrSpec> pool_attrs() {
  return {req("kernel", &OpAttrs::kernel, "window size, elements"),
          req("stride", &OpAttrs::stride, "stride, elements"),
          opt("padding", &OpAttrs::padding, "0", "padding on each side, elements")};
}

std::map<OpKind, OpSignature> make_signatures() {
  const OpSignature unary{1, 1, {}, "element-wise, output shape = operand shape"};
  std::map<OpKind, OpSignature> s;
  s[OpKind::kInput] = {0, 0, {req("shape", &OpAttrs::shape, "tensor shape, NCHW")}, "graph input"};
  s[OpKind::kConstant] = {
      0, 0, {req("shape", &OpAttrs::shape, "tensor shape")}, "learned tensor (class token)"};
  s[OpKind::kZeros] = {
      0, 0, {req("shape", &OpAttrs::shape, "tensor shape")}, "all-zero tensor, no params"};
  s[OpKind::kOutput] = {1, 1, {}, "graph output"};
  s[OpKind::kConv2d] = {1, 1, conv_attrs(), "2-D convolution, NCHW"};
  s[OpKind::kLinear] = {1,
                        1,
                        {req("in_features", &OpAttrs::in_features, "last operand dimension"),
                         req("out_features", &OpAttrs::out_features, "output features"),
                         opt("bias", &OpAttrs::bias, "false", "has a bias vector")},
                        "fully connected layer over the last dimension"};
  s[OpKind::kMatmul] = {
      2,
      2,
      {opt("transpose_b", &OpAttrs::transpose_b, "false", "second operand is (..., N, K)")},
      "product of two dynamic tensors (..., M, K) x (..., K, N)"};
  s[OpKind::kAdd] = {2, -1, {}, "sum of operands of identical shape"};
  s[OpKind::kMul] = {2, 2, {}, "product, numpy broadcasting"};
  for (OpKind k :
       {OpKind::kRelu, OpKind::kRelu6, OpKind::kGelu, OpKind::kSigmoid, OpKind::kHswish}) {
    s[k] = unary;
  }
  s[OpKind::kBatchNorm] = {1, 1, {}, "inference batch norm over dimension 1"};
  s[OpKind::kLayerNorm] = {1, 1, {}, "layer norm over the last dimension"};
  s[OpKind::kSoftmax] = {
      1, 1, {opt("axis", &OpAttrs::axis, "-1", "dimension normalised")}, "softmax"};
  s[OpKind::kMaxPool] = {1, 1, pool_attrs(), "max pooling, NCHW"};
  s[OpKind::kAvgPool] = {1, 1, pool_attrs(), "average pooling, NCHW"};
  s[OpKind::kGlobalAvgPool] = {1, 1, {}, "NCHW -> Nx C x1x1 mean"};
  s[OpKind::kFlatten] = {
      1, 1, {opt("axis", &OpAttrs::axis, "1", "first dimension flattened")}, "flatten"};
  s[OpKind::kReshape] = {
      1, 1, {req("shape", &OpAttrs::shape, "target shape, one -1 inferred")}, "reshape"};
  s[OpKind::kTranspose] = {
      1, 1, {req("perm", &OpAttrs::perm, "output dim i = operand dim perm[i]")}, "permute"};
  s[OpKind::kConcat] = {
      2, -1, {opt("axis", &OpAttrs::axis, "1", "dimension joined")}, "concatenate"};
  s[OpKind::kSlice] = {1,
                       1,
                       {req("axis", &OpAttrs::axis, "dimension sliced"),
                        opt("start", &OpAttrs::start, "0", "first index"),
                        req("end", &OpAttrs::end, "one past the last index"),
                        opt("step", &OpAttrs::step, "1", "index step")},
                       "strided slice along one dimension"};
  s[OpKind::kPad] = {1,
                     1,
                     {req("axis", &OpAttrs::axis, "dimension padded"),
                      opt("before", &OpAttrs::before, "0", "zeros before"),
                      opt("after", &OpAttrs::after, "0", "zeros after")},
                     "zero padding along one dimension"};
  return s;
}

}  // namespace

const OpSignature& op_signature(OpKind kind) {
  static const std::map<OpKind, OpSignature> signatures = make_signatures();
  return signatures.at(kind);
}

const AttrSpec* find_attr(OpKind kind, std::string_view name) {
  for (const AttrSpec& spec : op_signature(kind).attrs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

OpAttrs default_attrs(OpKind kind) {
  OpAttrs attrs;
  for (const AttrSpec& spec : op_signature(kind).attrs) {
    if (!spec.required) set_attr(attrs, spec, spec.default_text);
  }
  return attrs;
}

OpAttrs canonical_attrs(OpKind kind, const OpAttrs& attrs) {
  OpAttrs out = default_attrs(kind);
  for (const AttrSpec& spec : op_signature(kind).attrs) {
    std::visit([&](auto member) { out.*member = attrs.*member; }, spec.field);
  }
  return out;
}

std::string_view attr_syntax(const AttrSpec& spec) {
  switch (spec.field.index()) {
    case 0:
      return "an integer";
    case 1:
      return "true or false";
    case 2:
      return "N or HxW with positive integers (e.g. 3 or 3x5)";
    case 3:
      return "a shape like 1x3x32x32";
    default:
      return "a comma-separated integer list like 0,2,1,3";
  }
}

std::string set_attr(OpAttrs& attrs, const AttrSpec& spec, std::string_view text) {
  const std::string expected = "expected " + std::string(attr_syntax(spec));
  bool ok = false;
  if (auto* f = std::get_if<std::int64_t OpAttrs::*>(&spec.field)) {
    ok = parse_int(text, attrs.**f);
  } else if (auto* b = std::get_if<bool OpAttrs::*>(&spec.field)) {
    ok = text == "true" || text == "false";
    if (ok) attrs.** b = text == "true";
  } else if (auto* hw = std::get_if<Hw OpAttrs::*>(&spec.field)) {
    const std::size_t x = text.find('x');
    Hw v;
    ok = x == std::string_view::npos
             ? parse_int(text, v.h) && (v.w = v.h, true)
             : parse_int(text.substr(0, x), v.h) && parse_int(text.substr(x + 1), v.w);
    ok = ok && v.h >= 0 && v.w >= 0;
    if (ok) attrs.*(*hw) = v;
  } else if (auto* sh = std::get_if<Shape OpAttrs::*>(&spec.field)) {
    ok = parse_shape(text, attrs.*(*sh));
  } else if (auto* list = std::get_if<std::vector<int> OpAttrs::*>(&spec.field)) {
    std::vector<int> v;
    ok = !text.empty();
    std::size_t pos = 0;
    while (ok && pos <= text.size()) {
      std::size_t end = text.find(',', pos);
      if (end == std::string_view::npos) end = text.size();
      std::int64_t i = 0;
      ok = parse_int(text.substr(pos, end - pos), i) && i >= -1000 && i <= 1000;
      v.push_back(static_cast<int>(i));
      pos = end + 1;
    }
    if (ok) attrs.*(*list) = v;
  }
  return ok ? "" : expected;
}

std::string format_attr(const OpAttrs& attrs, const AttrSpec& spec) {
  if (auto* f = std::get_if<std::int64_t OpAttrs::*>(&spec.field)) {
    return std::to_string(attrs.**f);
  }
  if (auto* b = std::get_if<bool OpAttrs::*>(&spec.field)) return attrs.**b ? "true" : "false";
  if (auto* hw = std::get_if<Hw OpAttrs::*>(&spec.field)) {
    const Hw v = attrs.*(*hw);
    return v.h == v.w ? std::to_string(v.h) : std::to_string(v.h) + "x" + std::to_string(v.w);
  }
  if (auto* sh = std::get_if<Shape OpAttrs::*>(&spec.field)) return format_shape(attrs.*(*sh));
  std::string s;
  for (int i : attrs.*std::get<std::vector<int> OpAttrs::*>(spec.field)) {
    if (!s.empty()) s += ',';
    s += std::to_string(i);
  }
  return s;
}

}  // namespace aimcsim
