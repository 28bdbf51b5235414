// The Report of one run (DESIGN.md s.3, s.7): everything the simulation
// measured, every name carrying its unit.
//
// Invariants (tested): energy_per_inference.total() == energy_pj (the kinds
// sum to the total); sum over layers of their dynamic energy + leakage ==
// energy_pj; critical_path_lower_bound_ns <= latency_ns <= serial_sum_ns
// (the bound is the chunk-level longest path of op_plan.h, so it stays a
// lower bound when layers overlap under run.layer_pipelining).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/units/actions.h"

namespace aimcsim {

struct LayerReport {
  std::string name;
  std::string kind;           // op kind ("conv2d", "relu", ...)
  std::string target;         // "analog", "int8", "fp16", "skip"
  std::string units;          // e.g. "tiles 0-3", "core 2", "-"
  int tiles = 0;              // every tile holding its weights, replicas included
  int replicas = 0;           // analog: copies of its weights (weight duplication); else 0
  std::int64_t macs = 0;      // per inference
  std::int64_t mvms = 0;      // per inference (summed over tiles)
  double start_ns = 0.0;      // sample 0: inputs ready
  double end_ns = 0.0;        // sample 0: outputs in SRAM
  double compute_ns = 0.0;    // sample 0: time in the compute stage
  EnergyBreakdown energy_pj;  // dynamic, per inference
};

struct Utilisation {
  double tiles_used_mean = 0.0;  // busy time / makespan, mean over tiles holding weights
  double tiles_chip_mean = 0.0;  // the same over every tile of the chip
  double cores_mean = 0.0;       // over every digital core
  double sram_banks_mean = 0.0;  // busy port-cycles / (banks x ports x cycles)
  double links_mean = 0.0;       // busy link-cycles / (links x cycles)
  std::vector<double> per_tile;  // every tile of the chip
  std::vector<double> per_core;
};

struct Report {
  std::string network;
  std::string config;
  std::string mapping;
  int samples = 1;
  bool layer_pipelining = true;            // run.layer_pipelining
  std::string weight_duplication = "off";  // run.weight_duplication

  // Sample 0 from entry to last output. With samples > 1 later samples contend
  // for the units (FCFS), so run samples = 1 for the unloaded latency.
  double latency_ns = 0.0;
  // Inferences per second: with samples >= 2, (samples - 1) / (done of the last sample - done
  // of the first), the pipelined stream's steady state; with samples = 1, 1 / latency_ns.
  double throughput_inf_per_s = 0.0;
  double makespan_ns = 0.0;           // whole stream
  double critical_path_lower_bound_ns = 0.0;
  double serial_sum_ns = 0.0;
  double energy_pj = 0.0;                // per inference, leakage included
  EnergyBreakdown energy_per_inference;  // pJ by kind
  ActionCounts actions;                  // whole stream
  int tiles_used = 0;
  int tiles_available = 0;
  int programming_rounds = 1;
  double analog_mac_ratio = 0.0;
  std::int64_t analog_macs = 0;   // per inference
  std::int64_t digital_macs = 0;  // per inference
  std::int64_t digital_weight_bytes = 0;
  std::int64_t mvms = 0;  // per inference
  Utilisation utilisation;
  std::vector<LayerReport> layers;  // ops with work, topological order
};

}  // namespace aimcsim
