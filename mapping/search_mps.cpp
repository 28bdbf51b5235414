// MPS and MPAAS as a step of run_search() (search_steps.h; mapping/mps.h).
#include <fmt/format.h>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "mapping/mpaas_widen.h"
#include "mapping/mps.h"
#include "mapping/search_steps.h"
#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/widen.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim {
namespace {

// Each mappable layer's HNI, in the model's layer order, from a HILAL report ("layers":
// [{name, hni}, ...], as `aimcsim map hilal --json` writes).
std::vector<double> read_hni(const std::string& file, nn::ZooModel& model) {
  std::ifstream in(file);
  if (!in) throw Error("--hni-from " + file + ": cannot read the HILAL report");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) throw Error("--hni-from " + file + ": not valid JSON");
  if (!j.is_object() || !j.contains("layers") || !j["layers"].is_array()) {
    throw Error("--hni-from " + file + ": no 'layers' list (expected a HILAL report)");
  }
  std::map<std::string, double> by_name;
  for (const auto& layer : j["layers"]) {
    if (!layer.is_object() || !layer.contains("name") || !layer.contains("hni") ||
        !layer["name"].is_string() || !layer["hni"].is_number()) {
      throw Error("--hni-from " + file + ": every 'layers' entry needs 'name' and 'hni'");
    }
    by_name[layer["name"].get<std::string>()] = layer["hni"].get<double>();
  }
  std::vector<double> hni;
  for (const auto& layer : nn::mappable_layers(model)) {
    const auto it = by_name.find(layer->name());
    if (it == by_name.end()) {
      throw Error("--hni-from " + file + ": no HNI for layer '" + layer->name() + "' of " +
                  model.name());
    }
    hni.push_back(it->second);
  }
  return hni;
}

mapping::MpsOptions mps_options(const SearchRequest& r, SearchMethod method,
                                const HardwareConfig& hw) {
  mapping::MpsOptions o;
  o.supernet.candidates = nn::parse_candidates(r.candidates);
  if (r.weight_sharing != "separate" && r.weight_sharing != "shared") {
    throw Error("--weight-sharing '" + r.weight_sharing + "': expected separate or shared");
  }
  o.supernet.sharing =
      r.weight_sharing == "shared" ? nn::WeightSharing::kShared : nn::WeightSharing::kSeparate;
  o.supernet.numerics = hw.tile.numerics;
  o.supernet.qat = !r.no_qat;
  o.noise = mapping::parse_noise_schedule(r.noise);
  if (!r.hni_from.empty() && o.noise != mapping::NoiseSchedule::kHni) {
    throw Error("--hni-from is used by --noise hni only");
  }
  o.phase1_epochs = r.phase1_epochs;
  o.phase2_epochs = r.phase2_epochs;
  o.images_per_epoch = r.mps_images_per_epoch;
  o.lr = r.mps_lr;
  o.samples_per_step = r.samples;
  o.max_steps = r.max_steps;
  o.stable_steps = r.stable_steps;
  o.ranking_lr = r.ranking_lr;
  o.margin = r.margin;
  o.phase3_validation = r.phase3_validation;
  o.finetune_epochs = r.finetune_epochs;
  o.rank_check = r.rank_check;
  o.finetune_lr = r.finetune_lr;
  o.scorer.analog = nn::analog_setup_of(hw);
  o.scorer.drift_s = r.drift_s;
  o.scorer.eval_seed = r.seed;
  o.scorer.bn_recalibration = !r.no_bn_recalibration;
  o.seed = r.seed;
  o.run_dir = default_run_dir(r);
  o.stop_after = r.stop_after;
  o.progress = !r.no_progress;
  o.label = std::string(search_method_name(method));
  return o;
}

// A front point's mapping from its report entry (score_to_json: "mapping" name -> target).
Mapping front_mapping(const nlohmann::json& point, const std::string& label) {
  Mapping m(label);
  for (const auto& [name, t] : point.at("mapping").items()) {
    m.set(name, parse_target(t.get<std::string>()).value());
  }
  return m;
}

// MPAAS model adaptation (mpaas_widen.h): the loaded model is replaced by its widened copy
// (same function, nn/zoo/widen.h), its graph rebuilt. Deterministic, so a resumed run
// widens the same way.
nlohmann::json widen_to_tiles(const SearchRequest& r, nn::LoadedModel& m,
                              const HardwareConfig& config) {
  mapping::WideningOptions wo;
  wo.tolerance = r.widen_tolerance;
  wo.cache = {r.cache_dir, !r.no_cache};
  const mapping::WideningResult w = mapping::choose_inner_widths(*m.model, config, wo);
  const std::int64_t params_before = nn::parameter_count(*m.model);
  m.model = nn::widen_model(*m.model, w.widths, nn::mix_seed(r.seed, 0x3D1DE));
  m.model->eval();
  m.graph = nn::model_to_graph(*m.model);
  nlohmann::json report = w.report;
  report["model"] = m.model->name();
  report["parameters_before"] = params_before;
  report["parameters_after"] = nn::parameter_count(*m.model);
  return report;
}

