// The cost oracle (DESIGN.md s.1, issue 5 item 2): latency and energy that the
// simulator measures, per mappable layer and target and per whole mapping, for searches
// and `aimcsim compare`. No hand-written cost formula: every number is read from a
// Report of simulate_isolated() (sim/engine/isolated_simulation.h).
//
// What "layer L's latency/energy on target X" means (LayerCost):
// - Measured in a *uniform* run: every mappable layer on X, non-mappable ops digital at
//   run.digital_precision, one sample (unloaded latency). X = int8 / fp16 is the
//   all-int8 / all-digital preset. X = analog is the all-analog preset if it fits the
//   chip; otherwise the layers are cut, in topological order, into the fewest
//   consecutive groups whose analog placement fits (place(), the simulator's own
//   placement) and each group is simulated analog with the rest fp16. A layer that
//   alone needs more tiles than the chip has (or a digital precision the cores lack)
//   has no cost for that target (std::nullopt).
// - latency_ns = end_ns - start_ns of the layer in that run (inputs ready -> outputs in
//   SRAM: operand reads, fabric, compute, write-back), compute_ns its compute stage;
//   energy_pj = the layer's dynamic energy per inference (all actions it caused: DAC,
//   crossbar, ADC, tile-local digital, partial-sum reduction, its SRAM and fabric traffic,
//   weight programming amortised per inference). Leakage (power x makespan) is not per
//   layer: it belongs to the whole mapping.
// - Why: a layer's actions do not depend on where its neighbours run (only fabric hops
//   do, slightly), so summing per-layer energy over a mixed mapping reproduces its
//   simulated dynamic energy; on a chain network the summed spans track the latency.
//   A search can therefore add up per-layer savings (e.g. fp16 - analog) and check
//   the chosen mapping with whole_mapping(). tests/unit/test_cost_oracle.cpp measures
//   how close the sums come for a mixed mapping.
// - whole_mapping(m): the simulated Report of mapping m (samples 1); errors as
//   simulate(): MappingError, PlacementError (naming the tiles needed).
// - Every simulated Report is cached on disk (report_cache.h), keyed by version, config
//   values, graph and mapping; a hit costs no simulation. simulations_run() counts the
//   simulations this oracle actually ran.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mapping/report_cache.h"
#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"
#include "sim/report/report.h"

namespace aimcsim {

struct TargetCost {
  double latency_ns = 0.0;  // end_ns - start_ns of sample 0 in the uniform run
  double compute_ns = 0.0;  // its compute stage
  double energy_pj = 0.0;   // dynamic, per inference (no leakage)
  double fabric_pj = 0.0;   // its fabric share: the only part that depends on where the
                            // layer and its neighbours sit (hop counts)
  int tiles = 0;            // analog: tiles holding its blocks
};

// The targets a mappable layer can have costs for, in LayerCost::by_target order.
inline constexpr std::array<Target, 3> kCostTargets = {Target::kAnalog, Target::kInt8,
                                                       Target::kFp16};

struct LayerCost {
  std::string name;
  std::int64_t macs = 0;  // per inference
  std::array<std::optional<TargetCost>, kCostTargets.size()> by_target;
  // Cost on `t` (analog, int8 or fp16); nullopt if the chip cannot run it there.
  const std::optional<TargetCost>& at(Target t) const;
};

struct OracleOptions {
  std::filesystem::path cache_dir;  // empty: default_oracle_cache_dir()
  bool use_cache = true;
};

class CostOracle final {
 public:
  // Keeps references: `graph` and `config` must outlive the oracle.
  CostOracle(const Graph& graph, const HardwareConfig& config, OracleOptions options = {});

  const Report& whole_mapping(const Mapping& mapping);
  // One entry per mappable op, in topological order (computed on first call).
  const std::vector<LayerCost>& layer_costs();
  // Sums over mappable layers of their cost at the target `mapping` gives them (skip
  // counts 0). Throws aimcsim::Error naming the layer if it has no cost there.
  double summed_layer_energy_pj(const Mapping& mapping);
  double summed_layer_latency_ns(const Mapping& mapping);

  int simulations_run() const { return simulations_; }
  int cache_hits() const { return cache_hits_; }
  const ReportCache& cache() const { return cache_; }

 private:
  std::vector<std::vector<std::string>> analog_groups();
  void read_layers(const Report& report, Target target, std::vector<LayerCost>& costs) const;
  double summed(const Mapping& mapping, bool energy);

  const Graph& graph_;
  const HardwareConfig& config_;
  OracleOptions options_;
  ReportCache cache_;
  std::map<std::string, Report> memo_;  // by cache file name
  std::optional<std::vector<LayerCost>> layers_;
  int simulations_ = 0;
  int cache_hits_ = 0;
};

}  // namespace aimcsim
