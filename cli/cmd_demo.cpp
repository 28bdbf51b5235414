// `aimcsim demo`: the main job on built-in defaults (the README's first
// command). Loads configs/default.toml and the ResNet-20 reference trace,
// prints the resolved hardware and the workload's per-layer table, then
// simulates one inference under the first-last-digital mapping and prints the
// report. Later stages (accuracy, mapping search) extend this run.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/graph_table.h"
#include "sim/graph/trace_reader.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {

namespace {

struct DemoOptions {
  std::filesystem::path hw = default_hardware_config_path();
  std::filesystem::path trace =
      std::filesystem::path(AIMCSIM_SOURCE_DIR) / "traces" / "resnet20_cifar.trace";
  std::string mapping = "first-last-digital";
};

int run_demo(const DemoOptions& options) {
  const HardwareConfig hw = load_hardware_config(options.hw);
  std::cout << "== Hardware: " << options.hw.string() << " (resolved) ==\n";
  dump_hardware_config(hw, std::cout);
  const Graph graph = read_trace_file(options.trace);
  std::cout << "\n== Workload: " << options.trace.string() << " ==\n";
  std::cout << format_graph_table(graph);
  const Mapping mapping = resolve_mapping(options.mapping, graph);
  std::cout << "\n== Simulation: " << options.mapping << ", one inference ==\n";
  print_report_summary(simulate(graph, mapping, hw), std::cout);
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand("demo", "End-to-end run on built-in defaults (the main job)");
  cmd->add_option("--hw", options->hw, "Hardware config")->capture_default_str();
  cmd->add_option("--trace", options->trace, "Workload trace")->capture_default_str();
  cmd->add_option("--mapping", options->mapping, "Mapping file or preset")->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = run_demo(*options); });
}

}  // namespace aimcsim::cli
