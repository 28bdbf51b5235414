// The search entry point (search.h): dispatch, files and report common to all methods.
#include "mapping/search.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include "mapping/methods.h"
#include "mapping/search_method.h"
#include "mapping/search_steps.h"
#include "models/error.h"
#include "nn/eval/loaded_model.h"
#include "nn/zoo/zoo.h"
#include "sim/config/config_override.h"
#include "sim/config/hardware_config.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim {
namespace {

using Clock = std::chrono::steady_clock;

Mapping baseline_mapping(const std::string& method, const Graph& graph, Target digital) {
  if (method == "all-digital") return make_preset_mapping(MappingPreset::kAllDigital, graph);
  if (method == "all-digital-int8") return make_preset_mapping(MappingPreset::kAllInt8, graph);
  if (method == "all-analog") return make_preset_mapping(MappingPreset::kAllAnalog, graph);
  Mapping m = make_preset_mapping(MappingPreset::kFirstLastDigital, graph);
  Mapping out("preset first-last-digital");
  for (const auto& [name, t] : m.entries()) out.set(name, t == Target::kAnalog ? t : digital);
  return out;
}

bool is_baseline(const std::string& method) {
  for (MappingMethod m : all_mapping_methods()) {
    if (method_name(m) == method) return true;
  }
  return false;
}

void check_request(const SearchRequest& r, std::optional<SearchMethod> method) {
  if (!method && !is_baseline(r.method)) {
    std::string valid = search_methods_text();
    for (MappingMethod m : all_mapping_methods()) valid += ", " + std::string(method_name(m));
    throw Error("map: unknown method '" + r.method + "'; valid methods: " + valid);
  }
  const bool hilal =
      method && (*method == SearchMethod::kHilal || *method == SearchMethod::kHilalHni ||
                 *method == SearchMethod::kHilalScr || *method == SearchMethod::kHilalEnergy);
  if (hilal && !r.no_laft && r.digital != "fp16") {
    throw Error("map " + r.method +
                ": LAFT keeps digital layers at fp16; use --no-laft with "
                "--digital int8");
  }
  const std::string ext = std::filesystem::path(r.out).extension().string();
  if (ext != ".toml" && ext != ".json") {  // fail before the analysis, not after it
    throw Error("map: --out " + r.out + ": unknown mapping file type '" + ext +
                "'; expected .toml or .json");
  }
}

// Sum of `seconds` over the objects of report[key] (an array) whose `phase` is `phase`
// (any phase if 0).
double summed_seconds(const nlohmann::json& report, const char* key, int phase = 0) {
  double sum = 0.0;
  if (!report.contains(key) || !report.at(key).is_array()) return sum;
  for (const auto& entry : report.at(key)) {
    if (phase == 0 || entry.value("phase", 0) == phase) sum += entry.value("seconds", 0.0);
  }
  return sum;
}

// MPS/MPAAS (mps.h report): supernet epochs of phases 1 and 2, the ranking steps of phase 3,
// the rank check and the fine-tune of the extracted subnet.
void add_mps_parts(const nlohmann::json& report, nlohmann::json& parts) {
  if (!report.contains("ranking_steps")) return;
  parts["supernet_phase1_s"] = summed_seconds(report, "epochs", 1);
  parts["supernet_phase2_s"] = summed_seconds(report, "epochs", 2);
  parts["ranking_s"] = summed_seconds(report, "ranking_steps");
  if (report.contains("rank_check") && report.at("rank_check").is_object()) {
    parts["rank_check_s"] = report.at("rank_check").value("seconds", 0.0);
  }
  if (report.contains("finetune") && report.at("finetune").is_object()) {
    parts["finetune_s"] = summed_seconds(report.at("finetune"), "epochs");
  }
}

// Where the search's wall time (summed over sessions) went: HILAL's calibration +
// sensitivity and clustering (the last session's: they are recomputed on resume), the
// energy front, the fine-tuning stages' training, validation and drift checks (summed over
// sessions), MPS's supernet phases, ranking, rank check and fine-tune (summed over
// sessions), and the rest; the parts add up to total_s.
nlohmann::json map_time_breakdown(const nlohmann::json& report, double total_s) {
  nlohmann::json parts = nlohmann::json::object();
  if (report.contains("phase_seconds")) {
    const auto& p = report.at("phase_seconds");
    parts["sensitivity_s"] = p.value("calibration_s", 0.0) + p.value("sensitivity_s", 0.0);
    parts["clustering_s"] = p.value("clustering_s", 0.0);
  }
  if (report.contains("hilal_energy") && report.at("hilal_energy").is_object()) {
    parts["energy_front_s"] = report.at("hilal_energy").value("seconds", 0.0);
  }
  for (const char* key : {"laft", "lionheart"}) {
    if (!report.contains(key) || !report.at(key).is_object()) continue;
    const auto& stages = report.at(key);
    if (!stages.contains("time_breakdown")) continue;
    for (const char* part : {"stage_training_s", "stage_validation_s", "drift_checks_s"}) {
      parts[part] = stages.at("time_breakdown").value(part, 0.0);
    }
  }
  add_mps_parts(report, parts);
  double sum = 0.0;
  for (const auto& [name, v] : parts.items()) sum += v.get<double>();
  parts["other_s"] = total_s - sum;
  parts["total_s"] = total_s;
  return parts;
}

}  // namespace

