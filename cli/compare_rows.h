// Rows of `aimcsim compare` (cmd_compare.cpp) and their three outputs: the text table
// (stdout), JSON (keys carry units) and CSV (one row per method).
//
// Units: accuracy in percent in the table, as a fraction in JSON/CSV; digital weights in
// MB = 10^6 bytes; latency in us in the table, ns in JSON/CSV; energy per inference in
// uJ (table, JSON energy_uj) and pJ (JSON/CSV energy_pj); search wall time in seconds
// (n/a / null when unknown).
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/map_search.h"
#include "cli/workload_flags.h"
#include "mapping/method_fronts.h"
#include "mapping/methods.h"
#include "nn/eval/evaluate_mapping.h"
#include "sim/report/report.h"

namespace aimcsim::cli {

struct CompareRow {
  MethodResult method;
  Report report;            // simulated, one sample (unloaded latency)
  nn::EvalResult accuracy;  // at one drift time, over the seeds; empty: cost only
  bool has_accuracy() const { return !accuracy.times.empty(); }
};

struct CompareContext {
  std::string config, model, checkpoint;
  double time_s = 0.0;
  int seeds = 1;
  std::uint64_t seed = 0;
  std::int64_t test_images = 0;
  int simulations_run = 0;
  int cache_hits = 0;
  std::string cache_dir;
  double wall_s = 0.0;
  std::vector<double> hv_reference{2.0, 1.0, 1.0};  // (error, latency, energy) / all-digital
};

// What `aimcsim compare` (and `aimcsim demo`) runs.
struct CompareOptions {
  std::string hw_path, model, ckpt, methods;
  std::vector<std::string> hw_sets;  // --set KEY=VALUE overrides of hw_path
  std::string time = "1d", data_dir = nn::kFmnistDir;
  std::string json_path, csv_path, cache_dir;
  std::string html_path;  // --html: the charts of the rows (compare_html.cpp, report/)
  // --trace/--onnx/--topology-csv instead of --model/--ckpt: a workload file has no trained
  // weights, so the rows are costs only (no accuracy, no hypervolume) and the methods are
  // the presets and file: mappings.
  WorkloadFlags workload;
  std::vector<double> hv_reference{2.0, 1.0, 1.0};  // --hv-reference
  bool no_cache = false;
  nn::EvalOptions eval;
  std::int64_t test_limit = 0;
  // Search methods in --methods (hilal, ..., lionheart) run first as `aimcsim map` with these
  // settings (method, hw, model, ckpt, seed and data filled in per search), writing
  // SEARCH_DIR/MODEL-METHOD.{toml,json,run}; a rerun resumes a fine-tuning search there.
  MapOptions search;
  std::string search_dir = "out/compare-search";
};

// The whole job: methods -> simulated reports -> accuracy; prints the table on stdout and
// writes the JSON/CSV files asked for.
void run_compare(const CompareOptions& options);

// Per method family (mapping/method_fronts.h): the hypervolume of its rows in (test error
// at the drift time, latency, energy), normalised by the all-digital row; empty without one
// or when the rows have no accuracy (a workload file).
std::vector<mapping::FamilyHypervolume> compare_hypervolumes(const std::vector<CompareRow>& rows,
                                                             const CompareContext& context);

void print_compare_table(const std::vector<CompareRow>& rows, const CompareContext& context,
                         std::ostream& out);
nlohmann::ordered_json compare_to_json(const std::vector<CompareRow>& rows,
                                       const CompareContext& context);
void write_compare_csv(const std::vector<CompareRow>& rows, std::ostream& out);
// The HTML report (report/html_report.h) of the rows: the compare JSON plus each row's
// simulated report (energy, mapping strip), written to `path`.
void write_compare_html(const std::string& path, const std::vector<CompareRow>& rows,
                        const CompareContext& context);

}  // namespace aimcsim::cli
