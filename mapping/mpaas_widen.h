// MPAAS model adaptation (issue 13 item 8; FACTS.md s.6): widen each block's inner layer
// (nn/zoo/widen.h: a ResNet basic block's conv1, a vit-tiny MLP's fc1, a mobilenetv2-small
// expansion) up to what the tiles it already occupies hold, only as far as the simulator
// allows.
//
// Contract (choose_inner_widths):
// - Reference: the simulated all-analog mapping of `model` on `config` (the cost oracle,
//   cached). A block's inner layer with C output channels on tiles of T columns may grow to
//   ceil(C / T) * T channels (its column tiles stay the same; the consumer's inputs grow
//   with it).
// - Blocks are visited in order; each takes the largest width whose widened network (the
//   widths chosen so far, this one, the rest unchanged) simulates all-analog with latency
//   and energy both at most (1 + tolerance) x the reference's, and that still fits the
//   chip. Probes: width + 1 first (if it fails, the block stays), then a bisection up to the
//   cap (cost rises with width). tolerance 0 = no increase at all (the rule).
// - Every probe is one simulation of a graph built from the widened architecture (weights
//   do not matter to the simulator); the global torch RNG is left as it was.
// - A model without inner layers (nn::inner_layers empty) throws aimcsim::Error naming it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "mapping/cost_oracle.h"
#include "nn/zoo/widen.h"
#include "nn/zoo/zoo_model.h"
#include "sim/config/hardware_config.h"

namespace aimcsim::mapping {

struct WideningOptions {
  double tolerance = 0.0;  // allowed relative rise of all-analog latency and energy
  OracleOptions cache;
};

struct WideningCost {
  double latency_ns = 0.0, energy_pj = 0.0;
  int tiles = 0;
};

struct WideningResult {
  std::vector<nn::InnerLayer> before;
  std::vector<std::int64_t> widths;  // chosen, per block
  WideningCost cost_before, cost_after;
  int simulations = 0;    // probes simulated (cache misses included or not)
  nlohmann::json report;  // the above, plus every probe
};

WideningResult choose_inner_widths(nn::ZooModel& model, const HardwareConfig& config,
                                   const WideningOptions& options);

}  // namespace aimcsim::mapping
