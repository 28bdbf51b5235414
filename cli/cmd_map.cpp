// `aimcsim map METHOD`: finds a mapping for a trained model and writes it as a file that
// `eval` and `run` accept, plus a JSON report of how it was found.
//
// Methods: hilal, hilal-hni, hilal-scr (mapping/hilal_run.h: Hessian sensitivity,
// z-scored k-means, robust cluster analog, the rest --digital), hilal-energy
// (mapping/hilal_energy.h: the Pareto front of sensitivity vs simulated saving) and the baselines
// all-digital (FP16), all-digital-int8, all-analog, first-last-digital (first and last
// mappable layer --digital, the rest analog). HILAL methods end with LAFT (mapping/laft.h)
// unless --no-laft; lionheart is mapping/lionheart.h. Both fine-tuning searches keep their
// per-stage state in --run-dir (an interrupted run resumes) and name the fine-tuned
// weights in the report ("checkpoint_out"), which `compare` evaluates the mapping with.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "mapping/cost_oracle.h"
#include "mapping/hilal_energy.h"
#include "mapping/hilal_run.h"
#include "mapping/laft.h"
#include "mapping/lionheart.h"
#include "nn/eval/loaded_model.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {
namespace {

constexpr std::array<const char*, 9> kMethods = {
    "lionheart",        "hilal",        "hilal-hni",
    "hilal-scr",        "hilal-energy", "all-digital",
    "all-digital-int8", "all-analog",   "first-last-digital"};

struct MapOptions {
  std::string method, hw, model, ckpt, out, json, digital = "fp16";
  std::string data_dir = nn::kFmnistDir;
  bool no_laft = false;
  std::string objective = "energy";  // hilal-energy
  double budget = -1.0;              // hilal-energy delta_loss budget (< 0: HILAL's)
  std::size_t front_points = 12;
  // LAFT / LionHEART fine-tuning (mapping/staged_finetune.h)
  std::string run_dir;  // default: OUT without extension + ".run"
  std::int64_t images_per_epoch = 2000, validation_images = 5000;
  int max_epochs = 4, patience = 2, eval_seeds = 2, stop_after = 0;
  double lr = 0.005, threshold = 0.02;
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
      mapping = take_search_result(mapping::run_laft(m, data, lo), report, "laft");
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
    mapping = take_search_result(mapping::run_lionheart(m, data, lo), report, "lionheart");
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
                  "hilal, hilal-hni, hilal-scr, hilal-energy, lionheart, all-digital, "
                  "all-digital-int8, all-analog, first-last-digital")
      ->required();
  cmd->add_option("--hw", o->hw, "Hardware config (TOML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--model", o->model, "Zoo model name (must match the checkpoint)")->required();
  cmd->add_option("--ckpt", o->ckpt, "Checkpoint written by `aimcsim train`")->required();
  cmd->add_option("--out", o->out, "Mapping file to write (.toml or .json)")->required();
  cmd->add_option("--json", o->json, "Write the report (features, clusters, times) as JSON");
  cmd->add_flag("--no-laft", o->no_laft, "HILAL: stop after the clustering (no fine-tuning)");
  cmd->add_option("--run-dir", o->run_dir,
                  "LAFT/LionHEART: folder of the per-stage state (resume) and outputs "
                  "(finetuned.pt, mapping.json, report.json); default OUT_STEM.run")
      ->capture_default_str();
  cmd->add_option("--images-per-epoch", o->images_per_epoch,
                  "LAFT/LionHEART: training images per fine-tuning epoch")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{60000}))
      ->capture_default_str();
  cmd->add_option("--max-epochs", o->max_epochs, "LAFT/LionHEART: max epochs per stage")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--patience", o->patience, "LAFT/LionHEART: early-stopping patience P")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--lr", o->lr, "LAFT/LionHEART: fine-tuning learning rate (constant)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--validation", o->validation_images,
                  "LAFT/LionHEART: validation images held out (the last N training images)")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{30000}))
      ->capture_default_str();
  cmd->add_option("--threshold", o->threshold,
                  "LionHEART: allowed accuracy drop below all-digital (fraction; 0.02 = 2 points)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--eval-seeds", o->eval_seeds, "LionHEART: programming seeds of the 1-day check")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--stop-after", o->stop_after,
                  "LAFT/LionHEART: return after N stages of this call (resume later)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
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
