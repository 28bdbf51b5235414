// What `aimcsim map` runs, shared with `aimcsim compare` (which runs a search method named in
// --methods the same way and then reads its files): the options of a mapping search and the
// function that runs one and writes its mapping file and report.
//
// Contract:
// - run_map(o) finds a mapping for o.method on o.hw / o.model / o.ckpt, writes it to o.out
//   (.toml or .json, checked before any work) and, if o.json is set, the report there; it
//   prints a one-line summary. Errors in input throw aimcsim::Error before any analysis.
// - A fine-tuning search (HILAL with LAFT, LionHEART) keeps its per-stage state in
//   o.run_dir (default: OUT without its extension + ".run"); running the same options again
//   resumes it. The report's "search_wall_s" [s] is this call's wall time outside the staged
//   fine-tuning plus the fine-tuning time summed over every session of the run, so a resumed
//   search reports its whole cost.
// - add_search_options() registers the settings of the sensitivity analysis and the staged
//   fine-tuning (the same flags and defaults in `map` and `compare`); the calibration batch
//   size is registered as `calib_batch_size_flag` (`map`: --batch-size; `compare`, whose
//   --batch-size is the test batch: --calib-batch-size).
#pragma once

#include <cstdint>
#include <string>

#include "nn/data/fmnist.h"

namespace CLI {
class App;
}

namespace aimcsim::cli {

struct MapOptions {
  std::string method, hw, model, ckpt, out, json, digital = "fp16";
  std::vector<std::string> hw_sets;  // --set KEY=VALUE overrides of hw
  std::string data_dir = nn::kFmnistDir;
  bool no_laft = false;
  std::string objective = "energy";  // hilal-energy
  double budget = -1.0;              // hilal-energy delta_loss budget (< 0: HILAL's)
  std::size_t front_points = 12;
  // LAFT / LionHEART fine-tuning (mapping/staged_finetune.h)
  std::string run_dir;  // default: OUT without extension + ".run"
  std::int64_t images_per_epoch = 2000, validation_images = 5000;
  int max_epochs = 4, patience = 2, eval_seeds = 2, stop_after = 0;
  double lr = 0.005, threshold = 0.02;
  bool no_progress = false;
  std::uint64_t seed = 0;
  // HILAL sensitivity analysis (FACTS.md s.4: 8 batches of 256 in the reference runs)
  int probes = 10, power_steps = 20, batches = 8, restarts = 10;
  std::int64_t batch_size = 256;
};

// "hilal, hilal-hni, ..., lionheart, all-digital, ..." (map's methods, for help and errors).
std::string map_methods_text();

void add_search_options(CLI::App* cmd, MapOptions& o, const std::string& calib_batch_size_flag);

void run_map(const MapOptions& o);

}  // namespace aimcsim::cli
