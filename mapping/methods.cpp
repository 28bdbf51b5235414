// The mapping-method factory (methods.h).
#include "mapping/methods.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include "mapping/search_method.h"
#include "models/error.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

nlohmann::ordered_json mapping_summary(const Mapping& mapping, const Graph& graph) {
  nlohmann::ordered_json j;
  for (Target t : {Target::kAnalog, Target::kInt8, Target::kFp16, Target::kSkip}) {
    int n = 0;
    for (const auto& [name, target] : mapping.entries()) n += target == t ? 1 : 0;
    j[std::string(target_name(t)) + "_layers"] = n;
  }
  j["analog_mac_ratio"] = analog_mac_ratio(graph, mapping);
  return j;
}

MethodResult preset_result(MappingMethod method, MappingPreset preset, const Graph& graph) {
  const auto start = Clock::now();
  Mapping mapping = make_preset_mapping(preset, graph);
  const double wall_s = seconds_since(start);
  nlohmann::ordered_json report;
  report["method"] = std::string(method_name(method));
  report["kind"] = "baseline";
  report["search_wall_s"] = wall_s;
  report["mapping"] = mapping_summary(mapping, graph);
  return {std::string(method_name(method)), std::move(mapping), wall_s, std::move(report), {}};
}

nlohmann::json read_report(const std::filesystem::path& report_file) {
  std::ifstream in(report_file);
  if (!in) throw Error(report_file.string() + ": cannot read the mapping report");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) throw Error(report_file.string() + ": not valid JSON");
  return j;
}

// The fine-tuned weights a report names ("checkpoint_out"). A relative path is taken
// relative to the report's folder if that file exists (shipped reports), else as written
// (relative to the working directory, as `aimcsim map` writes it).
std::string read_checkpoint_out(const nlohmann::json& j, const std::filesystem::path& file) {
  if (!j.is_object() || !j.contains("checkpoint_out")) return {};
  if (!j["checkpoint_out"].is_string()) {
    throw Error(file.string() + ": key 'checkpoint_out': expected a checkpoint path (string)");
  }
  const std::filesystem::path written = j["checkpoint_out"].get<std::string>();
  if (written.is_relative()) {
    const std::filesystem::path beside = file.parent_path() / written;
    if (std::filesystem::exists(beside)) return beside.lexically_normal().string();
  }
  return written.string();
}

double read_search_wall_s(const nlohmann::json& j, const std::filesystem::path& report_file) {
  if (!j.is_object() || !j.contains("search_wall_s") || !j["search_wall_s"].is_number()) {
    throw Error(report_file.string() +
                ": key 'search_wall_s': expected the search wall time in seconds (a number)");
  }
  return j["search_wall_s"].get<double>();
}

}  // namespace

std::string_view method_name(MappingMethod method) {
  switch (method) {
    case MappingMethod::kAllDigital:
      return "all-digital";
    case MappingMethod::kAllDigitalInt8:
      return "all-digital-int8";
    case MappingMethod::kAllAnalog:
      return "all-analog";
    case MappingMethod::kFirstLastDigital:
      return "first-last-digital";
  }
  return "?";
}

const std::vector<MappingMethod>& all_mapping_methods() {
  static const std::vector<MappingMethod> kAll = {
      MappingMethod::kAllDigital, MappingMethod::kAllDigitalInt8, MappingMethod::kAllAnalog,
      MappingMethod::kFirstLastDigital};
  return kAll;
}

const std::vector<std::string>& search_method_names() {
  static const std::vector<std::string> kSearches = [] {
    std::vector<std::string> names;
    for (SearchMethod m : all_search_methods()) names.emplace_back(search_method_name(m));
    return names;
  }();
  return kSearches;
}

bool is_search_method(std::string_view name) { return parse_search_method(name).has_value(); }

std::optional<MappingMethod> parse_mapping_method(std::string_view name) {
  for (MappingMethod m : all_mapping_methods()) {
    if (method_name(m) == name) return m;
  }
  return std::nullopt;
}

