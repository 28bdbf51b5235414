// What-if overrides of hardware-config keys (DESIGN.md s.8): `--set KEY=VALUE` on the
// command line, and the axis values of a sweep spec. An override is one more assignment
// of a dotted key, applied after every file (and include) of the config, so it wins.
//
// Contract: an override is checked exactly like a key in a file (the parameter table of
// param_table.h): an unknown key gets the loader's "did you mean" suggestion, a wrong type
// or an out-of-range value names the key and what was expected; cross-field rules run on
// the config with every override applied. Every diagnostic about an override is located
// at its `value.where` (for `--set`: the flag itself, e.g. `--set tile.rows=abc`, so
// errors name the flag), and `config dump` shows that as the value's origin.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/hardware_config.h"
#include "sim/config/raw_config.h"

namespace aimcsim {

struct ConfigOverride {
  std::string key;  // dotted key path, e.g. "tile.adc_bits"
  RawValue value;   // typed as TOML would type it; value.where = its origin
};

// A scalar from its text as TOML reads it: 42 -> integer, 0.5 / 1e3 -> float, true/false
// -> boolean, "quoted" -> string; anything that is not a TOML scalar (auto, 1d, pulse-width)
// is the string itself, so choices need no quotes on a shell command line.
RawValue parse_override_value(std::string_view text, SourceLoc where);

// Parses one `--set` argument "KEY=VALUE". Throws ConfigError (located at the flag) if
// there is no '=' or the key is empty. Does not check the key: the loader does.
ConfigOverride parse_set_flag(std::string_view text);
std::vector<ConfigOverride> parse_set_flags(const std::vector<std::string>& texts);

// load_hardware_config(file) with `overrides` applied in order after the files.
// Throws ConfigError listing every problem, those of the overrides included.
HardwareConfig load_hardware_config(const std::filesystem::path& file,
                                    const std::vector<ConfigOverride>& overrides);

// Checks one override against the parameter table alone (known key, type, range), adding
// a diagnostic at override.value.where for each problem. Cross-field rules are not run.
// Returns true if it is valid.
bool check_config_override(const ConfigOverride& override, Diagnostics& diagnostics);

}  // namespace aimcsim
