// `--set KEY=VALUE` on every subcommand that reads a hardware config (issue 16 item 1):
// the option, and loading a config with the overrides applied (sim/config/config_override.h).
#pragma once

#include <string>
#include <vector>

#include "sim/config/hardware_config.h"

namespace CLI {
class App;
}

namespace aimcsim::cli {

// Adds the repeatable `--set KEY=VALUE` option to `cmd`, collecting into `sets`.
void add_set_option(CLI::App& cmd, std::vector<std::string>& sets);

// load_hardware_config(path) with the `--set` texts applied after the files.
// Throws ConfigError (errors located at the flag) on a malformed flag or a bad value.
HardwareConfig load_hardware_with_sets(const std::string& path,
                                       const std::vector<std::string>& sets);

}  // namespace aimcsim::cli
