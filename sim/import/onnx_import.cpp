#include "sim/import/onnx_import.h"

#include <fmt/format.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <set>
#include <sstream>

#include "sim/import/onnx_context.h"

namespace aimcsim {
namespace {

using onnx_import::Context;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

onnx::ModelProto read_model(const std::string& label) {
  std::ifstream in(label, std::ios::binary);
  if (!in) throw ImportError(label + ": cannot open the file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes.str()) || model.ir_version() <= 0 || !model.has_graph() ||
      model.graph().node_size() == 0) {
    throw ImportError(label +
                      ": not an ONNX model (no ModelProto with an IR version and a graph of "
                      "nodes; truncated, or another format?)");
  }
  return model;
}

int default_opset(const onnx::ModelProto& model, const std::string& label) {
  int opset = -1;
  for (const auto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = static_cast<int>(o.version());
  }
  if (opset < 1) throw ImportError(label + ": declares no default-domain (ai.onnx) opset");
  if (opset > max_supported_onnx_opset()) {
    throw ImportError(fmt::format(
        "{}: opset {} is newer than this ONNX library reads; expected opset <= {} (re-export "
        "with opset_version={})",
        label, opset, max_supported_onnx_opset(), max_supported_onnx_opset()));
  }
  return opset;
}

// Fixes every graph input's dims from the file or --input-shape; returns them.
std::map<std::string, Shape> input_shapes(onnx::ModelProto& model, const std::string& label,
                                          const OnnxImportOptions& options) {
  std::set<std::string> initializers;
  for (const auto& t : model.graph().initializer()) initializers.insert(t.name());
  std::map<std::string, Shape> out;
  std::string names;
  for (auto& input : *model.mutable_graph()->mutable_input()) {
    if (initializers.count(input.name()) > 0) continue;
    names += (names.empty() ? "" : ", ") + input.name();
    auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    auto given = options.input_shapes.find(input.name());
    if (given != options.input_shapes.end() &&
        static_cast<int>(given->second.size()) != shape->dim_size()) {
      throw ImportError(fmt::format("{}: --input-shape {}={} has rank {}; the input has rank {}",
                                    label, input.name(), format_shape(given->second),
                                    given->second.size(), shape->dim_size()));
    }
    Shape dims;
    for (int i = 0; i < shape->dim_size(); ++i) {
      auto* d = shape->mutable_dim(i);
      if (given != options.input_shapes.end()) {
        const std::int64_t v = given->second[static_cast<std::size_t>(i)];
        if (d->has_dim_value() && d->dim_value() != v) {
          throw ImportError(
              fmt::format("{}: --input-shape {}: dimension {} is {} in the model, "
                          "not {}",
                          label, input.name(), i, d->dim_value(), v));
        }
        d->set_dim_value(v);
      }
      if (!d->has_dim_value() || d->dim_value() < 1) {
        throw ImportError(
            fmt::format("{}: input '{}' dimension {} ('{}') is dynamic; expected a value from "
                        "--input-shape {}=DIMS (e.g. 1x3x224x224)",
                        label, input.name(), i, d->dim_param(), input.name()));
      }
      dims.push_back(d->dim_value());
    }
    out[input.name()] = dims;
  }
  for (const auto& [name, shape] : options.input_shapes) {
    if (out.count(name) == 0) {
      throw ImportError(
          fmt::format("{}: --input-shape names '{}', which is no graph input; "
                      "expected one of: {}",
                      label, name, names));
    }
  }
  return out;
}

void record_inferred(Context& cx, const onnx::ValueInfoProto& v) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
  Shape s;
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    if (!d.has_dim_value()) return;
    s.push_back(d.dim_value());
  }
  cx.set_inferred_shape(v.name(), s);
}

void emit_fused(Context& cx, const onnx::GraphProto& g, const onnx_import::FusedOp& f) {
  const onnx::NodeProto& n = g.node(f.name_index);
  OpAttrs attrs;
  attrs.axis = f.axis;
  Tensor x = cx.tensor_named(n, f.input);
  cx.set_dynamic(f.output, cx.builder().op(cx.op_name(n, "."), f.kind, attrs, {x}));
}

}  // namespace

