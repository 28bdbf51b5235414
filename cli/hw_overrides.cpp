// `--set KEY=VALUE` (hw_overrides.h).
#include "cli/hw_overrides.h"

#include <CLI/CLI.hpp>

#include "sim/config/config_override.h"

namespace aimcsim::cli {

void add_set_option(CLI::App& cmd, std::vector<std::string>& sets) {
  cmd.add_option("--set", sets,
                 "What-if override of a hardware-config key, after the config file "
                 "(repeatable): --set tile.adc_bits=6 --set tile.count=32; checked like a key "
                 "in the file (`aimcsim config keys` lists them)")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
}

HardwareConfig load_hardware_with_sets(const std::string& path,
                                       const std::vector<std::string>& sets) {
  return load_hardware_config(path, parse_set_flags(sets));
}

}  // namespace aimcsim::cli
