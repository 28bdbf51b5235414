// `aimcsim run`: timing and energy of a workload under a mapping on a hardware
// config, from the SystemC simulation (sim/engine/engine.h). Prints a summary
// (latency, throughput, energy breakdown, utilisation, per-layer table) and
// writes the JSON report, per-layer CSV, Perfetto trace and VCD on request.
// Accuracy through the simulator (--model/--ckpt, --time, --seeds) is planned.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "models/error.h"
#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/trace_reader.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"
#include "sim/trace/activity_recorder.h"

namespace aimcsim::cli {
namespace {

struct RunOptions {
  std::string hw_path;
  std::string trace_path;
  std::string mapping;
  int samples = 1;
  std::string json_path, csv_path, trace_out_path, vcd_path, write_mapping_path;
};

void run_simulation(const RunOptions& o) {
  if (o.trace_path.empty()) throw Error("run: no workload given; expected --trace FILE");
  const HardwareConfig config = load_hardware_config(o.hw_path);
  const Graph graph = read_trace_file(o.trace_path);
  const Mapping mapping = resolve_mapping(o.mapping, graph);
  if (!o.write_mapping_path.empty()) write_mapping_file(mapping, o.write_mapping_path);
  const bool tracing = !o.trace_out_path.empty() || !o.vcd_path.empty();
  ActivityRecorder recorder(config.tile.count, config.digital.count);
  const auto wall_start = std::chrono::steady_clock::now();
  const Report report = simulate(graph, mapping, config,
                                 {.samples = o.samples, .listener = tracing ? &recorder : nullptr});
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  print_report_summary(report, std::cout);
  std::cout << "\nsimulated in " << wall_s << " s wall time\n";
  if (!o.json_path.empty()) write_text_file(o.json_path, report_to_json(report).dump(2) + "\n");
  if (!o.csv_path.empty()) {
    std::ostringstream csv;
    write_report_csv(report, csv);
    write_text_file(o.csv_path, csv.str());
  }
  if (!o.trace_out_path.empty()) {
    std::ostringstream json;
    recorder.write_perfetto_json(json);
    write_text_file(o.trace_out_path, json.str());
  }
  if (!o.vcd_path.empty()) {
    std::ostringstream vcd;
    recorder.write_vcd(vcd);
    write_text_file(o.vcd_path, vcd.str());
  }
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Simulate inference of a workload under a mapping: latency, throughput, energy");
  cmd->add_option("--hw", o->hw_path, "Hardware config (TOML, e.g. configs/hermes.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--trace", o->trace_path, "Workload trace file (format: traces/README.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--mapping", o->mapping,
                  "Mapping file (.toml/.json, `op = \"analog|int8|fp16|skip\"`) or preset: "
                  "all-digital, all-int8, all-analog, first-last-digital")
      ->required();
  cmd->add_option("--samples", o->samples, "Inferences streamed through the pipeline")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--json", o->json_path, "Write the report as JSON (keys carry units)");
  cmd->add_option("--csv", o->csv_path, "Write one row per layer as CSV");
  cmd->add_option("--trace-out", o->trace_out_path,
                  "Write unit activity as Perfetto/Chrome trace-event JSON");
  cmd->add_option("--vcd", o->vcd_path, "Write unit busy signals as VCD");
  cmd->add_option("--write-mapping", o->write_mapping_path,
                  "Write the resolved mapping (.toml or .json)");
  cmd->callback([o, &exit_code] {
    run_simulation(*o);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
