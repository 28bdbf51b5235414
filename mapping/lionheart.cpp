// LionHEART: greedy analog offloading by MACs with fine-tuning and a drift check (lionheart.h).
#include "mapping/lionheart.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "models/error.h"
#include "nn/eval/evaluate_mapping.h"

namespace aimcsim::mapping {
namespace {

constexpr std::uint64_t kDriftEvalStream = 0x4C4845;  // "LHE"

std::vector<double> drift_accuracy(nn::LoadedModel& model, const FinetuneData& data,
                                   const Mapping& mapping, const LionheartOptions& o, int stage) {
  if (o.drift_eval) return o.drift_eval(*model.model, mapping, stage);
  nn::EvalOptions eval;
  eval.times_s = {o.drift_time_s};
  eval.seeds = o.eval_seeds;
  eval.seed = nn::mix_seed(o.search.seed, kDriftEvalStream);
  eval.progress = false;
  return nn::evaluate_mapping(*model.model, model.graph, mapping, o.search.analog, {},
                              data.validation, eval)
      .times.front()
      .per_seed;
}

void check_options(const LionheartOptions& o) {
  if (!(o.threshold >= 0.0 && o.threshold <= 1.0)) {
    throw Error(
        fmt::format("LionHEART: threshold {} is not an accuracy drop in [0, 1]", o.threshold));
  }
  if (o.eval_seeds < 1) throw Error("LionHEART: eval seeds must be at least 1");
  if (!(o.drift_time_s >= 0.0)) throw Error("LionHEART: drift time must be >= 0 s");
}

}  // namespace

std::vector<std::string> lionheart_order(const Graph& graph) {
  std::vector<std::pair<std::int64_t, std::string>> layers;
  for (const OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    if (op.mappable()) layers.emplace_back(op.stats.macs, op.name);
  }
  std::stable_sort(layers.begin(), layers.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> names;
  for (auto& [macs, name] : layers) names.push_back(std::move(name));
  return names;
}

SearchResult run_lionheart(nn::LoadedModel& model, const FinetuneData& data,
                           const LionheartOptions& o) {
  check_options(o);
  const std::vector<std::string> order = lionheart_order(model.graph);
  const nlohmann::json settings =
      search_settings("lionheart", model, data, o.search, order,
                      {{"threshold", o.threshold},
                       {"drift_time_s", o.drift_time_s},
                       {"eval_seeds", o.eval_seeds},
                       {"drift_eval_hook", static_cast<bool>(o.drift_eval)}});
  const SearchRun run(o.search.run_dir, settings);
  SearchProgress p;
  if (auto resumed = run.resume(*model.model)) {
    p = std::move(*resumed);
    spdlog::info("LionHEART: resuming {} after stage {}/{}", run.dir(), p.stages_done,
                 order.size());
  } else {
    const auto t0 = std::chrono::steady_clock::now();
    p.mapping = make_preset_mapping(MappingPreset::kAllDigital, model.graph);
    const auto per_seed = drift_accuracy(model, data, p.mapping, o, 0);
    p.extra["baseline_accuracy"] = nn::mean_and_std(per_seed).first;
    p.extra["baseline_drift_s"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    p.search_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const double baseline = p.extra.at("baseline_accuracy").get<double>();
  const int total = static_cast<int>(order.size());
  int run_now = 0;
  for (int k = p.stages_done + 1; k <= total; ++k) {
    if (o.search.stop_after_stages > 0 && run_now == o.search.stop_after_stages) break;
    const auto t0 = std::chrono::steady_clock::now();
    const std::string& layer = order[static_cast<std::size_t>(k - 1)];
    const WeightSnapshot accepted_weights(*model.model);
    Mapping candidate = p.mapping;
    candidate.set(layer, Target::kAnalog);
    StageRecord record;
    record.stage = k;
    record.layer = layer;
    record.layer_macs = layer_macs(model.graph, layer);
    record.finetune =
        finetune_stage(*model.model, candidate, data, o.search.stage, hwa_setup_of(o.search),
                       stage_seed(o.search.seed, k), o.search.validation);
    const auto t_drift = std::chrono::steady_clock::now();
    record.drift_accuracy_per_seed = drift_accuracy(model, data, candidate, o, k);
    record.drift_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_drift).count();
    record.drift_accuracy_mean = nn::mean_and_std(record.drift_accuracy_per_seed).first;
    record.accepted = record.drift_accuracy_mean >= baseline - o.threshold;
    if (record.accepted) {
      p.mapping = candidate;
    } else {
      accepted_weights.restore(*model.model);
    }
    p.stages_done = k;
    p.history.push_back(record);
    p.search_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    run.commit(p, *model.model,
               search_checkpoint_meta(model, fmt::format("lionheart stage {}/{}", k, total)));
    spdlog::info("LionHEART stage {}/{}: {} ({} MACs) {} at {:.2f}% (baseline {:.2f}%), {:.1f} s",
                 k, total, layer, record.layer_macs, record.accepted ? "kept" : "reverted",
                 100 * record.drift_accuracy_mean, 100 * baseline, record.finetune.seconds);
    ++run_now;
  }
  SearchResult r;
  r.method = "lionheart";
  r.mapping = p.mapping;
  r.stages = p.history;
  r.stages_done = p.stages_done;
  r.stages_total = total;
  r.finished = p.stages_done == total;
  r.search_seconds = p.search_seconds;
  r.extra = p.extra;
  if (r.finished) {
    finish_search(r, model, run, settings,
                  search_checkpoint_meta(model, fmt::format("lionheart {} stages", total)));
  }
  return r;
}

}  // namespace aimcsim::mapping
