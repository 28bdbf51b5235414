// Cross-field rules of a resolved HardwareConfig, each one a diagnostic when
// broken, located at the key whose value breaks it:
//   tile.adcs_per_tile <= tile.cols;
//   bit-serial input needs tile.dac_bits >= 1;
//   at most one of tile.mvm_ns and tile.per_mac_ns is set;
//   a digital core supports INT8 or FP16; run.digital_precision is supported;
//   digital.systolic_rows and _cols are both 0 or both > 0;
//   sram.size_bytes is a multiple of sram.banks;
//   a mesh has mesh_cols x mesh_rows >= tile.count + digital.count routers
//   (one tile or core per router); a bus has mesh_cols = mesh_rows = 0.
#pragma once

#include "sim/config/hardware_config.h"

namespace aimcsim {

// Adds one diagnostic per broken rule, located where the offending key (or, if
// it was left at its default, a related key) was set; else at line 1 of
// config.source_file.
void check_hardware_consistency(const HardwareConfig& config, Diagnostics& diagnostics);

}  // namespace aimcsim
