// `aimcsim map`'s search runner (map_search.h): HILAL and its variants with LAFT, LionHEART
// and the baselines, shared with `aimcsim compare`.
#include "cli/map_search.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/hw_overrides.h"
#include "mapping/cost_oracle.h"
#include "mapping/hilal_energy.h"
#include "mapping/hilal_run.h"
#include "mapping/laft.h"
#include "mapping/lionheart.h"
#include "mapping/methods.h"
#include "models/error.h"
#include "nn/eval/loaded_model.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {
namespace {

std::optional<HilalVariant> hilal_variant(const std::string& method) {
  if (method == "hilal") return HilalVariant::kHniScr;
  if (method == "hilal-hni") return HilalVariant::kHniOnly;
  if (method == "hilal-scr") return HilalVariant::kScrOnly;
  if (method == "hilal-energy") return HilalVariant::kHniScr;  // + the simulated savings
  return std::nullopt;
}

const std::vector<std::string>& map_methods() {
  static const std::vector<std::string> kMethods = [] {
    std::vector<std::string> all = search_method_names();
    for (MappingMethod m : all_mapping_methods()) all.emplace_back(method_name(m));
    return all;
  }();
  return kMethods;
}

void check_method(const std::string& method) {
  if (std::find(map_methods().begin(), map_methods().end(), method) != map_methods().end()) return;
  throw Error("map: unknown method '" + method + "'; valid methods: " + map_methods_text());
}

mapping::FinetuneSearchOptions search_options(const MapOptions& o, const HardwareConfig& hw) {
  mapping::FinetuneSearchOptions search;
  search.analog = nn::analog_setup_of(hw);
  search.hw_label = std::filesystem::path(o.hw).filename().string();
  search.stage.images_per_epoch = o.images_per_epoch;
  search.stage.max_epochs = o.max_epochs;
  search.stage.patience = o.patience;
  search.stage.lr = o.lr;
  search.stage.progress = !o.no_progress;
  search.seed = o.seed;
  const std::filesystem::path out(o.out);
  search.run_dir =
      o.run_dir.empty() ? (out.parent_path() / (out.stem().string() + ".run")).string() : o.run_dir;
  search.stop_after_stages = o.stop_after;
  return search;
}

// Fine-tuning seconds a search spent in sessions before this call: its summed time minus
// what this call spent (0 for an uninterrupted run; clamped, the two clocks differ by ms).
double earlier_sessions_seconds(const mapping::SearchResult& r,
                                std::chrono::steady_clock::time_point call_start) {
  const double this_call =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - call_start).count();
  return std::max(0.0, r.search_seconds - this_call);
}

// The fine-tuning part of a search: its mapping, the weights it wrote, the stage report.
Mapping take_search_result(const mapping::SearchResult& r, nlohmann::json& report,
                           const std::string& key) {
  if (!r.finished) {
    throw Error("map: " + r.method + " stopped after " + std::to_string(r.stages_done) + " of " +
                std::to_string(r.stages_total) +
                " stages (--stop-after); run the same command again to resume");
  }
  std::ifstream in(r.report_path);
  report[key] = nlohmann::json::parse(in, nullptr, false);
  report["checkpoint_out"] = r.checkpoint_path;  // `compare` evaluates with these weights
  report["run_dir_mapping"] = r.mapping_path;
  report["finetune_search_s"] = r.search_seconds;
  Mapping m(r.method);
  for (const auto& [name, t] : r.mapping.entries()) m.set(name, t);
  return m;
}

Mapping baseline_mapping(const std::string& method, const Graph& graph, Target digital) {
  if (method == "all-digital") return make_preset_mapping(MappingPreset::kAllDigital, graph);
  if (method == "all-digital-int8") return make_preset_mapping(MappingPreset::kAllInt8, graph);
  if (method == "all-analog") return make_preset_mapping(MappingPreset::kAllAnalog, graph);
  Mapping m = make_preset_mapping(MappingPreset::kFirstLastDigital, graph);
  Mapping out("preset first-last-digital");
  for (const auto& [name, t] : m.entries()) out.set(name, t == Target::kAnalog ? t : digital);
  return out;
}

