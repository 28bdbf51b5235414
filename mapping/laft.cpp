// LAFT: layer-wise analog fine-tuning with per-stage checkpoints (laft.h).
#include "mapping/laft.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "models/error.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::mapping {

SearchResult run_laft(nn::LoadedModel& model, const FinetuneData& data, const LaftOptions& o) {
  check_layer_list(o.layers, model.graph, "LAFT");
  if (o.layers.empty()) throw Error("LAFT: the list of robust layers is empty");
  const nlohmann::json settings = search_settings("laft", model, data, o.search, o.layers,
                                                  {{"restart_from_fp", o.restart_from_fp}});
  const SearchRun run(o.search.run_dir, settings);
  const WeightSnapshot fp_weights(*model.model);
  SearchProgress p;
  if (auto resumed = run.resume(*model.model)) {
    p = std::move(*resumed);
    spdlog::info("LAFT: resuming {} after stage {}/{}", run.dir(), p.stages_done, o.layers.size());
  } else {
    p.mapping = make_preset_mapping(MappingPreset::kAllDigital, model.graph);
  }
  const int total = static_cast<int>(o.layers.size());
  int run_now = 0;
  for (int k = p.stages_done + 1; k <= total; ++k) {
    if (o.search.stop_after_stages > 0 && run_now == o.search.stop_after_stages) break;
    const auto t0 = std::chrono::steady_clock::now();
    const std::string& layer = o.layers[static_cast<std::size_t>(k - 1)];
    if (o.restart_from_fp) fp_weights.restore(*model.model);
    p.mapping.set(layer, Target::kAnalog);
    StageRecord record;
    record.stage = k;
    record.layer = layer;
    record.layer_macs = layer_macs(model.graph, layer);
    record.finetune =
        finetune_stage(*model.model, p.mapping, data, o.search.stage, hwa_setup_of(o.search),
                       stage_seed(o.search.seed, k), o.search.validation);
    p.stages_done = k;
    p.history.push_back(record);
    p.search_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    run.commit(p, *model.model,
               search_checkpoint_meta(model, fmt::format("laft stage {}/{}", k, total)));
    spdlog::info(
        "LAFT stage {}/{}: {} analog, validation {:.2f}% -> {:.2f}% in {} epochs, {:.1f} s", k,
        total, layer, 100 * record.finetune.validation_accuracy.front(),
        100 * record.finetune.best_validation_accuracy, record.finetune.epochs_trained,
        record.finetune.seconds);
    ++run_now;
  }
  SearchResult r;
  r.method = "laft";
  r.mapping = p.mapping;
  r.stages = p.history;
  r.stages_done = p.stages_done;
  r.stages_total = total;
  r.finished = p.stages_done == total;
  r.search_seconds = p.search_seconds;
  r.extra = p.extra;
  if (r.finished) {
    finish_search(r, model, run, settings,
                  search_checkpoint_meta(model, fmt::format("laft {} stages", total)));
  }
  return r;
}

}  // namespace aimcsim::mapping
