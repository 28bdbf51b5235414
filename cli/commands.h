// Subcommands of the aimcsim executable. Each add_*_command() attaches one
// CLI11 subcommand to the app; its callback writes the process exit code into
// `exit_code` (0 on success). Errors in user input are thrown as aimcsim::Error
// and printed by main() in one line.
#pragma once

namespace CLI {
class App;
}

namespace aimcsim::cli {

void add_config_command(CLI::App& app, int& exit_code);
void add_graph_command(CLI::App& app, int& exit_code);
void add_train_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_peak_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);
void add_map_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);

}  // namespace aimcsim::cli