// hilal-energy: the Pareto front of HILAL sensitivity vs simulated saving; every front
// point is written beside --out as STEM.front-I.EXT, --out gets the selected point.
Mapping run_energy_front(const MapOptions& o, const Graph& graph, const HardwareConfig& config,
                         Target digital, const HilalRunResult& hilal, nlohmann::json& report) {
  const auto t0 = std::chrono::steady_clock::now();
  CostOracle oracle(graph, config);
  HilalEnergyOptions eo;
  eo.objective = o.objective == "latency" ? SavingObjective::kLatency : SavingObjective::kEnergy;
  eo.digital = digital;
  eo.max_points = o.front_points;
  eo.budget = o.budget;
  HilalEnergyResult front =
      hilal_energy_front(graph, hilal.sensitivity, hilal.clustering, oracle, eo);
  const std::filesystem::path out(o.out);
  for (std::size_t p = 0; p < front.front.size(); ++p) {
    const std::filesystem::path file =
        out.parent_path() /
        (out.stem().string() + ".front-" + std::to_string(p) + out.extension().string());
    write_mapping_file(front.front[p].mapping, file);
    front.report["front"][p]["mapping_file"] = file.string();
  }
  front.report["simulations_run"] = oracle.simulations_run();
  front.report["cache_hits"] = oracle.cache_hits();
  front.report["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const HilalEnergyPoint& chosen = front.front.at(front.selected);
  std::cout << "hilal-energy front (" << front.report["objective"].get<std::string>()
            << " saved vs delta_loss; * = selected, budget " << front.budget << "):\n";
  for (std::size_t p = 0; p < front.front.size(); ++p) {
    const HilalEnergyPoint& pt = front.front[p];
    std::cout << (p == front.selected ? " * " : "   ") << "delta_loss " << pt.delta_loss
              << "  analog MACs " << pt.analog_mac_ratio * 100.0 << "%  simulated latency "
              << pt.latency_ns / 1e3 << " us, energy " << pt.energy_pj / 1e6 << " uJ\n";
  }
  report["hilal_energy"] = front.report;
  Mapping selected("hilal-energy");
  for (const auto& [name, t] : chosen.mapping.entries()) selected.set(name, t);
  return selected;
}

}  // namespace

std::string map_methods_text() {
  std::string text;
  for (const std::string& m : map_methods()) text += (text.empty() ? "" : ", ") + m;
  return text;
}

void add_search_options(CLI::App* cmd, MapOptions& o, const std::string& calib_batch_size_flag) {
  cmd->add_option("--images-per-epoch", o.images_per_epoch,
                  "LAFT/LionHEART: training images per fine-tuning epoch")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{60000}))
      ->capture_default_str();
  cmd->add_option("--max-epochs", o.max_epochs, "LAFT/LionHEART: max epochs per stage")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--patience", o.patience, "LAFT/LionHEART: early-stopping patience P")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--lr", o.lr, "LAFT/LionHEART: fine-tuning learning rate (constant)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--validation", o.validation_images,
                  "LAFT/LionHEART: validation images held out (the last N training images)")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{30000}))
      ->capture_default_str();
  cmd->add_option("--threshold", o.threshold,
                  "LionHEART: allowed accuracy drop below all-digital (fraction; 0.02 = 2 points)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--eval-seeds", o.eval_seeds, "LionHEART: programming seeds of the 1-day check")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--probes", o.probes, "Hutchinson Rademacher probes per layer")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--power-steps", o.power_steps, "Power-iteration steps per layer")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--batches", o.batches, "Calibration batches from the training split")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--restarts", o.restarts, "k-means restarts (lowest inertia kept)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_flag("--no-progress", o.no_progress, "No progress bar on stderr");
  cmd->add_option(calib_batch_size_flag, o.batch_size, "HILAL: images per calibration batch")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{60000}))
      ->capture_default_str();
}

