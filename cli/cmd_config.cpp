// `aimcsim config check|dump|keys`: validate hardware TOML configs, print the
// resolved parameters with their provenance, list every known key.
//
// Exit codes: 0 valid; 1 a config has problems (one line each on stderr, form
// `FILE:LINE: key.path: what was expected`).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/hw_overrides.h"
#include "sim/config/hardware_config.h"

namespace aimcsim::cli {
namespace {

// Loads `file`; on failure prints each diagnostic on its own line to stderr.
bool try_load(const std::string& file, const std::vector<std::string>& sets, HardwareConfig& out) {
  try {
    out = load_hardware_with_sets(file, sets);
    return true;
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
    std::cerr << file << ": " << e.diagnostics().size()
              << (e.diagnostics().size() == 1 ? " problem\n" : " problems\n");
    return false;
  }
}

}  // namespace

void add_config_command(CLI::App& app, int& exit_code) {
  auto* config = app.add_subcommand(
      "config", "Check, dump or list hardware configs (TOML, see `aimcsim config keys`)");
  config->require_subcommand(1);

  auto* check = config->add_subcommand(
      "check",
      "Validate hardware config files strictly: unknown keys, types, ranges, required keys, "
      "includes and cross-field rules. Prints `FILE: ok`, or one line per problem "
      "(FILE:LINE: key: expected ...) and exits 1.");
  auto check_files = std::make_shared<std::vector<std::string>>();
  check->add_option("files", *check_files, "Hardware config TOML file(s)")->required();
  auto sets = std::make_shared<std::vector<std::string>>();
  add_set_option(*check, *sets);
  check->callback([check_files, sets, &exit_code] {
    exit_code = 0;
    for (const auto& file : *check_files) {
      HardwareConfig config;
      if (try_load(file, *sets, config)) {
        std::cout << file << ": ok\n";
      } else {
        exit_code = 1;
      }
    }
  });

  auto* dump = config->add_subcommand(
      "dump",
      "Print every resolved parameter as loadable TOML, with its unit and where its value "
      "came from (file:line, the --set flag, or default).");
  auto dump_file = std::make_shared<std::string>(default_hardware_config_path().string());
  dump->add_option("file", *dump_file, "Hardware config TOML file")->capture_default_str();
  add_set_option(*dump, *sets);
  dump->callback([dump_file, sets, &exit_code] {
    HardwareConfig config;
    if (!try_load(*dump_file, *sets, config)) {
      exit_code = 1;
      return;
    }
    dump_hardware_config(config, std::cout);
    exit_code = 0;
  });

  auto* keys = config->add_subcommand(
      "keys", "List every hardware config key with its type, unit, default, range and meaning.");
  keys->callback([&exit_code] {
    describe_hardware_params(std::cout);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