int max_supported_onnx_opset() {
  const auto& map = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = map.find(onnx::ONNX_DOMAIN);
  return it == map.end() ? 17 : it->second.second;
}

Workload import_onnx_file(const std::filesystem::path& path, const OnnxImportOptions& options) {
  const std::string label = path.string();
  onnx::ModelProto model = read_model(label);
  const int opset = default_opset(model, label);
  const auto inputs = input_shapes(model, label, options);
  try {
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(false, 0, true));
  } catch (const std::exception& e) {
    throw ImportError(label + ": ONNX shape inference failed: " + first_line(e.what()));
  }
  const onnx::GraphProto& g = model.graph();
  Context cx(label, options, path.stem().string());
  cx.opset = opset;
  cx.graph = &g;
  for (const auto& v : g.value_info()) record_inferred(cx, v);
  for (const auto& v : g.output()) {
    record_inferred(cx, v);
    cx.graph_outputs.insert(v.name());
  }
  for (const auto& t : g.initializer()) cx.set_const(t.name(), onnx_import::decode_tensor(t));
  for (const auto& [name, shape] : inputs) cx.declare_input(name, shape);
  for (int i = 0; i < g.node_size(); ++i) {
    for (const auto& v : g.node(i).input()) {
      if (!v.empty()) cx.consumers[v].push_back(i);
    }
  }
  // Constants first (in topological order one pass folds every constant-only
  // chain, e.g. torch's Identity copies of shared weights), so that the pattern
  // matcher sees them.
  std::set<int> folded;
  for (int i = 0; i < g.node_size(); ++i) {
    cx.node_index = i;
    try {
      if (onnx_import::fold_constant_node(cx, g.node(i))) folded.insert(i);
    } catch (const ImportError&) {
      throw;
    } catch (const std::exception& e) {
      cx.fail(g.node(i), e.what());
    }
  }
  const auto fusions = onnx_import::find_fusions(g, cx);
  for (const auto& [last, f] : fusions) {
    for (int k : f.nodes) {
      if (k != last) cx.absorbed.insert(k);
    }
  }
  std::vector<std::string> unknown;
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& n = g.node(i);
    cx.node_index = i;
    if (folded.count(i) > 0 || cx.absorbed.count(i) > 0) continue;
    try {
      if (auto f = fusions.find(i); f != fusions.end()) {
        emit_fused(cx, g, f->second);
      } else if (onnx_import::fold_constant_node(cx, n) || onnx_import::convert_layout_op(cx, n) ||
                 onnx_import::convert_nn_op(cx, n) || onnx_import::convert_math_op(cx, n)) {
      } else if (options.unknown_ops == UnknownOps::kDigital) {
        onnx_import::convert_unknown_op(cx, n);
        unknown.push_back(fmt::format("{} '{}'", n.op_type(), n.name()));
      } else {
        cx.fail(n,
                "unsupported op type; expected an op listed in traces/README.md (ONNX "
                "import), or --unknown-ops digital to cost it as vector work");
      }
    } catch (const ImportError&) {
      throw;
    } catch (const std::exception& e) {
      cx.fail(n, e.what());
    }
  }
  int outputs = 0;
  for (const auto& v : g.output()) {
    if (!cx.is_dynamic(v.name())) continue;
    onnx::NodeProto where;
    where.set_name(v.name());
    where.set_op_type("graph output");
    Tensor t = cx.tensor_named(where, v.name());
    cx.builder().output(cx.unique(onnx_import::sanitise(v.name())), t);
    ++outputs;
  }
  if (outputs == 0) cx.fail("no graph output is computed at run time; expected a network");
  Workload w{std::move(cx.builder()).build(), Mapping("default mapping of " + label), {}};
  for (OpId id : w.graph.ids()) {
    const Op& op = w.graph.op(id);
    if (op.mappable())
      w.default_mapping.set(op.name, cx.int8_ops().count(op.name) ? Target::kInt8 : Target::kFp16);
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    w.warnings.push_back(
        fmt::format("{}: {} op(s) without a rule costed as vector work, one "
                    "operation per output element (--unknown-ops digital): {}",
                    label, unknown.size(), list));
  }
  return w;
}

}  // namespace aimcsim
