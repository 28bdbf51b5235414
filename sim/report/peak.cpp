#include "sim/report/peak.h"

#include "models/units/aimc_tile_timing.h"

namespace aimcsim {

PeakFigures analog_peak(const HardwareConfig& config) {
  const AimcTileTiming tile(config.tile);
  PeakFigures f;
  f.tiles = config.tile.count;
  f.rows = config.tile.rows();
  f.cols = config.tile.cols();
  f.phases = config.tile.phases();
  f.mvm_ns = ps_to_ns(tile.mvm(f.rows, f.cols).total_ps);
  ActionCounts counts;
  tile.count_mvms(f.rows, f.cols, 1, counts);
  f.mvm_energy_pj =
      price(counts, config.energy).total() + leakage_pj(config.energy.tile_leakage_mw, f.mvm_ns);
  const double ops_per_mvm = 2.0 * f.rows * f.cols;
  f.peak_tops = f.tiles * ops_per_mvm / (f.mvm_ns * 1e-9) * 1e-12;
  f.power_w = f.tiles * f.mvm_energy_pj * 1e-12 / (f.mvm_ns * 1e-9);
  f.tops_per_w = f.mvm_energy_pj > 0.0 ? ops_per_mvm / (f.mvm_energy_pj * 1e-12) * 1e-12 : 0.0;
  return f;
}

DigitalPeakFigures digital_peak(const HardwareConfig& config) {
  const DigitalParams& d = config.digital;
  const bool int8 = d.int8_mac_lanes > 0;
  DigitalPeakFigures f;
  f.cores = d.count;
  f.lanes = int8 ? d.int8_mac_lanes : d.fp16_mac_lanes;
  const double mac_pj =
      int8 ? config.energy.digital_mac_int8_pj : config.energy.digital_mac_fp16_pj;
  const double cycle_ns = 1e3 / d.clock_mhz;
  f.cycle_energy_pj =
      f.lanes * mac_pj + leakage_pj(config.energy.digital_core_leakage_mw, cycle_ns);
  const double ops_per_cycle = 2.0 * f.lanes;
  f.peak_tops = f.cores * ops_per_cycle / (cycle_ns * 1e-9) * 1e-12;
  f.tops_per_w =
      f.cycle_energy_pj > 0.0 ? ops_per_cycle / (f.cycle_energy_pj * 1e-12) * 1e-12 : 0.0;
  return f;
}

}  // namespace aimcsim
