// Peak MVM throughput and efficiency of the analog array (issue 4, `aimcsim
// peak`), from the same timing and action models the simulator uses.
//
// Contract: every tile runs full-size (rows x cols) MVMs back to back; one
// MAC = 2 ops. peak_tops = tiles x 2 x rows x cols / mvm_time; the energy of
// one MVM is its counted actions (aimc_tile_timing.h) priced by the energy
// table, plus tile leakage x mvm_time; tops_per_w = ops per MVM / that energy.
// Digital cores, SRAM and fabric are not part of the analog array.
#pragma once

#include "sim/config/hardware_config.h"

namespace aimcsim {

struct PeakFigures {
  double peak_tops = 0.0;
  double tops_per_w = 0.0;
  double power_w = 0.0;        // all tiles busy
  double mvm_ns = 0.0;         // one full-tile MVM
  double mvm_energy_pj = 0.0;  // one full-tile MVM, leakage included
  int tiles = 0;
  int rows = 0;
  int cols = 0;
  int phases = 1;
};

PeakFigures analog_peak(const HardwareConfig& config);

// Peak of the digital cores at INT8 (FP16 if a core has no INT8 lanes). Contract:
// every core runs its MAC lanes full every cycle (lane model; the systolic and
// per-MAC models are not peaks of this kind); one MAC = 2 ops. peak_tops = cores x
// 2 x lanes x clock; energy per cycle = lanes x the MAC price + core leakage x one
// cycle; tops_per_w = 2 x lanes / that energy. SRAM and fabric are not included.
struct DigitalPeakFigures {
  double peak_tops = 0.0;
  double tops_per_w = 0.0;
  double cycle_energy_pj = 0.0;  // one core, one cycle, leakage included
  int lanes = 0;
  int cores = 0;
};

DigitalPeakFigures digital_peak(const HardwareConfig& config);

}  // namespace aimcsim
