// LionHEART, the greedy fine-tune-and-check baseline (FACTS.md s.5; issue 5 part 3).
//
// Contract: run_lionheart() orders the mappable layers by descending MACs (ties in
// execution order; lionheart_order(), MACs from the model's graph). The baseline is the
// all-digital (fp16) accuracy on the validation split. For each layer (one stage): the layer
// joins the analog set; finetune_stage() fine-tunes with HWA noise on every analog layer
// until P validation accuracies in a row fall below the best (rule kBelowBest), keeping the
// best weights; then the candidate mapping is evaluated at `drift_time_s` (1 day) with
// nn::evaluate_mapping on the validation split over `eval_seeds` programming seeds (same
// seeds every stage). The layer is kept if the mean accuracy >= baseline - threshold
// (absolute fractions; 0.02 = 2 points, the reference), else the mapping and the weights
// revert to the last accepted ones (bit for bit).
// Checkpoint/resume, outputs and the search wall time (report "search_s", summed over
// sessions, including the baseline evaluation) as in LAFT (laft.h, finetune_search.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mapping/finetune_search.h"

namespace aimcsim::mapping {

// Replaces the drift evaluation (tests): per-seed accuracies of `model` under `mapping` at
// stage `stage` (0 = the all-digital baseline).
using DriftEvalHook =
    std::function<std::vector<double>(nn::ZooModel& model, const Mapping& mapping, int stage)>;

struct LionheartOptions {
  FinetuneSearchOptions search;
  double threshold = 0.02;      // allowed accuracy drop below the baseline (fraction)
  double drift_time_s = 86400;  // evaluation time after programming (1 day)
  int eval_seeds = 3;           // programming seeds of the drift evaluation
  DriftEvalHook drift_eval;     // tests only
};

// Mappable layers by descending MACs, ties in execution order.
std::vector<std::string> lionheart_order(const Graph& graph);

SearchResult run_lionheart(nn::LoadedModel& model, const FinetuneData& data,
                           const LionheartOptions& options);

}  // namespace aimcsim::mapping
