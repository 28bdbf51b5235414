// `aimcsim compare`: the table the HILAL and MPS papers print, one row per mapping method
// (mapping/methods.h): accuracy at --time (mean +- std over --seeds, the machinery of
// `aimcsim eval`, nn/eval/loaded_model.h, so the same numbers for the same mapping, seed
// and time), analog MAC ratio, digital weight MB, tiles used, latency, energy per
// inference (simulated by the cost oracle, mapping/cost_oracle.h, like `aimcsim run` with
// --samples 1) and search wall time. Search methods (hilal, ..., lionheart) run first, one
// after the other on the same machine (cli/map_search.h, so their wall times compare); then
// all simulations (forked children), then the accuracy evaluations. With a workload file
// instead of a trained model (--trace, --onnx, --topology-csv) the rows are costs only.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/compare_rows.h"
#include "cli/hw_overrides.h"
#include "cli/map_search.h"
#include "cli/workload_flags.h"
#include "mapping/cost_oracle.h"
#include "mapping/methods.h"
#include "models/device/drift_time.h"
#include "models/error.h"
#include "nn/eval/loaded_model.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/placement/placement.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {
namespace {

// The simulated report of one method's mapping; errors name the method.
Report simulate_method(CostOracle& oracle, const MethodResult& method,
                       const HardwareConfig& config) {
  try {
    return oracle.whole_mapping(method.mapping);
  } catch (const PlacementError& e) {
    throw Error("compare: method '" + method.label + "' does not fit " + config.source_file + ": " +
                e.what());
  } catch (const MappingError& e) {
    throw Error("compare: method '" + method.label + "': " + e.what());
  }
}

// Runs a search named in --methods as `aimcsim map` does and turns the spec into the
// file:MAP@REPORT entry of its results.
void run_search_spec(MethodSpec& spec, const CompareOptions& o) {
  MapOptions m = o.search;
  m.method = spec.search;
  m.hw = o.hw_path;
  m.hw_sets = o.hw_sets;
  m.model = o.model;
  m.ckpt = o.ckpt;
  m.seed = o.eval.seed;
  m.data_dir = o.data_dir;
  m.cache_dir = o.cache_dir;
  m.no_cache = o.no_cache;
  const std::filesystem::path stem =
      std::filesystem::path(o.search_dir) / (o.model + "-" + spec.search);
  m.out = stem.string() + ".toml";
  m.json = stem.string() + ".json";
  m.run_dir = stem.string() + ".run";
  std::filesystem::create_directories(o.search_dir);
  std::cout << "compare: running search " << spec.search << " (results in " << stem.string()
            << ".*)\n";
  run_map(m);
  spec.mapping_file = m.out;
  spec.report_file = m.json;
  spec.search.clear();
}

// Prints the table and writes the files asked for; `start` is the command's start (wall s).
void write_compare_outputs(const std::vector<CompareRow>& rows, CompareContext& c,
                           const CompareOptions& o, std::chrono::steady_clock::time_point start) {
  c.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_compare_table(rows, c, std::cout);
  if (!o.json_path.empty()) write_text_file(o.json_path, compare_to_json(rows, c).dump(2) + "\n");
  if (!o.html_path.empty()) {
    write_compare_html(o.html_path, rows, c);
    std::cout << "HTML report: " << o.html_path << "\n";
  }
  if (!o.csv_path.empty()) {
    std::ostringstream csv;
    write_compare_csv(rows, csv);
    write_text_file(o.csv_path, csv.str());
  }
}

// Costs only, for a workload file (--trace, --onnx, --topology-csv): presets and file:
// mappings simulated on its graph; no weights, so no accuracy and no search.
void run_compare_costs(const CompareOptions& o, std::chrono::steady_clock::time_point start) {
  if (!o.model.empty() || !o.ckpt.empty()) {
    throw Error(
        "compare: --model/--ckpt and a workload file (--trace, --onnx, --topology-csv) exclude "
        "each other; expected one of them");
  }
  const std::vector<MethodSpec> specs = parse_method_list(o.methods);
  for (const MethodSpec& spec : specs) {
    if (!spec.search.empty()) {
      throw Error("compare: method '" + spec.search +
                  "' is a search and needs --model and --ckpt (a workload file has no trained "
                  "weights); expected presets or file:MAP");
    }
  }
  const HardwareConfig config = load_hardware_with_sets(o.hw_path, o.hw_sets);
  const Workload workload = load_flagged_workload(o.workload);
  CostOracle oracle(workload.graph, config, {o.cache_dir, !o.no_cache});
  const MethodContext context{workload.graph, &config, nullptr, &oracle, o.eval.seed};
  std::vector<CompareRow> rows;
  for (const MethodSpec& spec : specs) {
    MethodResult method = run_method_spec(spec, context);
    Report report = simulate_method(oracle, method, config);
    rows.push_back({std::move(method), std::move(report), {}});
  }
  const std::string file = !o.workload.trace.empty()
                               ? o.workload.trace
                               : (!o.workload.onnx.empty() ? o.workload.onnx : o.workload.csv);
  CompareContext c{config.source_file,
                   workload.graph.name() + " (" + file + ")",
                   "",
                   0.0,
                   0,
                   o.eval.seed,
                   0,
                   oracle.simulations_run(),
                   oracle.cache_hits(),
                   o.no_cache ? std::string("cache off") : oracle.cache().dir().string(),
                   0.0,
                   o.hv_reference};
  write_compare_outputs(rows, c, o, start);
}

}  // namespace

