// Reading and recognising the JSON inputs of `aimcsim report` (report_inputs.h).
#include "report/report_inputs.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/device/drift_time.h"
#include "models/error.h"

namespace aimcsim::report {
namespace {

const char* const kAccepted =
    "expected the JSON of aimcsim run, eval, compare or map, a sweep table or a Perfetto trace "
    "of run --trace-out";

bool has_array(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j.at(key).is_array();
}
bool has_object(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j.at(key).is_object();
}

std::string times_list(const nlohmann::json& times) {
  std::string out;
  for (const auto& t : times) {
    out += (out.empty() ? "" : ",") + string_or(t, "t", format_drift_time(number_or(t, "t_s", 0)));
  }
  return out;
}

std::string methods_list(const nlohmann::json& rows) {
  std::string out;
  for (const auto& r : rows) out += (out.empty() ? "" : ",") + string_or(r, "method", "?");
  return out;
}

}  // namespace

const char* kind_name(InputKind kind) {
  switch (kind) {
    case InputKind::kRun:
      return "run";
    case InputKind::kEval:
      return "eval";
    case InputKind::kRobustness:
      return "eval --robustness";
    case InputKind::kCompare:
      return "compare";
    case InputKind::kMap:
      return "map";
    case InputKind::kTrace:
      return "run --trace-out";
    case InputKind::kSweep:
      return "sweep";
  }
  return "?";
}

double number_or(const nlohmann::json& j, const char* key, double fallback) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_number()) return fallback;
  return j.at(key).get<double>();
}

std::string string_or(const nlohmann::json& j, const char* key, const std::string& fallback) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_string()) return fallback;
  return j.at(key).get<std::string>();
}

std::string short_label(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

InputKind classify_report_json(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) {
    throw Error(path + ": not an aimcsim report (the top level is no JSON object; " + kAccepted +
                ")");
  }
  if (string_or(j, "command", "") == "compare" && has_array(j, "rows")) return InputKind::kCompare;
  if (has_array(j, "traceEvents")) return InputKind::kTrace;
  if (has_object(j, "sweep") && has_array(j, "points")) return InputKind::kSweep;
  if (j.contains("baseline_accuracy") && has_object(j, "noisy")) return InputKind::kRobustness;
  if (has_array(j, "times") && j.contains("model") && j.contains("mapping"))
    return InputKind::kEval;
  if (has_array(j, "layers") && has_object(j, "energy_breakdown_pj")) return InputKind::kRun;
  if (j.contains("method") && has_object(j, "mapping") && j.contains("search_wall_s")) {
    return InputKind::kMap;
  }
  throw Error(path + ": not an aimcsim report (" + kAccepted + ")");
}

std::vector<ReportInput> read_report_inputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw Error("report: no input files given (" + std::string(kAccepted) + ")");
  std::vector<ReportInput> inputs;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot read the file");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw Error(path + ": not JSON (" + std::string(kAccepted) + ")");
    const InputKind kind = classify_report_json(j, path);
    inputs.push_back({kind, path, std::move(j)});
  }
  return inputs;
}

std::string command_of(const ReportInput& input) {
  const nlohmann::json& j = input.json;
  // In-memory inputs (compare --html) carry a label, not a file name.
  const bool file = input.path.size() > 5 && input.path.ends_with(".json");
  const std::string out = file ? " --json " + input.path : "";
  switch (input.kind) {
    case InputKind::kRun:
      return "aimcsim run --hw " + string_or(j, "config", "?") + " (workload " +
             string_or(j, "network", "?") + ") --mapping " + string_or(j, "mapping", "?") + out;
    case InputKind::kEval:
      return "aimcsim eval --model " + string_or(j, "model", "?") + " --mapping " +
             string_or(j, "mapping", "?") + " --times " + times_list(j.at("times")) + " --seeds " +
             std::to_string(static_cast<int>(number_or(j, "seeds", 1))) + out;
    case InputKind::kRobustness:
      return "aimcsim eval --robustness --model " + string_or(j, "model", "?") + " --mapping " +
             string_or(j, "mapping", "?") + " --seeds " +
             std::to_string(static_cast<int>(number_or(j, "seeds", 1))) + out;
    case InputKind::kCompare:
      return "aimcsim compare --hw " + string_or(j, "config", "?") + " --model " +
             string_or(j, "model", "?") + " --ckpt " + string_or(j, "checkpoint", "?") +
             " --methods " + methods_list(j.at("rows")) + " --time " +
             format_drift_time(number_or(j, "time_s", 0)) + " --seeds " +
             std::to_string(static_cast<int>(number_or(j, "seeds", 1))) + out;
    case InputKind::kMap:
      return "aimcsim map " + string_or(j, "method", "?") + " --hw " + string_or(j, "hw", "?") +
             " --model " + string_or(j, "model", "?") + " --ckpt " +
             string_or(j, "checkpoint", "?") + " --out " + string_or(j, "mapping_file", "?") + out;
    case InputKind::kTrace:
      return "aimcsim run ... --trace-out " + input.path;
    case InputKind::kSweep:
      return string_or(j.at("sweep"), "command", "aimcsim sweep (" + input.path + ")");
  }
  return "?";
}

}  // namespace aimcsim::report