std::string widening_text(const nlohmann::json& w) {
  const auto& before = w["all_analog_before"];
  const auto& after = w["all_analog_after"];
  return fmt::format(
      "mpaas widening (tolerance {}): {} -> {} parameters, tiles {} -> {}, all-analog "
      "latency {:.2f} -> {:.2f} us, energy {:.3f} -> {:.3f} uJ ({} probes); model {}\n",
      w["tolerance"].get<double>(), w["parameters_before"].get<std::int64_t>(),
      w["parameters_after"].get<std::int64_t>(), before["tiles"].get<int>(),
      after["tiles"].get<int>(), before["latency_ns"].get<double>() / 1e3,
      after["latency_ns"].get<double>() / 1e3, before["energy_pj"].get<double>() / 1e6,
      after["energy_pj"].get<double>() / 1e6, w["simulations"].get<int>(),
      w["model"].get<std::string>());
}

}  // namespace

SearchStepResult run_mps_step(const SearchRequest& r, SearchMethod method, nn::LoadedModel& m,
                              const HardwareConfig& config) {
  const auto t0 = std::chrono::steady_clock::now();
  mapping::MpsOptions o = mps_options(r, method, config);
  nlohmann::json widening;
  if (method == SearchMethod::kMpaas) widening = widen_to_tiles(r, m, config);
  if (o.noise == mapping::NoiseSchedule::kHni) {
    if (r.hni_from.empty()) throw Error("--noise hni needs --hni-from HILAL_REPORT.json");
    o.hni = read_hni(r.hni_from, *m.model);
  }
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, r.data_dir);
  const mapping::FinetuneData data = mapping::split_validation(train, r.validation_images);
  CostOracle oracle(m.graph, config, {r.cache_dir, !r.no_cache});
  const mapping::MpsResult res = mapping::run_mps(m, data, oracle, o);
  if (!res.finished) {
    throw Error(fmt::format(
        "map {}: stopped after {} of {} units (epochs + ranking steps + fine-tune epochs, "
        "--stop-after); run the "
        "same command again to resume",
        o.label, res.units_done, res.units_total));
  }
  SearchStepResult out;
  out.mapping = res.mapping;
  out.report = res.report;
  out.report["model"] = m.model->name();
  out.report["checkpoint"] = r.ckpt;
  out.report["simulations_run"] = oracle.simulations_run();
  if (!widening.is_null()) out.report["widening"] = widening;
  out.report["cache_hits"] = oracle.cache_hits();
  const double this_call =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.earlier_sessions_s = std::max(0.0, res.search_seconds - this_call);
  std::ostringstream text;
  if (!widening.is_null()) text << widening_text(widening);
  text << o.label << " front (validation accuracy at " << o.scorer.drift_s
       << " s, simulated latency and energy; hypervolume " << res.hypervolume
       << " vs all-digital):\n";
  for (std::size_t p = 0; p < res.front.size(); ++p) {
    const auto& s = res.front[p];
    const std::filesystem::path file = front_file(r, p);
    write_mapping_file(front_mapping(res.report["front"][p], o.label + " front"), file);
    out.report["front"][p]["mapping_file"] = file.string();
    // A report beside each front file, so `compare --methods file:F.toml@F.json` evaluates
    // the point with its own weights.
    std::filesystem::path report_file = file;
    report_file.replace_extension(".json");
    const nlohmann::json point_report = {{"method", o.label + " front"},
                                         {"front_point", p},
                                         {"model", m.model->name()},
                                         {"mapping_file", file.string()},
                                         {"checkpoint_out", res.front_checkpoints.at(p)},
                                         {"search_wall_s", res.search_seconds},
                                         {"phase3", res.report["front"][p]}};
    write_text_file(report_file.string(), point_report.dump(2) + "\n");
    text << fmt::format(
        "   accuracy {:.2f}%  analog MACs {:.1f}%  latency {:.2f} us  energy {:.3f} uJ\n",
        100 * s.accuracy, 100 * s.analog_mac_ratio, s.latency_ns / 1e3, s.energy_pj / 1e6);
  }
  text << fmt::format(
      "{} argmax: validation accuracy {:.2f}% at {} s, latency {:.2f} us, energy "
      "{:.3f} uJ; weights {}\n",
      o.label, 100 * res.argmax.accuracy, o.scorer.drift_s, res.argmax.latency_ns / 1e3,
      res.argmax.energy_pj / 1e6, res.checkpoint_path);
  if (o.rank_check > 0) {
    const auto& rc = res.report["rank_check"];
    text << fmt::format(
        "{} rank check ({} subnets vs one fine-tune epoch each): Kendall tau {:.3f} with "
        "batch-norm recalibration, {:.3f} with the shared statistics\n",
        o.label, rc["subnets"].size(), rc["kendall_tau"]["recalibrated"].get<double>(),
        rc["kendall_tau"]["shared_bn"].get<double>());
  }
  if (o.finetune_epochs > 0) {
    const auto& ft = res.report["finetune"];
    text << fmt::format(
        "{} fine-tune ({} epochs, lr {}): validation accuracy {:.2f}% -> {:.2f}% (best epoch {})\n",
        o.label, o.finetune_epochs, o.finetune_lr, 100 * res.argmax.accuracy,
        100 * res.finetuned_accuracy, ft["best_epoch"].get<int>());
  }
  out.summary = text.str();
  return out;
}

}  // namespace aimcsim
