// The resolved hardware configuration (DESIGN.md s.3, s.6): typed, unit-named,
// defaults applied, cross-checked. Built from TOML by load_hardware_config().
//
// Contract: load_hardware_config() either returns a config in which every
// parameter is in its declared range and all cross-field rules hold, or throws
// ConfigError listing every problem found (config_error.h). Each parameter is
// declared once in the table of param_table.h; validation, `config dump` and
// `config keys` all come from that table.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>

#include "models/params/digital_params.h"
#include "models/params/energy_table.h"
#include "models/params/fabric_params.h"
#include "models/params/pcm_params.h"
#include "models/params/run_params.h"
#include "models/params/sram_params.h"
#include "models/params/tile_params.h"
#include "sim/config/config_error.h"

namespace aimcsim {

struct HardwareConfig {
  TileParams tile;        // [tile]: geometry, timing; tile.numerics = analog numerics
  PcmParams device;       // [device]: PCM noise model (FACTS.md s.1)
  DigitalParams digital;  // [digital]
  SramParams sram;        // [sram]
  FabricParams fabric;    // [fabric]
  EnergyTable energy;     // [energy]: pJ per action, mW leakage
  RunParams run;          // [run]

  std::string source_file;  // the file it was loaded from
  // Where each declared parameter's value came from, by dotted key path
  // (SourceLoc::is_default() for declared defaults).
  std::map<std::string, SourceLoc> provenance;

  // Where `key` came from; a default SourceLoc if unknown.
  SourceLoc source_of(const std::string& key) const;
};

// Reads, resolves and validates a hardware config file. Throws ConfigError.
HardwareConfig load_hardware_config(const std::filesystem::path& file);

// Writes every declared parameter as loadable TOML, one per line, each with a
// comment giving its unit and where its value came from (file:line or default).
void dump_hardware_config(const HardwareConfig& config, std::ostream& out);

// Writes the reference of every declared parameter: key, type, unit, default
// or "required", range and description, grouped by section.
void describe_hardware_params(std::ostream& out);

// configs/default.toml of the source tree (compile definition AIMCSIM_SOURCE_DIR).
std::filesystem::path default_hardware_config_path();

}  // namespace aimcsim
