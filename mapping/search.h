// The one entry point of every mapping search (issue 13 item 10): `aimcsim map`, `compare`
// and `demo` fill a SearchRequest and call run_search(); cli/ only parses flags and prints.
//
// Contract:
// - run_search(r) finds a mapping for r.method (a search of search_method.h or a baseline of
//   methods.h) on r.hw / r.model / r.ckpt, writes it to r.out (.toml or .json, checked
//   before any work) and, if r.json is set, the report there. Errors in input throw
//   aimcsim::Error before any analysis.
// - A fine-tuning search (HILAL with LAFT, LionHEART, MPS, MPAAS) keeps its state in
//   r.run_dir (default: OUT without its extension + ".run"); the same request again resumes
//   it. The report's "search_wall_s" [s] is this call's wall time outside the resumable part
//   plus the resumable part's time summed over every session of the run.
// - Searches with a front (hilal-energy, mps, mpaas) write every front point beside r.out as
//   STEM.front-I.EXT and list them in the report ("front", each with "mapping_file").
// - SearchOutcome::summary is the text the CLI prints (one line per result, plus the front).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/data/fmnist.h"
#include "sim/mapping/mapping.h"

namespace aimcsim {

struct SearchRequest {
  std::string method, hw, model, ckpt, out, json, digital = "fp16";
  std::vector<std::string> hw_sets;  // --set KEY=VALUE overrides of hw (config_override.h)
  std::string data_dir = nn::kFmnistDir;
  std::string cache_dir;  // cost-oracle cache (empty: the default folder)
  bool no_cache = false;
  bool no_laft = false;
  std::string objective = "energy";  // hilal-energy
  double budget = -1.0;              // hilal-energy delta_loss budget (< 0: HILAL's)
  std::size_t front_points = 12;
  // LAFT / LionHEART fine-tuning (mapping/staged_finetune.h)
  std::string run_dir;  // default: OUT without extension + ".run"
  std::int64_t images_per_epoch = 2000, validation_images = 5000;
  std::int64_t stage_validation_images = 0;  // StageOptions::validation_images (0 = all)
  int max_epochs = 4, patience = 2, eval_seeds = 2, stop_after = 0;
  double lr = 0.005, threshold = 0.02;
  bool no_progress = false;
  std::uint64_t seed = 0;
  // HILAL sensitivity analysis (FACTS.md s.4: 8 batches of 256 in the reference runs)
  int probes = 10, power_steps = 20, batches = 8, restarts = 10;
  std::string sensitivity_estimator = "auto";  // nn/hessian/sensitivity.h SensitivityEstimator
  std::int64_t batch_size = 256;
  // MPS / MPAAS (mapping/mps.h; FACTS.md s.6)
  std::string candidates = "analog,int8,fp16,skip";
  std::string weight_sharing = "shared";  // measured better: mappings/README.md
  std::string noise = "progressive";
  std::string hni_from;  // --noise hni: a HILAL report with each layer's HNI
  bool no_qat = false, no_bn_recalibration = false;
  int phase1_epochs = 2, phase2_epochs = 4;
  std::int64_t mps_images_per_epoch = 10000;
  double mps_lr = 0.01, ranking_lr = 0.05, margin = 0.1;
  double widen_tolerance = 0.0;  // mpaas: allowed rise of all-analog latency and energy
  int samples = 16, max_steps = 30, stable_steps = 5;
  std::int64_t phase3_validation = 1000;
  int rank_check = 0;          // mps/mpaas: subnets in the ranking check (0 = none)
  int finetune_epochs = 0;     // mps/mpaas: fine-tune of the extracted subnet
  double finetune_lr = 0.005;  // mps/mpaas: its constant learning rate
  double drift_s = 86400.0;
};

struct SearchOutcome {
  Mapping mapping;
  nlohmann::json report;
  std::string summary;
};

SearchOutcome run_search(const SearchRequest& request);

}  // namespace aimcsim
