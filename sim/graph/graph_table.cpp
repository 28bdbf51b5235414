#include "sim/graph/graph_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace aimcsim {
namespace {

std::string in_shapes(const Op& op) {
  std::string s;
  for (const Shape& shape : op.input_shapes) s += (s.empty() ? "" : ",") + format_shape(shape);
  return s.empty() ? "-" : s;
}

// 40551040 -> "40,551,040"
std::string grouped(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace

std::string format_graph_table(const Graph& graph, Precision p) {
  std::size_t name_w = 4, shape_w = 5;
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    name_w = std::max(name_w, op.name.size());
    shape_w = std::max(shape_w, in_shapes(op).size() + 4 + format_shape(op.output_shape).size());
  }
  std::string out = fmt::format("network {}: {} ops (weights {}-bit, activations {}-bit)\n",
                                graph.name(), graph.size(), p.weight_bits, p.activation_bits);
  out += fmt::format("{:<{}}  {:<14}  {:<{}}  {:>15}  {:>12}  {:>14}  {}\n", "name", name_w, "op",
                     "shape", shape_w, "MACs", "weights", "act. bytes", "mappable");
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    out +=
        fmt::format("{:<{}}  {:<14}  {:<{}}  {:>15}  {:>12}  {:>14}  {}\n", op.name, name_w,
                    op_kind_name(op.kind), in_shapes(op) + " -> " + format_shape(op.output_shape),
                    shape_w, grouped(op.stats.macs), grouped(op.stats.weights),
                    grouped(op.output_bytes(p.activation_bits)), op.mappable() ? "yes" : "no");
  }
  const GraphTotals t = graph.totals(p);
  out += fmt::format("totals: {} ops, {} mappable\n", t.ops, t.mappable_ops);
  out += fmt::format("  MACs           {:>18}  (mappable conv2d+linear {}, dynamic matmul {})\n",
                     grouped(t.macs), grouped(t.mappable_macs), grouped(t.dynamic_macs));
  out += fmt::format("  weights        {:>18}  ({} bytes); bias {}\n", grouped(t.weights),
                     grouped(t.weight_bytes), grouped(t.bias));
  out += fmt::format("  params         {:>18}  ({} bytes)\n", grouped(t.params),
                     grouped(t.param_bytes));
  out += fmt::format("  activations    {:>18}  bytes (sum of op outputs)\n",
                     grouped(t.activation_bytes));
  out += fmt::format("  vector ops     {:>18}\n", grouped(t.vector_ops));
  return out;
}

nlohmann::json graph_to_json(const Graph& graph, Precision p) {
  nlohmann::json layers = nlohmann::json::array();
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    nlohmann::json inputs = nlohmann::json::array();
    for (OpId in : op.inputs) inputs.push_back(graph.op(in).name);
    layers.push_back({{"name", op.name},
                      {"op", op_kind_name(op.kind)},
                      {"inputs", inputs},
                      {"input_shapes", op.input_shapes},
                      {"output_shape", op.output_shape},
                      {"macs", op.stats.macs},
                      {"weights", op.stats.weights},
                      {"bias", op.stats.bias},
                      {"params", op.stats.params},
                      {"weight_bytes", op.weight_bytes(p.weight_bits)},
                      {"param_bytes", op.param_bytes(p.weight_bits)},
                      {"input_bytes", op.input_bytes(p.activation_bits)},
                      {"activation_bytes", op.output_bytes(p.activation_bits)},
                      {"vector_ops", op.stats.vector_ops},
                      {"mappable", op.mappable()}});
  }
  const GraphTotals t = graph.totals(p);
  return {{"network", graph.name()},
          {"precision", {{"weight_bits", p.weight_bits}, {"activation_bits", p.activation_bits}}},
          {"layers", layers},
          {"totals",
           {{"ops", t.ops},
            {"mappable_ops", t.mappable_ops},
            {"macs", t.macs},
            {"mappable_macs", t.mappable_macs},
            {"dynamic_macs", t.dynamic_macs},
            {"weights", t.weights},
            {"bias", t.bias},
            {"params", t.params},
            {"vector_ops", t.vector_ops},
            {"weight_bytes", t.weight_bytes},
            {"param_bytes", t.param_bytes},
            {"activation_bytes", t.activation_bytes}}}};
}

}  // namespace aimcsim
