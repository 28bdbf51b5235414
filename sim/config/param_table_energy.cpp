// Declarations of the [energy] parameters (param_table.h). Every price is
// required: a config must say where each number comes from, so none defaults.
#include "sim/config/param_table.h"

namespace aimcsim {
namespace {

using HC = HardwareConfig;
using ET = EnergyTable;
constexpr double kMaxPj = 1e12;
constexpr double kMaxMw = 1e9;

}  // namespace

std::vector<ParamDecl> energy_param_decls() {
  return {
      param<&HC::energy, &ET::dac_drive_pj>("energy.dac_drive_pj", "pJ",
                                            "drive one input value onto a crossbar row")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::crossbar_mvm_pj>("energy.crossbar_mvm_pj", "pJ",
                                               "array energy of one full-tile MVM phase")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::crossbar_mac_pj>(
          "energy.crossbar_mac_pj", "pJ", "per analog MAC (MPS model); adds to crossbar_mvm_pj")
          .def(0.0)
          .range(0, kMaxPj),
      param<&HC::energy, &ET::adc_conversion_pj>("energy.adc_conversion_pj", "pJ",
                                                 "one ADC conversion (one output value)")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::tile_output_pj>(
          "energy.tile_output_pj", "pJ", "tile-local digital scale/accumulate per output value")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::digital_mac_int8_pj>("energy.digital_mac_int8_pj", "pJ",
                                                   "one INT8 MAC in a digital core")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::digital_mac_fp16_pj>("energy.digital_mac_fp16_pj", "pJ",
                                                   "one FP16 MAC in a digital core")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::vector_op_pj>("energy.vector_op_pj", "pJ",
                                            "one element-wise vector op")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::sram_read_byte_pj>("energy.sram_read_byte_pj", "pJ",
                                                 "read one byte from the shared SRAM")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::sram_write_byte_pj>("energy.sram_write_byte_pj", "pJ",
                                                  "write one byte to the shared SRAM")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::fabric_hop_byte_pj>("energy.fabric_hop_byte_pj", "pJ",
                                                  "move one byte across one fabric hop")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::program_device_pj>("energy.program_device_pj", "pJ",
                                                 "program-and-verify one PCM device")
          .required()
          .range(0, kMaxPj),
      param<&HC::energy, &ET::tile_leakage_mw>("energy.tile_leakage_mw", "mW",
                                               "static power of one tile")
          .required()
          .range(0, kMaxMw),
      param<&HC::energy, &ET::digital_core_leakage_mw>("energy.digital_core_leakage_mw", "mW",
                                                       "static power of one digital core")
          .required()
          .range(0, kMaxMw),
      param<&HC::energy, &ET::sram_leakage_mw>("energy.sram_leakage_mw", "mW",
                                               "static power of the whole SRAM")
          .required()
          .range(0, kMaxMw),
      param<&HC::energy, &ET::fabric_leakage_mw>("energy.fabric_leakage_mw", "mW",
                                                 "static power of the whole fabric")
          .required()
          .range(0, kMaxMw),
  };
}

}  // namespace aimcsim