std::string default_run_dir(const SearchRequest& r) {
  if (!r.run_dir.empty()) return r.run_dir;
  const std::filesystem::path out(r.out);
  return (out.parent_path() / (out.stem().string() + ".run")).string();
}

std::filesystem::path front_file(const SearchRequest& r, std::size_t point) {
  const std::filesystem::path out(r.out);
  return out.parent_path() /
         (out.stem().string() + ".front-" + std::to_string(point) + out.extension().string());
}

SearchOutcome run_search(const SearchRequest& r) {
  const auto t0 = Clock::now();
  const auto method = parse_search_method(r.method);
  check_request(r, method);
  nn::parse_model_spec(r.model);  // unknown names fail before any loading
  const HardwareConfig config = load_hardware_config(r.hw, parse_set_flags(r.hw_sets));
  nn::LoadedModel m = nn::load_trained_model(r.model, r.ckpt);
  const Target digital = r.digital == "int8" ? Target::kInt8 : Target::kFp16;

  SearchStepResult step;
  if (!method) {
    step.mapping = baseline_mapping(r.method, m.graph, digital);
    step.report = {{"method", r.method}, {"model", m.model->name()}, {"checkpoint", r.ckpt}};
  } else if (*method == SearchMethod::kLionheart) {
    step = run_lionheart_step(r, m, config);
  } else if (*method == SearchMethod::kMps || *method == SearchMethod::kMpaas) {
    step = run_mps_step(r, *method, m, config);
  } else {
    step = run_hilal_step(r, *method, m, config, digital);
  }
  Mapping& mapping = step.mapping;
  nlohmann::json& report = step.report;
  check_mapping(mapping, m.graph);
  write_mapping_file(mapping, r.out);
  const double ratio = analog_mac_ratio(m.graph, mapping);
  const double total_s = std::chrono::duration<double>(Clock::now() - t0).count();
  report["hw"] = r.hw;
  report["mapping_file"] = r.out;
  report["analog_mac_ratio"] = ratio;
  report["wall_s"] = total_s;  // this call
  // The whole search, resumed sessions included; read by `compare --methods file:MAP@REPORT`.
  report["search_wall_s"] = total_s + step.earlier_sessions_s;
  report["time_breakdown_s"] = map_time_breakdown(report, total_s + step.earlier_sessions_s);
  nlohmann::json targets;
  for (const auto& [name, t] : mapping.entries()) targets[name] = target_name(t);
  report["mapping"] = targets;
  if (!r.json.empty()) write_text_file(r.json, report.dump(2) + "\n");

  std::ostringstream text;
  text << step.summary;
  std::size_t analog = 0;
  for (const auto& [name, t] : mapping.entries()) analog += t == Target::kAnalog ? 1 : 0;
  text << r.method << ": " << analog << "/" << mapping.size() << " layers analog, analog MAC ratio "
       << ratio * 100.0 << "%, " << total_s << " s";
  if (step.earlier_sessions_s > 0.0) {
    text << " (search " << total_s + step.earlier_sessions_s << " s with the resumed sessions)";
  }
  text << "; mapping written to " << r.out << "\n" << step.trailer;
  text << "time (s):";
  for (const auto& [part, seconds] : report.at("time_breakdown_s").items()) {
    text << " " << part.substr(0, part.size() - 2) << " "
         << fmt::format("{:.1f}", seconds.get<double>());
  }
  text << "\n";
  return {std::move(mapping), std::move(report), text.str()};
}

}  // namespace aimcsim
