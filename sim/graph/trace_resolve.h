// Internal to the trace reader: parsed op statements and their resolution into
// a Graph (operand lookup, cycle detection, topological order, shape inference).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/graph/graph.h"

namespace aimcsim {

struct TraceStatement {
  int line = 0;  // 1-based line of the statement
  OpKind kind = OpKind::kInput;
  std::string name;
  OpAttrs attrs;
  std::vector<std::string> operands;  // names, in operand order
};

// Splits "a,b,c" at commas (empty parts kept).
std::vector<std::string_view> split_list(std::string_view text);

// Throws TraceError at the offending statement's line for a dangling operand,
// a cycle, or a shape-inference failure.
Graph build_trace_graph(const std::string& network, const std::vector<TraceStatement>& ops,
                        const std::string& file);

}  // namespace aimcsim
