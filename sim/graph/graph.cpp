#include "sim/graph/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "sim/graph/graph_error.h"
#include "sim/graph/op_attrs.h"
#include "sim/graph/shape_inference.h"

namespace aimcsim {

bool is_valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-' ||
           ch == '/' || ch == ':';
  });
}

Graph::Graph(std::string name) : name_(std::move(name)) {
  if (!is_valid_name(name_)) {
    throw GraphError(
        fmt::format("network name '{}' is invalid; expected letters, digits, _ . - / :", name_));
  }
}

std::optional<OpId> Graph::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::vector<OpId> Graph::ids() const {
  std::vector<OpId> ids(size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = OpId{i};
  return ids;
}

std::vector<OpId> Graph::consumers(OpId id) const {
  std::vector<OpId> out;
  for (auto [e, end] = boost::out_edges(id.value, g_); e != end; ++e) {
    const OpId c{boost::target(*e, g_)};
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<OpId> Graph::inputs() const {
  std::vector<OpId> out;
  for (OpId id : ids()) {
    if (op(id).kind == OpKind::kInput) out.push_back(id);
  }
  return out;
}

std::vector<OpId> Graph::outputs() const {
  std::vector<OpId> out;
  for (OpId id : ids()) {
    if (op(id).kind == OpKind::kOutput) out.push_back(id);
  }
  return out;
}

OpId Graph::add(std::string name, OpKind kind, const OpAttrs& attrs,
                const std::vector<OpId>& operands) {
  if (!is_valid_name(name)) {
    throw GraphError(fmt::format(
        "{} '{}': name is invalid; expected letters, digits, _ . - / :", op_kind_name(kind), name));
  }
  if (by_name_.count(name) != 0) {
    throw GraphError(fmt::format("{} '{}': duplicate name; each op needs a unique name",
                                 op_kind_name(kind), name));
  }
  Op op;
  op.name = std::move(name);
  op.kind = kind;
  op.attrs = canonical_attrs(kind, attrs);
  op.inputs = operands;
  for (OpId in : operands) {
    if (in.value >= size()) {
      throw GraphError(fmt::format("{} '{}': operand id {} is not in the graph", op_kind_name(kind),
                                   op.name, in.value));
    }
    op.input_shapes.push_back(this->op(in).output_shape);
  }
  InferredOp inferred = infer_op(op.name, kind, op.attrs, op.input_shapes);
  op.output_shape = std::move(inferred.output_shape);
  op.stats = inferred.stats;

  const OpId id{boost::add_vertex(op, g_)};
  by_name_.emplace(op.name, id);
  for (std::size_t slot = 0; slot < operands.size(); ++slot) {
    boost::add_edge(operands[slot].value, id.value, OperandEdge{static_cast<int>(slot)}, g_);
  }
  return id;
}

GraphTotals Graph::totals(Precision precision) const {
  GraphTotals t;
  // Each op's counts are <= kMaxCount (shape.h); the sums are checked too.
  const auto add = [this](std::int64_t& total, std::int64_t v) {
    if (__builtin_add_overflow(total, v, &total)) {
      throw GraphError("graph '" + name_ +
                       "': a whole-network total overflows 64 bits; "
                       "expected fewer or smaller ops");
    }
  };
  for (OpId id : ids()) {
    const Op& o = op(id);
    ++t.ops;
    add(t.macs, o.stats.macs);
    if (o.mappable()) {
      ++t.mappable_ops;
      add(t.mappable_macs, o.stats.macs);
    }
    if (o.kind == OpKind::kMatmul) add(t.dynamic_macs, o.stats.macs);
    add(t.weights, o.stats.weights);
    add(t.bias, o.stats.bias);
    add(t.params, o.stats.params);
    add(t.vector_ops, o.stats.vector_ops);
    add(t.weight_bytes, o.weight_bytes(precision.weight_bits));
    add(t.param_bytes, o.param_bytes(precision.weight_bits));
    add(t.activation_bytes, o.output_bytes(precision.activation_bits));
  }
  return t;
}

bool Graph::operator==(const Graph& other) const {
  if (name_ != other.name_ || size() != other.size()) return false;
  for (OpId id : ids()) {
    if (!(op(id) == other.op(id))) return false;
  }
  return true;
}

}  // namespace aimcsim
