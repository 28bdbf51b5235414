// MPS and MPAAS as a step of run_search() (search_steps.h; mapping/mps.h).
#include <fmt/format.h>
#include <chrono>
#include <sstream>

#include "mapping/mpaas_widen.h"
#include "mapping/mps.h"
#include "mapping/search_steps.h"
#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/widen.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim {
namespace {

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
  m.model = nn::widen_resnet(*m.model, w.widths, nn::mix_seed(r.seed, 0x3D1DE));
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
  const mapping::MpsOptions o = mps_options(r, method, config);
  nlohmann::json widening;
  if (method == SearchMethod::kMpaas) widening = widen_to_tiles(r, m, config);
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, r.data_dir);
  const mapping::FinetuneData data = mapping::split_validation(train, r.validation_images);
  CostOracle oracle(m.graph, config, {r.cache_dir, !r.no_cache});
  const mapping::MpsResult res = mapping::run_mps(m, data, oracle, o);
  if (!res.finished) {
    throw Error(fmt::format(
        "map {}: stopped after {} of {} units (epochs + ranking steps, --stop-after); run the "
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
    write_mapping_file(front_mapping(res.report["front"][p], o.label + " front"), front_file(r, p));
    out.report["front"][p]["mapping_file"] = front_file(r, p).string();
    text << fmt::format(
        "   accuracy {:.2f}%  analog MACs {:.1f}%  latency {:.2f} us  energy {:.3f} uJ\n",
        100 * s.accuracy, 100 * s.analog_mac_ratio, s.latency_ns / 1e3, s.energy_pj / 1e6);
  }
  text << fmt::format(
      "{} argmax: validation accuracy {:.2f}% at {} s, latency {:.2f} us, energy "
      "{:.3f} uJ; weights {}\n",
      o.label, 100 * res.argmax.accuracy, o.scorer.drift_s, res.argmax.latency_ns / 1e3,
      res.argmax.energy_pj / 1e6, res.checkpoint_path);
  out.summary = text.str();
  return out;
}

}  // namespace aimcsim