void run_compare(const CompareOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  if (o.workload.any()) return run_compare_costs(o, start);
  if (o.model.empty() || o.ckpt.empty()) {
    throw Error(
        "compare: expected --model and --ckpt (accuracy and costs) or a workload file "
        "(--trace, --onnx, --topology-csv: costs only)");
  }
  nn::parse_model_spec(o.model);  // unknown names fail before any loading
  std::vector<MethodSpec> specs = parse_method_list(o.methods);
  const double time_s = parse_drift_time(o.time);
  const HardwareConfig config = load_hardware_with_sets(o.hw_path, o.hw_sets);
  nn::LoadedModel model = nn::load_trained_model(o.model, o.ckpt);
  CostOracle oracle(model.graph, config, {o.cache_dir, !o.no_cache});
  const MethodContext context{model.graph, &config, &model, &oracle, o.eval.seed};

  for (MethodSpec& spec : specs) {
    if (!spec.search.empty()) run_search_spec(spec, o);
  }
  std::vector<CompareRow> rows;
  // Per row, the weights a fine-tuning search produced (LAFT, LionHEART, MPS), if any.
  std::vector<std::optional<nn::LoadedModel>> tuned_models;
  int extra_simulations = 0, extra_hits = 0;
  for (const MethodSpec& spec : specs) {
    MethodResult method = run_method_spec(spec, context);
    std::optional<nn::LoadedModel> tuned;
    if (!method.checkpoint.empty()) {
      tuned.emplace(nn::load_trained_model(o.model, method.checkpoint));
    }
    Report report;
    if (tuned && tuned->graph.name() != model.graph.name()) {
      // A widened network (MPAAS): MACs, bytes, latency and energy of its own graph.
      CostOracle own(tuned->graph, config, {o.cache_dir, !o.no_cache});
      method = run_method_spec(spec, {tuned->graph, &config, &*tuned, &own, o.eval.seed});
      report = simulate_method(own, method, config);
      extra_simulations += own.simulations_run();
      extra_hits += own.cache_hits();
    } else {
      report = simulate_method(oracle, method, config);
    }
    rows.push_back({std::move(method), std::move(report), {}});
    tuned_models.push_back(std::move(tuned));
  }

  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, o.data_dir);
  const nn::Dataset test =
      nn::dataset_head(nn::load_fmnist(nn::Split::kTest, o.data_dir), o.test_limit);
  const nn::AnalogSetup setup = nn::analog_setup_of(config);
  nn::EvalOptions eval = o.eval;
  eval.times_s = {time_s};
  eval.progress = !o.search.no_progress;  // --no-progress silences searches and evaluations
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CompareRow& row = rows[i];
    // A fine-tuning search (LAFT, LionHEART, MPS) is evaluated with the weights it produced.
    nn::LoadedModel& m = tuned_models[i] ? *tuned_models[i] : model;
    const nn::Int8Scales scales = nn::calibrate_int8(m, row.method.mapping, train);
    row.accuracy =
        nn::evaluate_mapping(*m.model, m.graph, row.method.mapping, setup, scales, test, eval);
  }

  CompareContext c{config.source_file,
                   o.model,
                   o.ckpt,
                   time_s,
                   eval.seeds,
                   eval.seed,
                   test.size(),
                   oracle.simulations_run() + extra_simulations,
                   oracle.cache_hits() + extra_hits,
                   o.no_cache ? std::string("cache off") : oracle.cache().dir().string(),
                   0.0,
                   o.hv_reference};
  write_compare_outputs(rows, c, o, start);
}

