// The mapping methods (issue 5 item 1): an enum and one factory switch (STYLE.md rule 4).
// `aimcsim compare` and `aimcsim map` choose methods here by name.
//
// Contract:
// - run_mapping_method(method, context) returns the Mapping the method chose for
//   context.graph (every mappable op named, check_mapping() holds), the wall time the
//   search took [s] and a JSON report of how it was found (method, per-target layer
//   counts; searches add their features, clusters, stages).
// - Baselines (sim/mapping/mapping.h presets): all-digital (every mappable layer FP16),
//   all-digital-int8 (INT8), all-analog, first-last-digital (first and last mappable
//   layer FP16, the rest analog).
// - Method lists (parse_method_list): comma-separated method names or `file:PATH`
//   entries, a mapping file written by `aimcsim map` (.toml/.json); `file:PATH@REPORT`
//   also reads the search wall time from REPORT, the JSON report `aimcsim map --json`
//   wrote (key "search_wall_s", seconds); without @REPORT the wall time is unknown
//   (nullopt, shown as n/a); a report with "checkpoint_out" (a fine-tuning search) also
//   names the weights to evaluate the mapping with (MethodResult::checkpoint; a relative
//   path is looked up beside REPORT first, then in the working directory). A search name
//   (search_method_names(), mapping/search_method.h) gives a
//   spec with `search` set: the caller runs the search (`aimcsim compare` runs it as
//   `aimcsim map` would and then reads its mapping file and report like a file: entry);
//   run_method_spec() refuses such a spec. An unknown name throws aimcsim::Error listing
//   the valid ones.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"

namespace aimcsim {

class CostOracle;
namespace nn {
struct LoadedModel;
}

enum class MappingMethod {
  kAllDigital,
  kAllDigitalInt8,
  kAllAnalog,
  kFirstLastDigital,
  // The searches (search_method_names()) need data, fine-tuning and a run folder; they
  // are run by the CLI (cli/map_search.h), not by this factory.
};

std::string_view method_name(MappingMethod method);  // "all-digital", ...
std::optional<MappingMethod> parse_mapping_method(std::string_view name);
const std::vector<MappingMethod>& all_mapping_methods();
// The search names of mapping/search_method.h ("hilal", ..., "lionheart", "mps", "mpaas").
const std::vector<std::string>& search_method_names();
bool is_search_method(std::string_view name);

// What a method may use. Baselines need only the graph; searches use the trained model
// (Hessians, fine-tuning), the hardware and the simulated costs.
struct MethodContext {
  const Graph& graph;
  const HardwareConfig* config = nullptr;
  nn::LoadedModel* model = nullptr;  // trained model whose graph is `graph`
  CostOracle* oracle = nullptr;      // simulated costs on `config`
  std::uint64_t seed = 0;
};

struct MethodResult {
  std::string label;  // the method name, or "file:PATH"
  Mapping mapping;
  std::optional<double> search_wall_s;  // nullopt: unknown (a file without its report)
  nlohmann::ordered_json report;
  // Weights the method fine-tuned for its mapping (LAFT, LionHEART: the report's
  // "checkpoint_out"); empty = the trained model the search started from.
  std::string checkpoint;
};

MethodResult run_mapping_method(MappingMethod method, const MethodContext& context);

// One entry of a method list: a baseline, a search, or a mapping file with an optional
// report.
struct MethodSpec {
  std::string label;
  std::optional<MappingMethod> method;
  std::filesystem::path mapping_file;
  std::filesystem::path report_file;  // empty: none
  std::string search;                 // a search_method_names() entry the caller runs
};

MethodSpec parse_method_spec(std::string_view text);
std::vector<MethodSpec> parse_method_list(std::string_view comma_separated);
// Runs a baseline, or reads a mapping file (checked against context.graph) and its report;
// a search spec throws aimcsim::Error (run the search first, then pass its files).
MethodResult run_method_spec(const MethodSpec& spec, const MethodContext& context);

// "all-digital, ..., hilal, ..., lionheart, file:PATH[@REPORT.json]" for help and errors.
std::string valid_methods_text();

}  // namespace aimcsim
