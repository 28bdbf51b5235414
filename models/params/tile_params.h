// Resolved parameters of one kind of AIMC tile (crossbar + DACs + ADCs + local
// digital post-processing), as the future AIMC tile model's constructor takes
// them. Filled and validated by sim/config from the `[tile]` section.
//
// Timing contract (DESIGN.md s.4): one structural MVM phase =
//   input drive (pulse-width: dac_ns once; bit-serial: dac_ns per input bit)
//   + integration_ns + adc_rounds() * adc_conversion_ns + accumulate_ns,
// and an MVM takes phases() such phases. A measured mvm_ns > 0 replaces the
// per-phase structural sum. per_mac_ns > 0 selects the MPS paper's aggregate
// cost model (latency = MACs x per_mac_ns) instead of either.
#pragma once

#include "models/params/analog_params.h"

namespace aimcsim {

enum class InputEncoding {
  kBitSerial,   // one DAC slot per input bit
  kPulseWidth,  // one pulse whose width encodes the value (HERMES)
};

enum class MvmPhases {
  kOnePhase,   // HERMES one-phase mode: 128 ns per MVM (FACTS.md s.8)
  kFourPhase,  // HERMES four-phase mode, higher precision: 512 ns (FACTS.md s.8)
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
  AnalogNumericsParams numerics;    // rows, cols, DAC/ADC bits and analog numerics

  int rows() const { return numerics.tile_rows; }
  int cols() const { return numerics.tile_cols; }
  int phases() const { return mvm_phases == MvmPhases::kFourPhase ? 4 : 1; }
  // Conversion rounds per MVM phase: ceil(cols / adcs_per_tile).
  int adc_rounds() const { return (cols() + adcs_per_tile - 1) / adcs_per_tile; }
  // Latency of one full-tile MVM [ns] under the structural or measured model.
  double mvm_latency_ns() const {
    if (mvm_ns > 0.0) return mvm_ns * phases();
    const double drive_ns =
        input_encoding == InputEncoding::kBitSerial ? dac_ns * numerics.dac_bits : dac_ns;
    return phases() *
           (drive_ns + integration_ns + adc_rounds() * adc_conversion_ns + accumulate_ns);
  }
};

}  // namespace aimcsim
