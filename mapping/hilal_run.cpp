#include "mapping/hilal_run.h"

#include <chrono>
#include <map>

#include "nn/eval/layer_numerics.h"

namespace aimcsim {
namespace {

constexpr std::uint64_t kKMeansStream = 0x4b4d'4541'4e53ULL;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

nlohmann::json sensitivity_json(const nn::LayerSensitivity& s) {
  return {{"name", s.name},
          {"params", s.params},
          {"max_abs_weight", s.max_abs_weight},
          {"sigma", s.sigma},
          {"trace", s.trace},
          {"lambda_max", s.lambda_max},
          {"hni", s.hni},
          {"scr", s.scr},
          {"seconds", s.seconds},
          {"trace_seconds", s.trace_seconds},
          {"lambda_seconds", s.lambda_seconds},
          {"lambda_steps", s.lambda_steps}};
}

HilalRunResult run_hilal(nn::LoadedModel& m, const nn::Dataset& train, const HilalRunOptions& o) {
  const auto t_total = std::chrono::steady_clock::now();
  auto t0 = t_total;
  const auto batches = nn::calibration_batches(train, o.batches, o.batch_size, o.seed);
  const double calibration_s = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  nn::SensitivityOptions so = o.sensitivity;
  so.seed = o.seed;
  const auto sens = nn::analyse_sensitivity(*m.model, batches, so);
  const double sensitivity_s = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  std::vector<HilalLayerFeatures> features;
  for (const auto& s : sens) features.push_back({s.name, s.hni, s.scr});
  KMeansOptions ko = o.kmeans;
  ko.seed = nn::mix_seed(o.seed, kKMeansStream);
  HilalClustering clustering = cluster_hilal(features, o.variant, ko);
  Mapping mapping = hilal_mapping(clustering, features, m.graph, o.digital);
  const double clustering_s = seconds_since(t0);

  std::map<std::string, std::int64_t, std::less<>> macs;
  for (OpId id : m.graph.ids()) macs[m.graph.op(id).name] = m.graph.op(id).stats.macs;
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < sens.size(); ++i) {
    nlohmann::json j = sensitivity_json(sens[i]);
    j["macs"] = macs[sens[i].name];
    j["z"] = clustering.z[i];
    j["cluster"] = clustering.cluster[i];
    j["target"] = target_name(mapping.at(sens[i].name));
    layers.push_back(j);
  }
  nlohmann::json report = {
      {"method", hilal_variant_method(o.variant)},
      {"model", m.model->name()},
      {"checkpoint", m.checkpoint_path},
      {"settings",
       {{"seed", o.seed},
        {"batches", o.batches},
        {"batch_size", o.batch_size},
        {"calibration", "seeded permutation of the training split"},
        {"probes", so.probes},
        {"power_steps", so.power_steps},
        {"estimator", nn::estimator_name(nn::estimator_used(so.estimator, *m.model))},
        {"lanczos_tol", so.lanczos_tol},
        {"gamma", so.gamma},
        {"k", ko.k},
        {"restarts", ko.restarts},
        {"init", kmeans_init_name(ko.init)},
        {"digital", target_name(o.digital)},
        {"hessian_params", "weight only (bias excluded)"}}},
      {"layers", layers},
      {"clustering", hilal_clustering_json(clustering, features)},
      {"laft_order", clustering.laft_order},
      {"analog_mac_ratio", analog_mac_ratio(m.graph, mapping)},
      {"phase_seconds",
       {{"calibration_s", calibration_s},
        {"sensitivity_s", sensitivity_s},
        {"clustering_s", clustering_s},
        {"total_s", seconds_since(t_total)}}}};
  return {std::move(mapping), std::move(clustering), sens, std::move(report)};
}

}  // namespace aimcsim
