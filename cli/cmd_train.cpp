// Placeholder until the train subcommand lands.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace aimcsim::cli {
void add_train_command(CLI::App& app, int& exit_code) { (void)app; (void)exit_code; }
}  // namespace aimcsim::cli
