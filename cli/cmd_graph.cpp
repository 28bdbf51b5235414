// `aimcsim graph`: reads a workload, either a trace file (`--trace FILE`) or a
// zoo model exported to the graph IR (`--model NAME`, nn/export/model_graph.h;
// mappable ops carry the layer names mapping files use), and prints its
// per-layer table and totals; `--json OUT` also writes them as JSON (layout:
// sim/graph/graph_table.h); `--write-trace OUT` writes the graph as a trace
// file (traces/README.md). `--onnx MODEL` and `--csv FILE` import a workload
// (sim/import/workload.h); `--write-mapping OUT` writes the workload's default
// mapping (ONNX: QDQ layers int8, the rest fp16).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/workload_flags.h"
#include "models/error.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/graph/graph_table.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::cli {
namespace {

struct GraphOptions {
  WorkloadFlags files;
  std::string write_mapping_path;
  std::string model_name;
  std::int64_t batch = 1;
  std::string json_path;
  std::string write_trace_path;
  Precision precision;
};

std::string joined_model_names() {
  std::string s;
  for (const auto& n : nn::model_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

Workload load_graph_workload(const GraphOptions& o) {
  if (o.files.any() && !o.model_name.empty()) {
    throw Error("graph: a workload file and --model both given; expected exactly one workload");
  }
  if (!o.model_name.empty()) {
    Graph g = nn::model_to_graph(*nn::make_model(o.model_name), o.batch);
    Mapping m = make_preset_mapping(MappingPreset::kAllDigital, g);
    return {std::move(g), std::move(m), {}};
  }
  if (!o.files.any()) {
    throw Error("graph: no workload given; expected --trace FILE, --onnx MODEL, --csv FILE or "
                "--model NAME");
  }
  if (o.batch != 1) throw Error("graph: --batch applies to --model only; a file fixes its batch");
  return load_flagged_workload(o.files);
}

void run_graph(const GraphOptions& o) {
  const Workload workload = load_graph_workload(o);
  const Graph& graph = workload.graph;
  if (!o.write_mapping_path.empty()) write_mapping_file(workload.default_mapping, o.write_mapping_path);
  std::cout << format_graph_table(graph, o.precision);
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << graph_to_json(graph, o.precision).dump(2) << "\n";
    if (!out) throw Error(o.json_path + ": cannot write the JSON output");
  }
  if (!o.write_trace_path.empty()) write_trace_file(graph, o.write_trace_path);
}

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand(
      "graph", "Print a workload's layers: shapes, MACs, weights, activation bytes, mappability");
  cmd->add_option("--trace", options->files.trace,
                  "Workload trace file (format: traces/README.md)")
      ->check(CLI::ExistingFile);
  add_workload_flags(cmd, options->files);
  cmd->add_option(
      "--model", options->model_name,
      "Zoo model exported to the graph IR, Fashion-MNIST input; one of: " + joined_model_names());
  cmd->add_option("--batch", options->batch, "Images per inference for --model (input N x 1x28x28)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--json", options->json_path, "Also write the table and totals as JSON here");
  cmd->add_option("--write-trace", options->write_trace_path,
                  "Also write the workload as a trace file here");
  cmd->add_option("--write-mapping", options->write_mapping_path,
                  "Also write the workload's default mapping (.toml/.json; ONNX QDQ layers int8, "
                  "the rest fp16)");
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
