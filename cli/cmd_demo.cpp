// `aimcsim demo`: the main job on built-in defaults (README's first command).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"

namespace aimcsim::cli {

void add_demo_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "End-to-end run on built-in defaults");
  cmd->callback([&exit_code] {
    std::cout << "aimcsim demo\n";
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
