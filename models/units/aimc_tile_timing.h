// Timing and action counting of one AIMC tile MVM (DESIGN.md s.4), without the
// SystemC kernel.
//
// Timing rule per MVM (TileParams contract): phases() x [input drive
// (pulse-width: dac_ns; bit-serial: dac_ns per input bit) + integration_ns +
// adc_rounds x adc_conversion_ns + accumulate_ns], where adc_rounds =
// ceil(active_cols / adcs_per_tile): only the columns that hold weights are
// converted. A measured mvm_ns > 0 replaces the structural sum (HERMES gives
// 133 ns per one-phase MVM, 520 ns four-phase: four_phase_mvm_ns). per_mac_ns > 0
// prices latency per analog MAC.
//
// LDPU (ldpu_clock_mhz > 0): after an MVM its active_cols outputs pass the local
// digital unit, ceil(active_cols / ldpu_outputs_per_cycle) LDPU cycles; the LDPU
// of MVM i overlaps MVM i+1, so m MVMs take mvm + (m-1) max(mvm, ldpu) + ldpu.
// Partial sums over links (psum_reduction = links): a chain of L links carrying
// V partial sums takes ceil(V psum_bytes / psum_link_bytes_per_cycle) link cycles
// (the stream) + L LDPU cycles (each tile on the way adds its own partial sums as
// the stream passes); it moves L V psum_bytes bytes one hop (fabric_hop_byte) and
// the LDPUs add L V values (tile_output).
//
// Actions per MVM: active_rows x phases DAC drives (x dac_bits if bit-serial),
// phases crossbar MVMs, active_rows x active_cols crossbar MACs, active_cols x
// phases ADC conversions, active_cols x phases tile outputs (the local digital
// unit scales and accumulates every phase's conversions: four-phase mode costs
// four times the energy of one-phase, HERMES 9.76 vs 2.48 TOPS/W, FACTS.md s.8).
#pragma once

#include "models/params/tile_params.h"
#include "models/units/actions.h"
#include "models/units/sim_time.h"

namespace aimcsim {

struct MvmTiming {
  Picoseconds drive_ps = 0;       // per phase
  Picoseconds integrate_ps = 0;   // per phase
  Picoseconds convert_ps = 0;     // per phase: adc_rounds x conversion
  Picoseconds accumulate_ps = 0;  // per phase
  int adc_rounds = 0;
  Picoseconds total_ps = 0;  // whole MVM, all phases
};

class AimcTileTiming final {
 public:
  explicit AimcTileTiming(const TileParams& params);

  // Timing of one MVM using `active_rows` x `active_cols` of the crossbar.
  // Requires 1 <= active_rows <= rows(), 1 <= active_cols <= cols().
  MvmTiming mvm(int active_rows, int active_cols) const;
  // Time of the LDPU stage of one MVM with `active_cols` outputs (0 without an LDPU).
  Picoseconds ldpu_ps(int active_cols) const;
  // Time of `mvms` MVMs back to back with the LDPU pipelined (the rule above).
  Picoseconds stream_ps(int active_rows, int active_cols, std::int64_t mvms) const;
  // Partial-sum chain of `links` links carrying `values` partial sums (the rule above).
  Picoseconds chain_ps(std::int64_t links, std::int64_t values) const;
  void count_chain(std::int64_t links, std::int64_t values, ActionCounts& counts) const;
  // Adds the actions of `mvms` MVMs of that size to `counts`.
  void count_mvms(int active_rows, int active_cols, std::int64_t mvms, ActionCounts& counts) const;
  // Time to program `rows` crossbar rows (program-and-verify, row by row).
  Picoseconds program_time(int rows) const;
  // Adds the actions of programming a rows x cols block (2 devices per weight).
  void count_programming(int rows, int cols, ActionCounts& counts) const;

  const TileParams& params() const { return params_; }

 private:
  TileParams params_;
};

}  // namespace aimcsim
