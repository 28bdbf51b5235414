// The workload graph IR (DESIGN.md s.3): a DAG of Ops on Boost.Graph.
//
// Invariants: op names are unique; ops are stored in a topological order (an
// op's operands have smaller OpIds), so iterating ids() visits producers before
// consumers; every op has passed shape inference. Each edge runs producer ->
// consumer and carries the operand slot it feeds. A Graph is built through
// GraphBuilder or read from a trace (trace_reader.h); it is immutable after.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/graph/op.h"

namespace aimcsim {

struct OperandEdge {
  int operand = 0;  // slot in the consumer's Op::inputs
};

using GraphStorage =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Op, OperandEdge>;

// Element widths used to turn element counts into bytes.
struct Precision {
  int weight_bits = 8;
  int activation_bits = 8;
};

struct GraphTotals {
  std::int64_t ops = 0;
  std::int64_t mappable_ops = 0;
  std::int64_t macs = 0;           // all MACs: conv2d, linear, matmul
  std::int64_t mappable_macs = 0;  // conv2d + linear (FACTS.md s.7 analog MAC ratio denominator)
  std::int64_t dynamic_macs = 0;   // matmul (digital only)
  std::int64_t weights = 0;        // stationary weight elements of mappable ops
  std::int64_t bias = 0;           // bias elements
  std::int64_t params = 0;         // all learned elements
  std::int64_t vector_ops = 0;
  std::int64_t weight_bytes = 0;      // weights at Precision::weight_bits
  std::int64_t param_bytes = 0;       // params at Precision::weight_bits
  std::int64_t activation_bytes = 0;  // sum of op outputs at Precision::activation_bits
};

class Graph {
 public:
  explicit Graph(std::string name = "network");

  const std::string& name() const { return name_; }
  std::size_t size() const { return boost::num_vertices(g_); }
  const Op& op(OpId id) const { return g_[id.value]; }
  std::optional<OpId> find(std::string_view name) const;
  // All ops in topological (insertion) order.
  std::vector<OpId> ids() const;
  // Ops reading `id`'s output, in id order (one entry per reading op).
  std::vector<OpId> consumers(OpId id) const;
  std::vector<OpId> inputs() const;   // kInput ops
  std::vector<OpId> outputs() const;  // kOutput ops
  const GraphStorage& storage() const { return g_; }

  // Appends an op reading `operands` (which must already be in the graph), runs
  // shape inference and returns its id. Throws GraphError on a duplicate or
  // malformed name, unknown operand, or failed shape inference; the graph is
  // unchanged then.
  OpId add(std::string name, OpKind kind, const OpAttrs& attrs, const std::vector<OpId>& operands);

  GraphTotals totals(Precision precision = {}) const;

  // Same name and the same ops (names, kinds, attributes, operands, shapes).
  bool operator==(const Graph& other) const;

 private:
  std::string name_;
  GraphStorage g_;
  std::unordered_map<std::string, OpId> by_name_;
};

// Names of ops and networks: letters, digits and _ . - / : (no spaces, = , #).
bool is_valid_name(std::string_view name);

}  // namespace aimcsim
