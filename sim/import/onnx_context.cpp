#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {
std::string sanitise(const std::string& text) {
  std::string s = text;
  for (char& ch : s) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' ||
                    ch == '-' || ch == '/' || ch == ':';
    if (!ok) ch = '_';
  }
  return s.empty() ? "_" : s;
}

namespace {

template <typename T>
std::vector<double> raw_values(const std::string& raw) {
  std::vector<double> out(raw.size() / sizeof(T));
  for (std::size_t i = 0; i < out.size(); ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
  return out;
}

std::optional<std::vector<double>> tensor_data(const onnx::TensorProto& t) {
  using TP = onnx::TensorProto;
  const bool raw = t.has_raw_data();
  const std::string& r = t.raw_data();
  switch (t.data_type()) {
    case TP::FLOAT:
      if (raw) return raw_values<float>(r);
      return std::vector<double>(t.float_data().begin(), t.float_data().end());
    case TP::DOUBLE:
      if (raw) return raw_values<double>(r);
      return std::vector<double>(t.double_data().begin(), t.double_data().end());
    case TP::INT64:
      if (raw) return raw_values<std::int64_t>(r);
      return std::vector<double>(t.int64_data().begin(), t.int64_data().end());
    case TP::INT32:
      if (raw) return raw_values<std::int32_t>(r);
      return std::vector<double>(t.int32_data().begin(), t.int32_data().end());
    case TP::INT8:
      if (raw) return raw_values<std::int8_t>(r);
      return std::vector<double>(t.int32_data().begin(), t.int32_data().end());
    case TP::UINT8:
    case TP::BOOL:
      if (raw) return raw_values<std::uint8_t>(r);
      return std::vector<double>(t.int32_data().begin(), t.int32_data().end());
    default:
      return std::nullopt;  // float16 and others: dims only
  }
}

}  // namespace

std::vector<std::int64_t> ConstValue::ints() const {
  std::vector<std::int64_t> out;
  if (!data) throw Error("constant has no data");
  // INT64_MAX/MIN (open-ended slices) do not survive the round trip through
  // double exactly: clamp instead of overflowing.
  constexpr double kMax = 9.2e18;
  for (double v : *data) out.push_back(static_cast<std::int64_t>(std::clamp(v, -kMax, kMax)));
  return out;
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::int64_t attr_int(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback) {
  const auto* a = find_attr(node, name);
  return a != nullptr ? a->i() : fallback;
}

float attr_float(const onnx::NodeProto& node, const std::string& name, float fallback) {
  const auto* a = find_attr(node, name);
  return a != nullptr ? a->f() : fallback;
}

std::vector<std::int64_t> attr_ints(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = find_attr(node, name);
  if (a == nullptr) return {};
  return {a->ints().begin(), a->ints().end()};
}

std::string attr_string(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = find_attr(node, name);
  return a != nullptr ? a->s() : std::string();
}

ConstValue decode_tensor(const onnx::TensorProto& tensor) {
  ConstValue c;
  c.dims.assign(tensor.dims().begin(), tensor.dims().end());
  const bool external = tensor.data_location() == onnx::TensorProto::EXTERNAL;
  if (!external && c.elements() <= kMaxFoldedElements) {
    auto data = tensor_data(tensor);
    if (data && static_cast<std::int64_t>(data->size()) == c.elements()) c.data = std::move(data);
  }
  return c;
}

Context::Context(std::string file, const OnnxImportOptions& options, std::string network)
    : file_(std::move(file)), options_(options), builder_(sanitise(network)) {}

bool Context::is_dynamic(const std::string& value) const {
  return dynamic_.count(value) > 0 || pending_inputs_.count(value) > 0;
}

const ConstValue* Context::find_const(const std::string& value) const {
  auto it = consts_.find(value);
  return it == consts_.end() ? nullptr : &it->second;
}

const ConstValue& Context::const_of(const onnx::NodeProto& node, int input) const {
  const ConstValue* c = input < node.input_size() ? find_const(node.input(input)) : nullptr;
  if (c == nullptr) {
    fail(node, fmt::format("input {} ('{}') is not a constant; expected a constant here", input,
                           input < node.input_size() ? node.input(input) : ""));
  }
  return *c;
}

Tensor Context::tensor_of(const onnx::NodeProto& node, int input) {
  if (input >= node.input_size() || node.input(input).empty()) {
    fail(node, fmt::format("input {} is missing; expected a tensor there", input));
  }
  return tensor_named(node, node.input(input));
}

Tensor Context::tensor_named(const onnx::NodeProto& node, const std::string& value) {
  if (auto it = dynamic_.find(value); it != dynamic_.end()) return it->second;
  if (auto it = pending_inputs_.find(value); it != pending_inputs_.end()) {
    Tensor t = builder_.input(unique(sanitise(value)), it->second);
    dynamic_[value] = t;
    return t;
  }
  if (const ConstValue* c = find_const(value)) {
    Shape dims = c->dims;
    for (std::int64_t d : dims) {
      if (d < 1) fail(node, fmt::format("constant '{}' is empty; expected >= 1 element", value));
    }
    const bool scalar = c->elements() == 1;
    if (dims.empty()) dims = {1};
    const std::string name = unique(sanitise(value));
    Tensor t = scalar ? builder_.zeros(name, dims) : builder_.constant(name, dims);
    dynamic_[value] = t;
    return t;
  }
  fail(node, fmt::format("input '{}' is produced by no earlier node, initializer or graph input; "
                         "expected a complete, topologically sorted graph",
                         value));
}

const Shape& Context::shape_of(const onnx::NodeProto& node, int input) {
  if (const ConstValue* c = find_const(node.input(input))) return c->dims;
  return builder_.shape(tensor_of(node, input));
}

std::optional<Shape> Context::inferred_shape(const std::string& value) const {
  auto it = inferred_.find(value);
  if (it == inferred_.end()) return std::nullopt;
  return it->second;
}

std::string Context::op_name(const onnx::NodeProto& node, const std::string& suffix) {
  const std::string& raw = node.name();
  std::string base;
  if (raw.empty()) {
    base = fmt::format("{}_{}", node.op_type(), node_index);
  } else if (raw.front() == '/' && raw.size() > 1) {
    // torch.onnx.export: "/scope.../module.path/OpType_k"; the last scope is the
    // module's full dotted path.
    const std::string body = raw.substr(1);
    const auto last = body.rfind('/');
    if (last == std::string::npos) {
      base = body;
    } else {
      // Scope components are module names, some already qualified
      // ("layer1/layer1.0"), some relative to the enclosing one ("layer1.0/conv1").
      std::string module;
      std::size_t start = 0;
      while (start < last) {
        const auto slash = body.find('/', start);
        const std::string comp = body.substr(start, slash - start);
        if (module.empty() || comp.rfind(module + ".", 0) == 0) {
          module = comp;
        } else {
          module += "." + comp;
        }
        start = slash + 1;
      }
      base = suffix == "." ? module : module + "/" + body.substr(last + 1);
    }
  } else {
    base = raw;
  }
  if (suffix != "." && !suffix.empty()) base += suffix;
  return unique(sanitise(base));
}

std::string Context::unique(std::string name) {
  std::string candidate = name;
  for (int k = 2; used_names_.count(candidate) > 0; ++k) candidate = fmt::format("{}_{}", name, k);
  used_names_.insert(candidate);
  return candidate;
}

void Context::fail(const onnx::NodeProto& node, const std::string& message) const {
  const std::string name = node.name().empty() ? fmt::format("#{}", node_index) : node.name();
  throw ImportError(fmt::format("{}: node '{}' ({}): {}", file_, name, node.op_type(), message));
}

void Context::fail(const std::string& message) const {
  throw ImportError(fmt::format("{}: {}", file_, message));
}

int Context::sole_consumer(const std::string& value) const {
  auto it = consumers.find(value);
  if (graph == nullptr || graph_outputs.count(value) > 0 || it == consumers.end() ||
      it->second.size() != 1) {
    return -1;
  }
  return it->second.front();
}

Tensor reshape_to(Context& cx, const std::string& name, Tensor x, const Shape& shape) {
  if (cx.builder().shape(x) == shape) return x;
  return cx.builder().reshape(name, x, shape);
}

}  // namespace aimcsim::onnx_import
