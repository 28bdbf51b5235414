// HILAL (+ LAFT), its ablations, hilal-energy and LionHEART as steps of run_search()
// (search_steps.h); moved here from the CLI (issue 13 item 10).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "mapping/cost_oracle.h"
#include "mapping/hilal_energy.h"
#include "mapping/hilal_run.h"
#include "mapping/laft.h"
#include "mapping/lionheart.h"
#include "mapping/search_steps.h"
#include "models/error.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim {
namespace {

using Clock = std::chrono::steady_clock;

HilalVariant hilal_variant(SearchMethod method) {
  switch (method) {
    case SearchMethod::kHilalHni:
      return HilalVariant::kHniOnly;
    case SearchMethod::kHilalScr:
      return HilalVariant::kScrOnly;
    default:
      return HilalVariant::kHniScr;  // hilal, hilal-energy (+ the simulated savings)
  }
}

mapping::FinetuneSearchOptions search_options(const SearchRequest& r, const HardwareConfig& hw) {
  mapping::FinetuneSearchOptions search;
  search.analog = nn::analog_setup_of(hw);
  search.hw_label = std::filesystem::path(r.hw).filename().string();
  search.stage.images_per_epoch = r.images_per_epoch;
  search.stage.validation_images = r.stage_validation_images;
  search.stage.max_epochs = r.max_epochs;
  search.stage.patience = r.patience;
  search.stage.lr = r.lr;
  search.stage.progress = !r.no_progress;
  search.seed = r.seed;
  search.run_dir = default_run_dir(r);
  search.stop_after_stages = r.stop_after;
  return search;
}

// Fine-tuning seconds a search spent in sessions before this call: its summed time minus
// what this call spent (0 for an uninterrupted run; clamped, the two clocks differ by ms).
double earlier_sessions_seconds(const mapping::SearchResult& sr, Clock::time_point call_start) {
  const double this_call = std::chrono::duration<double>(Clock::now() - call_start).count();
  return std::max(0.0, sr.search_seconds - this_call);
}

// The fine-tuning part of a search: its mapping, the weights it wrote, the stage report.
Mapping take_search_result(const mapping::SearchResult& sr, nlohmann::json& report,
                           const std::string& key) {
  if (!sr.finished) {
    throw Error("map: " + sr.method + " stopped after " + std::to_string(sr.stages_done) + " of " +
                std::to_string(sr.stages_total) +
                " stages (--stop-after); run the same command again to resume");
  }
  std::ifstream in(sr.report_path);
  report[key] = nlohmann::json::parse(in, nullptr, false);
  report["checkpoint_out"] = sr.checkpoint_path;  // `compare` evaluates with these weights
  report["run_dir_mapping"] = sr.mapping_path;
  report["finetune_search_s"] = sr.search_seconds;
  Mapping m(sr.method);
  for (const auto& [name, t] : sr.mapping.entries()) m.set(name, t);
  return m;
}

// hilal-energy: the Pareto front of HILAL sensitivity vs simulated saving; every front
// point is written beside --out as STEM.front-I.EXT, --out gets the selected point.
Mapping run_energy_front(const SearchRequest& r, const nn::LoadedModel& m,
                         const HardwareConfig& config, Target digital, const HilalRunResult& hilal,
                         nlohmann::json& report, std::ostringstream& text) {
  const auto t0 = Clock::now();
  CostOracle oracle(m.graph, config, {r.cache_dir, !r.no_cache});
  HilalEnergyOptions eo;
  eo.objective = r.objective == "latency" ? SavingObjective::kLatency : SavingObjective::kEnergy;
  eo.digital = digital;
  eo.max_points = r.front_points;
  eo.budget = r.budget;
  HilalEnergyResult front =
      hilal_energy_front(m.graph, hilal.sensitivity, hilal.clustering, oracle, eo);
  for (std::size_t p = 0; p < front.front.size(); ++p) {
    write_mapping_file(front.front[p].mapping, front_file(r, p));
    front.report["front"][p]["mapping_file"] = front_file(r, p).string();
  }
  front.report["simulations_run"] = oracle.simulations_run();
  front.report["cache_hits"] = oracle.cache_hits();
  front.report["seconds"] = std::chrono::duration<double>(Clock::now() - t0).count();
  const HilalEnergyPoint& chosen = front.front.at(front.selected);
  text << "hilal-energy front (" << front.report["objective"].get<std::string>()
       << " saved vs delta_loss; * = selected, budget " << front.budget << "):\n";
  for (std::size_t p = 0; p < front.front.size(); ++p) {
    const HilalEnergyPoint& pt = front.front[p];
    text << (p == front.selected ? " * " : "   ") << "delta_loss " << pt.delta_loss
         << "  analog MACs " << pt.analog_mac_ratio * 100.0 << "%  simulated latency "
         << pt.latency_ns / 1e3 << " us, energy " << pt.energy_pj / 1e6 << " uJ\n";
  }
  report["hilal_energy"] = front.report;
  Mapping selected(std::string(search_method_name(SearchMethod::kHilalEnergy)));
  for (const auto& [name, t] : chosen.mapping.entries()) selected.set(name, t);
  return selected;
}

}  // namespace

