// The flags of a mapping search, shared by `aimcsim map` and `aimcsim compare` (which runs a
// search named in --methods the same way and then reads its files); the search itself is
// mapping/search.h (run_search), so cli/ only parses flags and prints.
//
// Contract:
// - add_search_options() registers the settings of the sensitivity analysis, the staged
//   fine-tuning and MPS (the same flags and defaults in `map` and `compare`); the
//   calibration batch size is registered as `calib_batch_size_flag` (`map`: --batch-size;
//   `compare`, whose --batch-size is the test batch: --calib-batch-size).
// - run_map(o) = run_search(o) and prints its summary.
#pragma once

#include <cstdint>
#include <string>

#include "mapping/search.h"

namespace CLI {
class App;
}

namespace aimcsim::cli {

using MapOptions = SearchRequest;

// "hilal, hilal-hni, ..., lionheart, all-digital, ..." (map's methods, for help and errors).
std::string map_methods_text();

void add_search_options(CLI::App* cmd, MapOptions& o, const std::string& calib_batch_size_flag);

void run_map(const MapOptions& o);

}  // namespace aimcsim::cli
