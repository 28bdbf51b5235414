// What LAFT (laft.h) and LionHEART (lionheart.h) share: their options, their result, the
// settings recorded in the run folder (search_run.h) and the files a finished search writes.
//
// Contract:
// - Stage k (1-based) fine-tunes with seed stage_seed(seed, k), so a stage's result depends
//   only on (seed, k, the weights it starts from, the data, the thread count).
// - search_settings(): every input that changes a search's result (method, model and
//   hyper-parameters, FP checkpoint, layer list, data sizes and a hash of the validation
//   labels, stage recipe, HWA and analog numerics, the method's own parameters, seed, LibTorch
//   thread count). A resume with any of them changed is refused (SearchRun::resume).
// - finish_search() writes into the run folder: `finetuned.pt` (nn/train/checkpoint.h,
//   accepted by `aimcsim eval --ckpt`), `mapping.json` (sim/mapping/mapping_io.h, accepted by
//   `eval --mapping`) and `report.json` (the stage report, search_report_json()).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "mapping/search_run.h"
#include "mapping/staged_finetune.h"
#include "nn/eval/layer_numerics.h"
#include "nn/eval/loaded_model.h"

namespace aimcsim::mapping {

struct FinetuneSearchOptions {
  nn::AnalogSetup analog;                 // [device] + [tile] numerics of the hardware config
  HwaParams hwa{0.08, kFinetuneClipStd};  // gamma 0.08, clip 3 std (staged_finetune.h)
  std::string hw_label;                   // where `analog` came from (config file name), recorded
  StageOptions stage;
  std::uint64_t seed = 0;
  std::string run_dir;        // state after every stage, outputs at the end
  int stop_after_stages = 0;  // return after this many stages of this call (0 = all)
  ValidationHook validation;  // replaces the noisy validation pass (tests)
};

struct SearchResult {
  std::string method;  // "laft", "lionheart"
  Mapping mapping{"search"};
  std::vector<StageRecord> stages;  // all stages so far, including resumed ones
  int stages_done = 0;
  int stages_total = 0;
  bool finished = false;
  double search_seconds = 0.0;  // summed over the sessions of the run
  std::string checkpoint_path;  // set when finished
  std::string mapping_path;
  std::string report_path;
  nlohmann::json extra = nlohmann::json::object();
};

std::uint64_t stage_seed(std::uint64_t seed, int stage);

// `layers`: the search's candidate layers in stage order; `method_settings`: its own.
nlohmann::json search_settings(const std::string& method, const nn::LoadedModel& model,
                               const FinetuneData& data, const FinetuneSearchOptions& options,
                               const std::vector<std::string>& layers,
                               const nlohmann::json& method_settings);

// Throws aimcsim::Error unless every name is a mappable layer of the graph, at most once.
void check_layer_list(const std::vector<std::string>& layers, const Graph& graph,
                      const std::string& what);

std::int64_t layer_macs(const Graph& graph, const std::string& layer);

// The metadata of a search's weights: the FP checkpoint's identity, `training` describing
// how they were fine-tuned, init_from = the FP checkpoint.
nn::CheckpointMeta search_checkpoint_meta(const nn::LoadedModel& model,
                                          const std::string& training);

// HWA settings in the form staged fine-tuning takes.
HwaSetup hwa_setup_of(const FinetuneSearchOptions& options);

nlohmann::json search_report_json(const SearchResult& result, const nn::LoadedModel& model,
                                  const nlohmann::json& settings);

// Where the search's wall time went, in seconds, summed over stages and sessions:
// stage_training_s, stage_validation_s, drift_checks_s (LionHEART, its baseline check
// included), other_s (weight snapshots, checkpoint commits, sampling) and total_s =
// search_seconds; the four parts add up to total_s.
nlohmann::json stage_time_breakdown(const SearchResult& result);

// Writes finetuned.pt, mapping.json and report.json; fills the result's paths.
void finish_search(SearchResult& result, nn::LoadedModel& model, const SearchRun& run,
                   const nlohmann::json& settings, const nn::CheckpointMeta& meta);

}  // namespace aimcsim::mapping