void run_map(const MapOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  check_method(o.method);
  const auto variant = hilal_variant(o.method);
  if (variant && !o.no_laft && o.digital != "fp16") {
    throw Error("map " + o.method +
                ": LAFT keeps digital layers at fp16; use --no-laft with "
                "--digital int8");
  }
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext != ".toml" && ext != ".json") {  // fail before the analysis, not after it
    throw Error("map: --out " + o.out + ": unknown mapping file type '" + ext +
                "'; expected .toml or .json");
  }
  nn::parse_model_spec(o.model);  // unknown names fail before any loading
  const HardwareConfig config = load_hardware_with_sets(o.hw, o.hw_sets);
  nn::LoadedModel m = nn::load_trained_model(o.model, o.ckpt);
  const Target digital = o.digital == "int8" ? Target::kInt8 : Target::kFp16;

  Mapping mapping;
  nlohmann::json report;
  double earlier_sessions_s = 0.0;  // fine-tuning time of the sessions this call resumed
  if (variant) {
    const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, o.data_dir);
    HilalRunOptions ho;
    ho.variant = *variant;
    ho.batches = o.batches;
    ho.batch_size = o.batch_size;
    ho.sensitivity.probes = o.probes;
    ho.sensitivity.power_steps = o.power_steps;
    ho.sensitivity.progress = !o.no_progress;
    ho.kmeans.restarts = o.restarts;
    ho.digital = digital;
    ho.seed = o.seed;
    HilalRunResult r = run_hilal(m, train, ho);
    mapping = std::move(r.mapping);
    report = std::move(r.report);
    if (o.method == "hilal-energy") {
      mapping = run_energy_front(o, m.graph, config, digital, r, report);
      report["method"] = "hilal-energy";  // compare labels rows by this key
    }
    if (o.no_laft) {
      report["laft"] = "skipped (--no-laft)";
    } else {
      // LAFT over the robust layers in increasing-HNI order (for hilal-energy: the
      // selected point's analog layers in that order).
      mapping::LaftOptions lo;
      lo.search = search_options(o, config);
      for (const std::string& name : r.clustering.laft_order) {
        if (mapping.at(name) == Target::kAnalog) lo.layers.push_back(name);
      }
      if (o.method == "hilal-energy") {
        for (const auto& s : r.sensitivity) {  // selected layers outside the robust cluster
          if (mapping.at(s.name) == Target::kAnalog &&
              std::find(lo.layers.begin(), lo.layers.end(), s.name) == lo.layers.end()) {
            lo.layers.push_back(s.name);
          }
        }
      }
      const mapping::FinetuneData data = mapping::split_validation(train, o.validation_images);
      const auto ft0 = std::chrono::steady_clock::now();
      const mapping::SearchResult sr = mapping::run_laft(m, data, lo);
      earlier_sessions_s = earlier_sessions_seconds(sr, ft0);
      mapping = take_search_result(sr, report, "laft");
    }
  } else if (o.method == "lionheart") {
    const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, o.data_dir);
    mapping::LionheartOptions lo;
    lo.search = search_options(o, config);
    lo.search.stage.rule = mapping::EarlyStopRule::kBelowBest;
    lo.threshold = o.threshold;
    lo.eval_seeds = o.eval_seeds;
    const mapping::FinetuneData data = mapping::split_validation(train, o.validation_images);
    report = {{"method", o.method}, {"model", m.model->name()}, {"checkpoint", o.ckpt}};
    const auto ft0 = std::chrono::steady_clock::now();
    const mapping::SearchResult sr = mapping::run_lionheart(m, data, lo);
    earlier_sessions_s = earlier_sessions_seconds(sr, ft0);
    mapping = take_search_result(sr, report, "lionheart");
  } else {
    mapping = baseline_mapping(o.method, m.graph, digital);
    report = {{"method", o.method}, {"model", m.model->name()}, {"checkpoint", o.ckpt}};
  }
  check_mapping(mapping, m.graph);
  write_mapping_file(mapping, o.out);
  const double ratio = analog_mac_ratio(m.graph, mapping);
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  report["hw"] = o.hw;
  report["mapping_file"] = o.out;
  report["analog_mac_ratio"] = ratio;
  report["wall_s"] = total_s;  // this call
  // The whole search, resumed sessions included; read by `compare --methods file:MAP@REPORT`.
  report["search_wall_s"] = total_s + earlier_sessions_s;
  nlohmann::json targets;
  for (const auto& [name, t] : mapping.entries()) targets[name] = target_name(t);
  report["mapping"] = targets;
  if (!o.json.empty()) write_text_file(o.json, report.dump(2) + "\n");

  std::size_t analog = 0;
  for (const auto& [name, t] : mapping.entries()) analog += t == Target::kAnalog ? 1 : 0;
  std::cout << o.method << ": " << analog << "/" << mapping.size()
            << " layers analog, analog MAC ratio " << ratio * 100.0 << "%, " << total_s << " s";
  if (earlier_sessions_s > 0.0) {
    std::cout << " (search " << total_s + earlier_sessions_s << " s with the resumed sessions)";
  }
  std::cout << "; mapping written to " << o.out << "\n";
  if (variant) {
    std::cout << "robust layers (LAFT order, increasing HNI):";
    for (const auto& name : report.at("laft_order")) std::cout << " " << name.get<std::string>();
    std::cout << "\n";
  }
}

}  // namespace aimcsim::cli
