// Internals of run_search() (search.h): each family of searches as one step that returns
// its mapping and report; run_search() writes the files and the common report keys.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "mapping/search.h"
#include "mapping/search_method.h"
#include "nn/eval/loaded_model.h"
#include "sim/config/hardware_config.h"

namespace aimcsim {

struct SearchStepResult {
  Mapping mapping{"search"};
  nlohmann::json report;
  double earlier_sessions_s = 0.0;  // resumable work done in earlier sessions [s]
  std::string summary;              // printed before the result line
  std::string trailer;              // printed after it
};

std::string default_run_dir(const SearchRequest& r);
// STEM.front-I.EXT beside r.out.
std::filesystem::path front_file(const SearchRequest& r, std::size_t point);

SearchStepResult run_hilal_step(const SearchRequest& r, SearchMethod method, nn::LoadedModel& m,
                                const HardwareConfig& config, Target digital);
SearchStepResult run_lionheart_step(const SearchRequest& r, nn::LoadedModel& m,
                                    const HardwareConfig& config);
SearchStepResult run_mps_step(const SearchRequest& r, SearchMethod method, nn::LoadedModel& m,
                              const HardwareConfig& config);

}  // namespace aimcsim
