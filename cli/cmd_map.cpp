// `aimcsim map METHOD`: finds a mapping for a trained model and writes it as a file that
// `eval` and `run` accept, plus a JSON report of how it was found.
//
// Methods: hilal, hilal-hni, hilal-scr (mapping/hilal_run.h: Hessian sensitivity,
// z-scored k-means, robust cluster analog, the rest --digital), hilal-energy
// (mapping/hilal_energy.h: the Pareto front of sensitivity vs simulated saving) and the baselines
// all-digital (FP16), all-digital-int8, all-analog, first-last-digital (first and last
// mappable layer --digital, the rest analog). HILAL's LAFT stage is not wired in yet:
// hilal methods need --no-laft (see require_no_laft below, the one place to change).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "mapping/cost_oracle.h"
#include "mapping/hilal_energy.h"
#include "mapping/hilal_run.h"
#include "nn/eval/loaded_model.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {
namespace {

constexpr std::array<const char*, 8> kMethods = {
    "hilal",       "hilal-hni",        "hilal-scr",  "hilal-energy",
    "all-digital", "all-digital-int8", "all-analog", "first-last-digital"};

struct MapOptions {
  std::string method, hw, model, ckpt, out, json, digital = "fp16";
  std::string data_dir = nn::kFmnistDir;
  bool no_laft = false;
  std::string objective = "energy";  // hilal-energy
  double budget = -1.0;              // hilal-energy delta_loss budget (< 0: HILAL's)
  std::size_t front_points = 12;
  bool no_progress = false;
  std::uint64_t seed = 0;
  int probes = 10, power_steps = 20, batches = 8, restarts = 10;
  std::int64_t batch_size = 256;
};

std::optional<HilalVariant> hilal_variant(const std::string& method) {
  if (method == "hilal") return HilalVariant::kHniScr;
  if (method == "hilal-hni") return HilalVariant::kHniOnly;
  if (method == "hilal-scr") return HilalVariant::kScrOnly;
  if (method == "hilal-energy") return HilalVariant::kHniScr;  // + the simulated savings
  return std::nullopt;
}

void check_method(const std::string& method) {
  std::string valid;
  for (const char* m : kMethods) {
    if (method == m) return;
    valid += (valid.empty() ? "" : ", ") + std::string(m);
  }
  throw Error("map: unknown method '" + method + "'; valid methods: " + valid);
}

// LAFT (mapping/laft.h) is written separately; until it is wired in here, HILAL runs
// only its clustering step.
void require_no_laft(const MapOptions& o) {
  if (!o.no_laft) {
    throw Error("map " + o.method + ": LAFT is not available yet: use --no-laft");
  }
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

void run_map(const MapOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  check_method(o.method);
  const auto variant = hilal_variant(o.method);
  if (variant) require_no_laft(o);
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext != ".toml" && ext != ".json") {  // fail before the analysis, not after it
    throw Error("map: --out " + o.out + ": unknown mapping file type '" + ext +
                "'; expected .toml or .json");
  }
  nn::parse_model_spec(o.model);  // unknown names fail before any loading
  const HardwareConfig config = load_hardware_config(o.hw);
  nn::LoadedModel m = nn::load_trained_model(o.model, o.ckpt);
  const Target digital = o.digital == "int8" ? Target::kInt8 : Target::kFp16;

  Mapping mapping;
  nlohmann::json report;
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
    }
    report["laft"] = "skipped (--no-laft)";
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
  report["wall_s"] = total_s;
  report["search_wall_s"] = total_s;  // read by `compare --methods file:MAP@REPORT`
  nlohmann::json targets;
  for (const auto& [name, t] : mapping.entries()) targets[name] = target_name(t);
  report["mapping"] = targets;
  if (!o.json.empty()) write_text_file(o.json, report.dump(2) + "\n");

  std::size_t analog = 0;
  for (const auto& [name, t] : mapping.entries()) analog += t == Target::kAnalog ? 1 : 0;
  std::cout << o.method << ": " << analog << "/" << mapping.size()
            << " layers analog, analog MAC ratio " << ratio * 100.0 << "%, " << total_s
            << " s; mapping written to " << o.out << "\n";
  if (variant) {
    std::cout << "robust layers (LAFT order, increasing HNI):";
    for (const auto& name : report.at("laft_order")) std::cout << " " << name.get<std::string>();
    std::cout << "\n";
  }
}

}  // namespace

void add_map_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<MapOptions>();
  CLI::App* cmd = app.add_subcommand(
      "map",
      "Find a mapping (which layers run analog) for a trained model and write it as a "
      "file that `eval` and `run` accept");
  cmd->add_option("method", o->method,
                  "hilal, hilal-hni, hilal-scr, hilal-energy, all-digital, all-digital-int8, "
                  "all-analog, first-last-digital")
      ->required();
  cmd->add_option("--hw", o->hw, "Hardware config (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--model", o->model, "Zoo model name (must match the checkpoint)")->required();
  cmd->add_option("--ckpt", o->ckpt, "Checkpoint written by `aimcsim train`")->required();
  cmd->add_option("--out", o->out, "Mapping file to write (.toml or .json)")->required();
  cmd->add_option("--json", o->json, "Write the report (features, clusters, times) as JSON");
  cmd->add_flag("--no-laft", o->no_laft, "HILAL: stop after the clustering (no fine-tuning)");
  cmd->add_option("--objective", o->objective, "hilal-energy: saving to trade against sensitivity")
      ->check(CLI::IsMember({"energy", "latency"}))
      ->capture_default_str();
  cmd->add_option("--budget", o->budget,
                  "hilal-energy: delta_loss budget of the selected point (< 0: what plain "
                  "HILAL's robust cluster spends)")
      ->capture_default_str();
  cmd->add_option("--front-points", o->front_points,
                  "hilal-energy: front points simulated and written (STEM.front-I.EXT)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000}))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of calibration choice, probes, k-means restarts")
      ->capture_default_str();
  cmd->add_option("--probes", o->probes, "Hutchinson Rademacher probes per layer")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--power-steps", o->power_steps, "Power-iteration steps per layer")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--batches", o->batches, "Calibration batches from the training split")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--batch-size", o->batch_size, "Images per calibration batch")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{60000}))
      ->capture_default_str();
  cmd->add_option("--restarts", o->restarts, "k-means restarts (lowest inertia kept)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--digital", o->digital, "Target of the layers kept digital")
      ->check(CLI::IsMember({"fp16", "int8"}))
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the gzipped Fashion-MNIST IDX files")
      ->capture_default_str();
  cmd->add_flag("--no-progress", o->no_progress, "No progress bar on stderr");
  cmd->callback([o, &exit_code] {
    run_map(*o);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
