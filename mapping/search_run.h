// The run folder of a staged fine-tuning search (LAFT, LionHEART): the state after every
// stage, so that an interrupted search resumes at the next stage and ends bit for bit like
// an uninterrupted one (DESIGN.md s.9: nothing already computed is lost).
//
// Layout of `dir`:
//   state.json     format, settings, stages_done, mapping so far, per-stage history,
//                  summed search wall time, method extras; names the weights file
//   stage-K.pt     the model after stage K (nn/train/checkpoint.h format, so
//                  `aimcsim eval --ckpt` reads it too)
// Contract:
// - commit() writes stage-K.pt (atomically, save_checkpoint), then state.json through a
//   temporary file renamed over it (the commit point: a crash before the rename leaves the
//   previous state intact), then deletes the previous stage's weights.
// - resume() returns nothing for a folder without state.json. Otherwise it requires the
//   same format and the same settings (every key, compared as JSON): the first difference
//   throws aimcsim::Error naming the folder, the key and both values. It then loads the
//   committed weights into the model (model identity checked by load_checkpoint).
// - A corrupt state.json throws aimcsim::Error naming the file.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "mapping/staged_finetune.h"
#include "nn/train/checkpoint.h"
#include "nn/zoo/zoo_model.h"
#include "sim/mapping/mapping.h"

namespace aimcsim::mapping {

// One stage of a search: the layer it tried and what happened.
struct StageRecord {
  int stage = 0;  // 1-based
  std::string layer;
  std::int64_t layer_macs = 0;  // per inference (graph, FACTS.md s.7)
  bool accepted = true;         // LAFT: always; LionHEART: accuracy within the threshold
  StageResult finetune;
  std::vector<double> drift_accuracy_per_seed;  // LionHEART: accuracy at the drift time
  double drift_accuracy_mean = 0.0;
  double drift_seconds = 0.0;  // LionHEART: wall time of the drift check
};

struct SearchProgress {
  int stages_done = 0;
  Mapping mapping{"search"};  // accepted mapping after stages_done stages
  std::vector<StageRecord> history;
  double search_seconds = 0.0;  // wall time, summed over all sessions of this run
  nlohmann::json extra = nlohmann::json::object();  // method-specific (baseline accuracy)
};

nlohmann::json stage_record_to_json(const StageRecord& record);
StageRecord stage_record_from_json(const nlohmann::json& j);
nlohmann::json mapping_to_json(const Mapping& mapping);
Mapping mapping_from_json(const nlohmann::json& j, const std::string& source);

class SearchRun final {
 public:
  SearchRun(std::string dir, nlohmann::json settings);

  std::optional<SearchProgress> resume(nn::ZooModel& model) const;
  // `meta` describes the weights (model identity is taken from the model).
  void commit(const SearchProgress& progress, nn::ZooModel& model,
              const nn::CheckpointMeta& meta) const;

  const std::string& dir() const { return dir_; }
  std::string path(const std::string& file) const;

 private:
  std::string dir_;
  nlohmann::json settings_;
};

}  // namespace aimcsim::mapping