std::string valid_methods_text() {
  std::string text;
  for (MappingMethod m : all_mapping_methods()) text += std::string(method_name(m)) + ", ";
  for (const std::string& m : search_method_names()) text += m + ", ";
  return text + "file:PATH[@REPORT.json]";
}

MethodResult run_mapping_method(MappingMethod method, const MethodContext& context) {
  switch (method) {
    case MappingMethod::kAllDigital:
      return preset_result(method, MappingPreset::kAllDigital, context.graph);
    case MappingMethod::kAllDigitalInt8:
      return preset_result(method, MappingPreset::kAllInt8, context.graph);
    case MappingMethod::kAllAnalog:
      return preset_result(method, MappingPreset::kAllAnalog, context.graph);
    case MappingMethod::kFirstLastDigital:
      return preset_result(method, MappingPreset::kFirstLastDigital, context.graph);
  }
  throw Error("mapping method: unhandled method");
}

MethodSpec parse_method_spec(std::string_view text) {
  const std::string s(text);
  if (s.rfind("file:", 0) == 0) {
    MethodSpec spec{s, std::nullopt, s.substr(5), {}, {}};
    const auto at = spec.mapping_file.string().rfind('@');
    if (at != std::string::npos) {
      const std::string whole = spec.mapping_file.string();
      spec.report_file = whole.substr(at + 1);
      spec.mapping_file = whole.substr(0, at);
    }
    if (spec.mapping_file.empty()) throw Error("method '" + s + "': expected file:PATH");
    return spec;
  }
  if (const auto m = parse_mapping_method(s)) return {s, m, {}, {}, {}};
  if (is_search_method(s)) return {s, std::nullopt, {}, {}, s};
  throw Error("unknown mapping method '" + s + "'; expected one of: " + valid_methods_text());
}

std::vector<MethodSpec> parse_method_list(std::string_view comma_separated) {
  std::vector<MethodSpec> specs;
  std::size_t begin = 0;
  const std::string list(comma_separated);
  while (begin <= list.size()) {
    const std::size_t end = std::min(list.find(',', begin), list.size());
    const std::string item = list.substr(begin, end - begin);
    if (item.empty()) throw Error("--methods '" + list + "': empty entry; expected NAME,NAME,...");
    specs.push_back(parse_method_spec(item));
    begin = end + 1;
  }
  return specs;
}

MethodResult run_method_spec(const MethodSpec& spec, const MethodContext& context) {
  if (spec.method) return run_mapping_method(*spec.method, context);
  if (!spec.search.empty()) {
    throw Error("method '" + spec.search +
                "' is a search: run it first (`aimcsim map`, or `aimcsim compare`, which runs "
                "it) and pass file:MAP@REPORT");
  }
  Mapping mapping = read_mapping_file(spec.mapping_file);
  check_mapping(mapping, context.graph);
  std::optional<double> wall_s;
  std::string checkpoint, method_of_report;
  if (!spec.report_file.empty()) {
    const nlohmann::json j = read_report(spec.report_file);
    wall_s = read_search_wall_s(j, spec.report_file);
    checkpoint = read_checkpoint_out(j, spec.report_file);
    if (j.contains("method") && j["method"].is_string()) method_of_report = j["method"];
  }
  nlohmann::ordered_json report;
  report["method"] = spec.label;
  report["kind"] = "file";
  report["mapping_file"] = spec.mapping_file.string();
  report["report_file"] = spec.report_file.string();
  report["search_wall_s"] = wall_s ? nlohmann::ordered_json(*wall_s) : nlohmann::ordered_json();
  report["mapping"] = mapping_summary(mapping, context.graph);
  if (!checkpoint.empty()) report["checkpoint"] = checkpoint;
  // Table label: the method that wrote the file (from its report) and the file's stem.
  std::string label = "file:" + spec.mapping_file.filename().string();
  if (!method_of_report.empty()) {
    label = method_of_report + " (" + spec.mapping_file.stem().string() + ")";
  }
  return {label, std::move(mapping), wall_s, std::move(report), checkpoint};
}

}  // namespace aimcsim
