// Shared parts of the staged fine-tuning searches (finetune_search.h).
#include "mapping/finetune_search.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "models/error.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::mapping {
namespace {

// A cheap fingerprint of the labels (and so of which images form a split).
std::int64_t label_hash(const nn::Dataset& d) {
  if (d.size() == 0) return 0;
  const torch::Tensor weights = torch::arange(1, d.size() + 1, torch::kInt64) % 1000003;
  return (d.labels.to(torch::kInt64) * weights).sum().item<std::int64_t>();
}

nlohmann::json numerics_json(const nn::AnalogSetup& a) {
  const AnalogNumericsParams& n = a.numerics;
  const PcmParams& p = a.pcm;
  return {{"dac_bits", n.dac_bits},
          {"inp_bound", n.inp_bound},
          {"adc_bits", n.adc_bits},
          {"out_bound", n.out_bound},
          {"out_noise", n.out_noise},
          {"w_noise", n.w_noise},
          {"noise_management", n.noise_management == NoiseManagement::kAbsMax ? "abs_max" : "none"},
          {"drift_compensation", n.drift_compensation},
          {"compensation_reads", n.compensation_reads},
          {"tile_rows", n.tile_rows},
          {"tile_cols", n.tile_cols},
          {"device", p.kind == DeviceModelKind::kPcmLike ? "pcm" : "ideal"},
          {"g_max_us", p.g_max_us},
          {"t0_s", p.t0_s},
          {"t_read_s", p.t_read_s},
          {"prog_noise_scale", p.prog_noise_scale},
          {"read_noise_scale", p.read_noise_scale},
          {"drift_scale", p.drift_scale}};
}

nlohmann::json stage_json(const StageOptions& s) {
  return {{"images_per_epoch", s.images_per_epoch},
          {"stage_validation_images", s.validation_images},
          {"max_epochs", s.max_epochs},
          {"patience", s.patience},
          {"early_stop", early_stop_rule_name(s.rule)},
          {"batch_size", s.batch_size},
          {"lr", s.lr},
          {"momentum", s.momentum},
          {"weight_decay", s.weight_decay},
          {"grad_clip", s.grad_clip}};
}

}  // namespace

std::uint64_t stage_seed(std::uint64_t seed, int stage) {
  return nn::mix_seed(nn::mix_seed(seed, 0x535447), static_cast<std::uint64_t>(stage));
}

nlohmann::json search_settings(const std::string& method, const nn::LoadedModel& model,
                               const FinetuneData& data, const FinetuneSearchOptions& o,
                               const std::vector<std::string>& layers,
                               const nlohmann::json& method_settings) {
  return {{"method", method},
          {"model", model.model->name()},
          {"hyper_parameters", model.model->hyper_parameters()},
          {"fp_checkpoint", model.checkpoint_path},
          {"layers", layers},
          {"train_images", data.train.size()},
          {"validation_images", data.validation.size()},
          {"validation_label_hash", label_hash(data.validation)},
          {"stage", stage_json(o.stage)},
          {"gamma", o.hwa.weight_noise_gamma},
          {"clip_n_std", o.hwa.clip_n_std},
          {"analog", numerics_json(o.analog)},
          {"hw", o.hw_label},
          {"method_settings", method_settings},
          {"seed", o.seed},
          {"threads", torch::get_num_threads()},
          {"validation_hook", static_cast<bool>(o.validation)}};
}

void check_layer_list(const std::vector<std::string>& layers, const Graph& graph,
                      const std::string& what) {
  std::set<std::string> seen;
  for (const std::string& name : layers) {
    const auto id = graph.find(name);
    if (!id) throw Error(what + ": layer '" + name + "' is not in model " + graph.name());
    if (!graph.op(*id).mappable()) {
      throw Error(what + ": layer '" + name + "' is not mappable (expected a conv or linear)");
    }
    if (!seen.insert(name).second) throw Error(what + ": layer '" + name + "' is listed twice");
  }
}

std::int64_t layer_macs(const Graph& graph, const std::string& layer) {
  const auto id = graph.find(layer);
  return id ? graph.op(*id).stats.macs : 0;
}

nn::CheckpointMeta search_checkpoint_meta(const nn::LoadedModel& model,
                                          const std::string& training) {
  nn::CheckpointMeta meta = model.meta;
  meta.model_name = model.model->name();  // a widened model (MPAAS) is not the loaded one
  meta.hyper_parameters = model.model->hyper_parameters();
  meta.training = training;
  meta.init_from = model.checkpoint_path;
  return meta;
}

HwaSetup hwa_setup_of(const FinetuneSearchOptions& options) {
  return HwaSetup{options.analog.numerics, options.hwa};
}

nlohmann::json stage_time_breakdown(const SearchResult& r) {
  double training = 0.0, validation = 0.0, drift = r.extra.value("baseline_drift_s", 0.0);
  for (const StageRecord& s : r.stages) {
    training += s.finetune.training_seconds;
    validation += s.finetune.validation_seconds;
    drift += s.drift_seconds;
  }
  return {{"stage_training_s", training},
          {"stage_validation_s", validation},
          {"drift_checks_s", drift},
          {"other_s", r.search_seconds - training - validation - drift},
          {"total_s", r.search_seconds}};
}

nlohmann::json search_report_json(const SearchResult& r, const nn::LoadedModel& model,
                                  const nlohmann::json& settings) {
  nlohmann::json stages = nlohmann::json::array();
  for (const StageRecord& s : r.stages) stages.push_back(stage_record_to_json(s));
  std::vector<std::string> analog;
  for (const auto& [name, target] : r.mapping.entries()) {
    if (target == Target::kAnalog) analog.push_back(name);
  }
  return {{"method", r.method},
          {"model", model.model->name()},
          {"fp_checkpoint", model.checkpoint_path},
          {"finished", r.finished},
          {"stages_done", r.stages_done},
          {"stages_total", r.stages_total},
          {"search_s", r.search_seconds},
          {"time_breakdown", stage_time_breakdown(r)},
          {"analog_layers", analog},
          {"analog_mac_ratio", analog_mac_ratio(model.graph, r.mapping)},
          {"mapping", mapping_to_json(r.mapping)},
          {"stages", stages},
          {"extra", r.extra},
          {"settings", settings},
          {"checkpoint", r.checkpoint_path},
          {"mapping_file", r.mapping_path}};
}

void finish_search(SearchResult& r, nn::LoadedModel& model, const SearchRun& run,
                   const nlohmann::json& settings, const nn::CheckpointMeta& meta) {
  r.checkpoint_path = run.path("finetuned.pt");
  r.mapping_path = run.path("mapping.json");
  r.report_path = run.path("report.json");
  nn::save_checkpoint(r.checkpoint_path, meta, *model.model, nullptr);
  write_mapping_file(r.mapping, r.mapping_path);
  const std::string tmp = r.report_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << search_report_json(r, model, settings).dump(2) << "\n";
    if (!out) throw Error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, r.report_path);
}

}  // namespace aimcsim::mapping
