// Resolved parameters of one kind of AIMC tile (crossbar + DACs + ADCs + local
// digital post-processing), as the future AIMC tile model's constructor takes
// them. Filled and validated by sim/config from the `[tile]` section.
//
// Timing contract (DESIGN.md s.4): one structural MVM phase =
//   input drive (pulse-width: dac_ns once; bit-serial: dac_ns per input bit)
//   + integration_ns + adc_rounds() * adc_conversion_ns + accumulate_ns,
// and an MVM takes phases() such phases. A measured mvm_ns > 0 replaces the
// per-phase structural sum (four_phase_mvm_ns > 0 gives the four-phase MVM
// directly). per_mac_ns > 0 selects the MPS paper's aggregate
// cost model (latency = MACs x per_mac_ns) instead of either.
#pragma once

#include "models/params/analog_params.h"

namespace aimcsim {

enum class InputEncoding {
  kBitSerial,   // one DAC slot per input bit
  kPulseWidth,  // one pulse whose width encodes the value (HERMES)
};

enum class MvmPhases {
  kOnePhase,   // HERMES one-phase mode: 133 ns per MVM (FACTS.md s.8, Table I)
  kFourPhase,  // HERMES four-phase mode, higher precision: 520 ns (FACTS.md s.8, Table I)
};

// Where the partial sums of a layer split over several input blocks are added.
enum class PsumReduction {
  kCore,   // sent to a digital core, added on its vector unit
  kLinks,  // passed tile to tile over dedicated core-to-core links, each tile's local
           // digital unit (LDPU) adding its own partial sums to the stream (HERMES)
};

struct TileParams {
  int count = 64;           // number of tiles on the chip
  int adcs_per_tile = 256;  // ADCs shared by the tile's columns, <= cols
  InputEncoding input_encoding = InputEncoding::kPulseWidth;
  MvmPhases mvm_phases = MvmPhases::kOnePhase;
  double mvm_ns = 0.0;              // measured latency of one MVM phase [ns]; 0 = structural
  double per_mac_ns = 0.0;          // aggregate latency per MAC [ns]; 0 = not used
  double dac_ns = 40.0;             // input drive window (or one bit slot if bit-serial) [ns]
  double integration_ns = 20.0;     // crossbar current integration [ns]
  double adc_conversion_ns = 50.0;  // one conversion round of all ADCs [ns]
  double accumulate_ns = 18.0;      // local digital scale/accumulate of one MVM's outputs [ns]
  double program_row_ns = 1.0e4;    // program-and-verify of one crossbar row [ns]
  double four_phase_mvm_ns = 0.0;   // measured four-phase MVM [ns]; 0 = 4 x mvm_ns
  // Local digital processing unit (LDPU) after the ADCs: every MVM's active columns
  // pass through it at ldpu_outputs_per_cycle per cycle of ldpu_clock_mhz, pipelined
  // with the next MVM. ldpu_clock_mhz = 0: no separate stage (mvm_ns covers it).
  double ldpu_clock_mhz = 0.0;
  int ldpu_outputs_per_cycle = 1;
  PsumReduction psum_reduction = PsumReduction::kCore;
  int psum_link_bytes_per_cycle = 1;    // core-to-core link width [bytes/cycle] (kLinks)
  double psum_link_clock_mhz = 1000.0;  // core-to-core link clock [MHz] (kLinks)
  int psum_bytes = 2;                   // bytes per partial sum on the links (kLinks)
  // Output-pixel unrolling (DIANA, Ueyoshi et al., ISSCC 2022): a small conv holds up to
  // max_output_unroll shifted copies of its kernel so that one MVM computes that many
  // adjacent output pixels (sim/placement/output_unroll.h). 1 = off.
  int max_output_unroll = 1;
  int unroll_min_channels = 1;    // an unrolled conv's input channels take rows in groups of
                                  // at least this many
  AnalogNumericsParams numerics;  // rows, cols, DAC/ADC bits and analog numerics

  int rows() const { return numerics.tile_rows; }
  int cols() const { return numerics.tile_cols; }
  int phases() const { return mvm_phases == MvmPhases::kFourPhase ? 4 : 1; }
  // Conversion rounds per MVM phase: ceil(cols / adcs_per_tile).
  int adc_rounds() const { return (cols() + adcs_per_tile - 1) / adcs_per_tile; }
  // Latency of one full-tile MVM [ns] under the structural or measured model.
  double mvm_latency_ns() const {
    if (mvm_ns > 0.0) {
      return mvm_phases == MvmPhases::kFourPhase && four_phase_mvm_ns > 0.0 ? four_phase_mvm_ns
                                                                            : mvm_ns * phases();
    }
    const double drive_ns =
        input_encoding == InputEncoding::kBitSerial ? dac_ns * numerics.dac_bits : dac_ns;
    return phases() *
           (drive_ns + integration_ns + adc_rounds() * adc_conversion_ns + accumulate_ns);
  }
};

}  // namespace aimcsim
