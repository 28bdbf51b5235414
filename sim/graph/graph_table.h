// Per-layer summary of a Graph: a text table for terminals and a JSON document
// (key names carry units) for scripts. Used by `aimcsim graph`.
//
// JSON layout:
//   {"network": str, "precision": {"weight_bits", "activation_bits"},
//    "layers": [{"name", "op", "inputs": [str], "input_shapes": [[int]],
//                "output_shape": [int], "macs", "weights", "bias", "params",
//                "weight_bytes", "param_bytes", "input_bytes", "activation_bytes",
//                "vector_ops", "mappable": bool}],
//    "totals": {"ops", "mappable_ops", "macs", "mappable_macs", "dynamic_macs",
//               "weights", "bias", "params", "vector_ops", "weight_bytes",
//               "param_bytes", "activation_bytes"}}
// activation_bytes is the op's output tensor; input_bytes sums its operands.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/graph/graph.h"

namespace aimcsim {

std::string format_graph_table(const Graph& graph, Precision precision = {});
nlohmann::json graph_to_json(const Graph& graph, Precision precision = {});

}  // namespace aimcsim
