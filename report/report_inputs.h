// Inputs of `aimcsim report`: the JSON files aimcsim writes, recognised by their keys.
//
// Contract:
// - read_report_inputs() reads every path as JSON and classifies it; an empty list, an
//   unreadable file, text that is no JSON or JSON that is no aimcsim report throws
//   aimcsim::Error with one line naming the file and the kinds it accepts.
// - Classification (first match wins), by the keys each writer puts in:
//     kCompare     "command" == "compare" and a "rows" array        (aimcsim compare --json)
//     kTrace       a "traceEvents" array                       (aimcsim run --trace-out)
//     kSweep       a "sweep" object and a "points" array       (sweep_table.h)
//     kRobustness  "baseline_accuracy" and a "noisy" object    (aimcsim eval --robustness)
//     kEval        a "times" array, "model" and "mapping"      (aimcsim eval --json)
//     kRun         a "layers" array and "energy_breakdown_pj"  (aimcsim run --json)
//     kMap         "method", a "mapping" object, "search_wall_s" (aimcsim map --json)
// - command_of() is the aimcsim command line that writes such a file, rebuilt from the
//   settings the file records (the files do not store the command line itself).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aimcsim::report {

enum class InputKind { kRun, kEval, kRobustness, kCompare, kMap, kTrace, kSweep };

struct ReportInput {
  InputKind kind = InputKind::kRun;
  std::string path;  // as given on the command line (or a label for in-memory inputs)
  nlohmann::json json;
};

const char* kind_name(InputKind kind);
// Throws aimcsim::Error "PATH: not an aimcsim report (...)" when no kind matches.
InputKind classify_report_json(const nlohmann::json& json, const std::string& path);
std::vector<ReportInput> read_report_inputs(const std::vector<std::string>& paths);
std::string command_of(const ReportInput& input);

// Small JSON accessors that tolerate absent keys (the report shows what is there).
double number_or(const nlohmann::json& j, const char* key, double fallback);
std::string string_or(const nlohmann::json& j, const char* key, const std::string& fallback);
// The file name without folders, used as a short label.
std::string short_label(const std::string& path);

}  // namespace aimcsim::report