void add_compare_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare mapping methods on one model and chip: accuracy at a drift time, analog MAC "
      "ratio, digital weights, tiles, simulated latency and energy, search wall time");
  cmd->add_option("--hw", o->hw_path, "Hardware config (TOML, e.g. configs/hermes.toml)")
      ->required()
      ->check(CLI::ExistingFile);
  add_set_option(*cmd, o->hw_sets);
  cmd->add_option("--model", o->model, "Zoo model name (must match the checkpoint)");
  cmd->add_option("--ckpt", o->ckpt, "Checkpoint written by `aimcsim train`");
  cmd->add_option("--trace", o->workload.trace,
                  "Instead of --model/--ckpt: a workload trace (traces/README.md); costs only")
      ->check(CLI::ExistingFile);
  add_workload_flags(cmd, o->workload, "--topology-csv");
  cmd->add_option("--methods", o->methods,
                  "Comma-separated methods: " + valid_methods_text() +
                      " (a search runs first as `aimcsim map` would, see --search-dir; file: is "
                      "a mapping file from `aimcsim map`, its search time from REPORT)")
      ->required();
  cmd->add_option("--time", o->time, "Drift time after programming (1s, 1h, 1d, 1y)")
      ->capture_default_str();
  cmd->add_option("--seeds", o->eval.seeds, "Programming seeds (accuracy mean +- std)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--seed", o->eval.seed, "Base seed")->capture_default_str();
  cmd->add_option("--test-limit", o->test_limit, "Use the first N test images (0 = all 10000)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--batch-size", o->eval.batch_size, "Test images per forward pass")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}))
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the gzipped Fashion-MNIST IDX files")
      ->capture_default_str();
  cmd->add_option("--json", o->json_path, "Write the rows as JSON (keys carry units)");
  cmd->add_option("--csv", o->csv_path, "Write one CSV row per method");
  cmd->add_option("--html", o->html_path, "Write an HTML report with charts (as `aimcsim report`)");
  cmd->add_option("--cache-dir", o->cache_dir,
                  "Folder of the simulated-report cache (default $XDG_CACHE_HOME/aimcsim/oracle "
                  "or ~/.cache/aimcsim/oracle)");
  cmd->add_flag("--no-cache", o->no_cache, "Simulate every mapping; read and write no cache");
  cmd->add_option("--hv-reference", o->hv_reference,
                  "Hypervolume reference point (test error, latency, energy), each in units of "
                  "the all-digital row's value")
      ->expected(3)
      ->delimiter(',')
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--search-dir", o->search_dir,
                  "Search methods: folder of their mapping, report and resumable run state "
                  "(MODEL-METHOD.toml/.json/.run); --seed also seeds the search")
      ->capture_default_str();
  add_search_options(cmd, o->search, "--calib-batch-size");
  cmd->callback([o, &exit_code] {
    run_compare(*o);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
