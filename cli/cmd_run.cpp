// `aimcsim run`: timing and energy of a workload under a mapping on a hardware
// config, from the SystemC simulation (sim/engine/engine.h). Prints a summary
// (latency, throughput, energy breakdown, utilisation, per-layer table) and
// writes the JSON report, per-layer CSV, Perfetto trace and VCD on request.
// With --model NAME the workload is the zoo model's graph (nn/export/model_graph.h); with
// --ckpt also the test accuracy at --time over --seeds programming seeds, computed with the
// units' numerics (models/) by nn::evaluate_trained, the function `aimcsim eval` uses, so
// both agree for the same mapping, seed and time.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/hw_overrides.h"
#include "cli/workload_flags.h"
#include "models/device/drift_time.h"
#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/eval/loaded_model.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/trace_reader.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"
#include "sim/trace/activity_recorder.h"

#include <nlohmann/json.hpp>

namespace aimcsim::cli {
namespace {

struct RunOptions {
  std::string hw_path;
  std::vector<std::string> sets;  // --set KEY=VALUE
  WorkloadFlags files;
  std::string mapping;
  int samples = 1;
  std::string json_path, csv_path, trace_out_path, vcd_path, write_mapping_path;
  std::string model, ckpt, time = "1s", data_dir = nn::kFmnistDir;
  nn::EvalOptions eval;
  std::int64_t test_limit = 0;
};

Workload workload_of(const RunOptions& o) {
  if (o.files.any() == !o.model.empty()) {
    throw Error("run: give exactly one workload: --trace FILE, --onnx MODEL, --csv FILE or --model "
                "NAME");
  }
  if (!o.ckpt.empty() && o.model.empty()) throw Error("run: --ckpt needs --model NAME");
  if (o.files.any()) return load_flagged_workload(o.files);
  Graph g = nn::model_to_graph(*nn::make_model(o.model));
  Mapping m = make_preset_mapping(MappingPreset::kAllDigital, g);
  return {std::move(g), std::move(m), {}};
}

// Accuracy of the checkpoint under the mapping (nn/eval/loaded_model.h), as JSON.
nlohmann::ordered_json run_accuracy(const RunOptions& o, const HardwareConfig& config) {
  nn::EvalOptions eval = o.eval;
  eval.times_s = {parse_drift_time(o.time)};
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, o.data_dir);
  const nn::Dataset test =
      nn::dataset_head(nn::load_fmnist(nn::Split::kTest, o.data_dir), o.test_limit);
  const nn::EvalResult r = nn::evaluate_trained({o.model, o.ckpt, o.mapping},
                                                nn::analog_setup_of(config), train, test, eval);
  const nn::TimeAccuracy& t = r.times.front();
  std::printf(
      "\naccuracy at %s after programming: %.2f%% +- %.2f%% over %d seed(s), %lld test "
      "images (%.1f s)\n",
      format_drift_time(t.t_s).c_str(), 100 * t.mean, 100 * t.std, r.seeds,
      static_cast<long long>(r.test_images), r.wall_s);
  return nlohmann::ordered_json::parse(nn::eval_to_json(r).dump());
}

void run_simulation(const RunOptions& o) {
  if (!o.model.empty()) nn::parse_model_spec(o.model);  // unknown names fail first
  const HardwareConfig config = load_hardware_with_sets(o.hw_path, o.sets);
  const Workload workload = workload_of(o);
  const Graph& graph = workload.graph;
  const Mapping mapping = resolve_workload_mapping(o.mapping, workload);
  if (!o.write_mapping_path.empty()) write_mapping_file(mapping, o.write_mapping_path);
  const bool tracing = !o.trace_out_path.empty() || !o.vcd_path.empty();
  ActivityRecorder recorder(config.tile.count, config.digital.count);
  const auto wall_start = std::chrono::steady_clock::now();
  const Report report = simulate(graph, mapping, config,
                                 {.samples = o.samples, .listener = tracing ? &recorder : nullptr});
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  print_report_summary(report, std::cout);
  std::cout << "\nsimulated in " << wall_s << " s wall time" << std::endl;
  nlohmann::ordered_json json = report_to_json(report);
  if (!o.ckpt.empty()) json["accuracy"] = run_accuracy(o, config);
  if (!o.json_path.empty()) write_text_file(o.json_path, json.dump(2) + "\n");
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
  add_set_option(*cmd, o->sets);
  cmd->add_option("--trace", o->files.trace, "Workload trace file (format: traces/README.md)")
      ->check(CLI::ExistingFile);
  add_workload_flags(cmd, o->files);
  cmd->add_option("--model", o->model,
                  "Zoo model whose graph is the workload (instead of --trace)");
  cmd->add_option("--ckpt", o->ckpt,
                  "Checkpoint of --model: also measure test accuracy under the mapping")
      ->check(CLI::ExistingFile);
  cmd->add_option("--time", o->time, "With --ckpt: drift time after programming (1s, 1h, 1d, 1y)")
      ->capture_default_str();
  cmd->add_option("--seeds", o->eval.seeds, "With --ckpt: programming seeds")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--seed", o->eval.seed, "With --ckpt: base seed")->capture_default_str();
  cmd->add_option("--test-limit", o->test_limit, "With --ckpt: first N test images (0 = all 10000)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the gzipped Fashion-MNIST IDX files")
      ->capture_default_str();
  cmd->add_option("--mapping", o->mapping,
                  "Mapping file (.toml/.json, `op = \"analog|int8|fp16|skip\"`) or preset: "
                  "all-digital, all-int8, all-analog, first-last-digital, default (the "
                  "workload's own: ONNX QDQ layers int8, the rest fp16)")
      ->required();
  cmd->add_option("--samples", o->samples, "Inferences streamed through the pipeline")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--json", o->json_path, "Write the report as JSON (keys carry units)");
  cmd->add_option("--layer-csv", o->csv_path, "Write one row per layer as CSV");
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