SearchStepResult run_hilal_step(const SearchRequest& r, SearchMethod method, nn::LoadedModel& m,
                                const HardwareConfig& config, Target digital) {
  SearchStepResult out;
  std::ostringstream text;
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, r.data_dir);
  HilalRunOptions ho;
  ho.variant = hilal_variant(method);
  ho.batches = r.batches;
  ho.batch_size = r.batch_size;
  ho.sensitivity.probes = r.probes;
  ho.sensitivity.power_steps = r.power_steps;
  ho.sensitivity.estimator = nn::parse_estimator(r.sensitivity_estimator);
  ho.sensitivity.progress = !r.no_progress;
  ho.kmeans.restarts = r.restarts;
  ho.digital = digital;
  ho.seed = r.seed;
  HilalRunResult hr = run_hilal(m, train, ho);
  out.mapping = std::move(hr.mapping);
  out.report = std::move(hr.report);
  const bool energy = method == SearchMethod::kHilalEnergy;
  if (energy) {
    out.mapping = run_energy_front(r, m, config, digital, hr, out.report, text);
    out.report["method"] = std::string(search_method_name(method));  // compare labels rows
  }
  if (r.no_laft) {
    out.report["laft"] = "skipped (--no-laft)";
  } else {
    // LAFT over the robust layers in increasing-HNI order (for hilal-energy: the
    // selected point's analog layers in that order, then those outside the robust cluster).
    mapping::LaftOptions lo;
    lo.search = search_options(r, config);
    for (const std::string& name : hr.clustering.laft_order) {
      if (out.mapping.at(name) == Target::kAnalog) lo.layers.push_back(name);
    }
    if (energy) {
      for (const auto& s : hr.sensitivity) {
        if (out.mapping.at(s.name) == Target::kAnalog &&
            std::find(lo.layers.begin(), lo.layers.end(), s.name) == lo.layers.end()) {
          lo.layers.push_back(s.name);
        }
      }
    }
    const mapping::FinetuneData data = mapping::split_validation(train, r.validation_images);
    const auto ft0 = Clock::now();
    const mapping::SearchResult sr = mapping::run_laft(m, data, lo);
    out.earlier_sessions_s = earlier_sessions_seconds(sr, ft0);
    out.mapping = take_search_result(sr, out.report, "laft");
  }
  out.summary = text.str();
  std::string order = "robust layers (LAFT order, increasing HNI):";
  for (const auto& name : out.report.at("laft_order")) order += " " + name.get<std::string>();
  out.trailer = order + "\n";
  return out;
}

SearchStepResult run_lionheart_step(const SearchRequest& r, nn::LoadedModel& m,
                                    const HardwareConfig& config) {
  SearchStepResult out;
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, r.data_dir);
  mapping::LionheartOptions lo;
  lo.search = search_options(r, config);
  lo.search.stage.rule = mapping::EarlyStopRule::kBelowBest;
  lo.threshold = r.threshold;
  lo.eval_seeds = r.eval_seeds;
  const mapping::FinetuneData data = mapping::split_validation(train, r.validation_images);
  out.report = {{"method", r.method}, {"model", m.model->name()}, {"checkpoint", r.ckpt}};
  const auto ft0 = Clock::now();
  const mapping::SearchResult sr = mapping::run_lionheart(m, data, lo);
  out.earlier_sessions_s = earlier_sessions_seconds(sr, ft0);
  out.mapping = take_search_result(sr, out.report, "lionheart");
  return out;
}

}  // namespace aimcsim
