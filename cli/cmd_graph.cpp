// `aimcsim graph`: reads a workload (today a trace file; `--model NAME` from the
// model zoo is planned) and prints its per-layer table and totals; `--json OUT`
// also writes them as JSON (layout: sim/graph/graph_table.h).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "models/error.h"
#include "sim/graph/graph_table.h"
#include "sim/graph/trace_reader.h"

namespace aimcsim::cli {
namespace {

struct GraphOptions {
  std::string trace_path;
  std::string json_path;
  Precision precision;
};

void run_graph(const GraphOptions& o) {
  // A workload source must be given; `--model NAME` will be the alternative.
  if (o.trace_path.empty()) throw Error("graph: no workload given; expected --trace FILE");
  const Graph graph = read_trace_file(o.trace_path);
  std::cout << format_graph_table(graph, o.precision);
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << graph_to_json(graph, o.precision).dump(2) << "\n";
    if (!out) throw Error(o.json_path + ": cannot write the JSON output");
  }
}

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand(
      "graph", "Print a workload's layers: shapes, MACs, weights, activation bytes, mappability");
  cmd->add_option("--trace", options->trace_path, "Workload trace file (format: traces/README.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--json", options->json_path, "Also write the table and totals as JSON here");
  cmd->add_option("--weight-bits", options->precision.weight_bits,
                  "Bits per weight for weight_bytes")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--activation-bits", options->precision.activation_bits,
                  "Bits per activation for activation_bytes")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([options, &exit_code] {
    run_graph(*options);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
