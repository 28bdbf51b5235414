// hilal-energy (issue 5 item 1; beyond the HILAL paper, whose authors list it as future
// work): HILAL's Hessian sensitivity together with the latency/energy the simulator
// measures, as a Pareto front of mappings instead of one cluster split.
//
// Contract:
// - Sensitivity a layer spends by going analog: its expected loss increase under the HWA
//   weight noise, delta_loss_l = sigma_l^2 Tr(H_l) / 2 = HNI_l * d_l (FACTS.md s.4; the
//   second-order Taylor term of E[L(W + sigma N)] - L(W)). Unlike HNI (per parameter) it adds
//   up over layers, so a set of analog layers spends the sum. Negative traces count 0.
// - Saving of a layer: cost on the digital target minus cost on analog, from the cost
//   oracle's uniform runs (mapping/cost_oracle.h), in pJ (objective energy) or ns
//   (objective latency). Layers without an analog cost (too large for the chip) never go
//   analog.
// - front: every non-dominated (delta_loss, saving) subset (mapping/layer_pareto.h),
//   thinned to at most max_points (keeping both ends); each point's Mapping (analog set,
//   the rest `digital`) is then simulated whole (CostOracle::whole_mapping), so the report
//   shows measured latency_ns / energy_pj next to the summed per-layer estimate.
// - selected: the point with the largest saving whose delta_loss <= budget; budget < 0
//   means "what plain HILAL spends" (the delta_loss of its robust cluster), so hilal-energy
//   never spends more sensitivity than HILAL and saves at least as much by the estimate.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "mapping/cost_oracle.h"
#include "mapping/hilal.h"
#include "mapping/layer_pareto.h"
#include "nn/hessian/sensitivity.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"

namespace aimcsim {

enum class SavingObjective { kEnergy, kLatency };

struct HilalEnergyOptions {
  SavingObjective objective = SavingObjective::kEnergy;
  Target digital = Target::kFp16;
  std::size_t max_points = 12;  // front points simulated and reported
  double budget = -1.0;         // delta_loss budget; < 0: plain HILAL's robust set
};

struct HilalEnergyPoint {
  double delta_loss = 0.0;
  double estimated_saving = 0.0;  // pJ or ns, summed per-layer
  Mapping mapping;
  double analog_mac_ratio = 0.0;
  double latency_ns = 0.0;  // simulated whole mapping
  double energy_pj = 0.0;
  int tiles_used = 0;
};

struct HilalEnergyResult {
  std::vector<HilalEnergyPoint> front;  // increasing delta_loss
  std::size_t selected = 0;             // index into front
  double budget = 0.0;                  // the delta_loss budget used
  nlohmann::json report;
};

// delta_loss of one layer (see contract).
double layer_delta_loss(const nn::LayerSensitivity& s);

HilalEnergyResult hilal_energy_front(const Graph& graph,
                                     const std::vector<nn::LayerSensitivity>& sensitivity,
                                     const HilalClustering& clustering, CostOracle& oracle,
                                     const HilalEnergyOptions& options);

}  // namespace aimcsim
