// LAFT, HILAL's layer-wise analog fine-tuning (FACTS.md s.4; issue 5 part 3).
//
// Contract: run_laft() takes the robust layers in increasing-HNI order (HILAL's output) and,
// starting from the FP checkpoint's weights and the all-digital mapping (fp16), runs one
// stage per layer: the layer joins the analog set, then finetune_stage() (staged_finetune.h)
// fine-tunes with HWA noise on every analog layer so far, early-stopping on the noisy
// validation accuracy (rule kNoImprovement, patience P), keeping the best epoch's weights.
// The chain continues from each stage's weights (restart_from_fp: every stage restarts from
// the FP weights instead, the literal reading of "always start from the FP checkpoint").
// Every layer of the list is kept: LAFT has no accept/revert step.
// After EVERY stage the state is committed to options.search.run_dir (search_run.h); a call
// on a folder holding a state resumes after its last stage (other settings: refused) and
// ends with the same mapping and bit-identical weights as an uninterrupted run (same seed,
// thread count). When all stages are done it writes finetuned.pt, mapping.json and
// report.json there (finetune_search.h). On return `model` holds the weights of the last
// stage done. Bad layer names (unknown, not mappable, repeated): aimcsim::Error.
#pragma once

#include <string>
#include <vector>

#include "mapping/finetune_search.h"

namespace aimcsim::mapping {

struct LaftOptions {
  FinetuneSearchOptions search;
  std::vector<std::string> layers;  // robust layers, increasing HNI
  bool restart_from_fp = false;
};

SearchResult run_laft(nn::LoadedModel& model, const FinetuneData& data, const LaftOptions& options);

}  // namespace aimcsim::mapping
