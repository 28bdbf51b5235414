// The energy table: the price of each action that the hardware units count
// (STYLE.md 6: units count actions, this table prices them; leakage = power x
// time). Filled and validated by sim/config from the `[energy]` section, where
// every entry carries a comment naming its source. Energies in pJ per action,
// leakage in mW per unit instance.
#pragma once

namespace aimcsim {

struct EnergyTable {
  double dac_drive_pj = 0.0;             // drive one input value onto a crossbar row
  double crossbar_mvm_pj = 0.0;          // array energy of one full-tile MVM phase
  double crossbar_mac_pj = 0.0;          // per analog MAC (MPS-style aggregate); adds to the above
  double adc_conversion_pj = 0.0;        // one ADC conversion (one output value)
  double tile_output_pj = 0.0;           // tile-local digital scale/accumulate of one output value
  double digital_mac_int8_pj = 0.0;      // one INT8 MAC in a digital core
  double digital_mac_fp16_pj = 0.0;      // one FP16 MAC in a digital core
  double vector_op_pj = 0.0;             // one element-wise op in a vector unit
  double sram_read_byte_pj = 0.0;        // read one byte from the shared SRAM
  double sram_write_byte_pj = 0.0;       // write one byte to the shared SRAM
  double fabric_hop_byte_pj = 0.0;       // move one byte across one fabric hop
  double program_device_pj = 0.0;        // program-and-verify one PCM device
  double tile_leakage_mw = 0.0;          // static power of one tile
  double digital_core_leakage_mw = 0.0;  // static power of one digital core
  double sram_leakage_mw = 0.0;          // static power of the whole SRAM
  double fabric_leakage_mw = 0.0;        // static power of the whole fabric
};

}  // namespace aimcsim
