#include "sim/graph/trace_resolve.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>

#include "sim/graph/graph_error.h"

namespace aimcsim {
namespace {

using Index = std::size_t;

// Reports one cycle among the statements never made ready by the topological sort.
[[noreturn]] void throw_cycle(const std::vector<TraceStatement>& ops,
                              const std::vector<std::vector<Index>>& operands,
                              const std::vector<bool>& placed, const std::string& file) {
  Index start = 0;
  while (placed[start]) ++start;
  // Walk operand links (consumer -> producer) until a statement repeats.
  std::vector<Index> path;
  std::vector<int> pos_in_path(ops.size(), -1);
  Index cur = start;
  while (pos_in_path[cur] < 0) {
    pos_in_path[cur] = static_cast<int>(path.size());
    path.push_back(cur);
    for (Index p : operands[cur]) {
      if (!placed[p]) {
        cur = p;
        break;
      }
    }
  }
  std::vector<Index> cycle(path.begin() + pos_in_path[cur], path.end());
  std::reverse(cycle.begin(), cycle.end());  // now producer -> consumer
  const auto first = std::min_element(cycle.begin(), cycle.end());
  std::rotate(cycle.begin(), first, cycle.end());
  std::string chain;
  for (Index i : cycle) chain += ops[i].name + " -> ";
  chain += ops[cycle.front()].name;
  throw TraceError(file, ops[cycle.front()].line,
                   fmt::format("cycle in the graph: {}; expected a DAG (an op cannot depend on "
                               "its own output)",
                               chain));
}

}  // namespace

Graph build_trace_graph(const std::string& network, const std::vector<TraceStatement>& ops,
                        const std::string& file) {
  std::unordered_map<std::string, Index> index;
  for (Index i = 0; i < ops.size(); ++i) index.emplace(ops[i].name, i);

  std::vector<std::vector<Index>> operands(ops.size());
  std::vector<std::vector<Index>> consumers(ops.size());
  std::vector<int> pending(ops.size(), 0);
  for (Index i = 0; i < ops.size(); ++i) {
    for (const std::string& name : ops[i].operands) {
      auto it = index.find(name);
      if (it == index.end()) {
        throw TraceError(file, ops[i].line,
                         fmt::format("{} '{}': operand '{}' is not defined in this file "
                                     "(dangling edge); expected the name of an op or input",
                                     op_kind_name(ops[i].kind), ops[i].name, name));
      }
      operands[i].push_back(it->second);
      consumers[it->second].push_back(i);
      ++pending[i];
    }
  }

  // Kahn's algorithm; among ready statements the earliest in the file goes first.
  std::priority_queue<Index, std::vector<Index>, std::greater<>> ready;
  for (Index i = 0; i < ops.size(); ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<Index> order;
  std::vector<bool> placed(ops.size(), false);
  while (!ready.empty()) {
    const Index i = ready.top();
    ready.pop();
    order.push_back(i);
    placed[i] = true;
    for (Index c : consumers[i]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  if (order.size() != ops.size()) throw_cycle(ops, operands, placed, file);

  Graph graph(network);
  std::vector<OpId> id_of(ops.size());
  for (Index i : order) {
    std::vector<OpId> ids;
    for (Index p : operands[i]) ids.push_back(id_of[p]);
    try {
      id_of[i] = graph.add(ops[i].name, ops[i].kind, ops[i].attrs, ids);
    } catch (const GraphError& e) {
      throw TraceError(file, ops[i].line, e.what());
    }
  }
  if (graph.inputs().empty()) {
    throw TraceError(file, 0, "no input op; expected at least one 'input NAME shape=...' line");
  }
  return graph;
}

}  // namespace aimcsim
