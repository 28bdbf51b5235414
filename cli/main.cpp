// aimcsim: entry point. Parses the command line with CLI11, runs one subcommand,
// prints any input error as one line `aimcsim: error: ...` and exits non-zero.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <map>
#include <string>

#include "cli/commands.h"
#include "models/error.h"
#include "models/host/allocator_tuning.h"

// libsystemc references sc_main; aimcsim drives the kernel through sc_start()
// from its own main, so this is never called.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

namespace {

const std::map<std::string, spdlog::level::level_enum> kLogLevels = {
    {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug}, {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},   {"error", spdlog::level::err},   {"off", spdlog::level::off}};

}  // namespace

int main(int argc, char** argv) {
  aimcsim::tune_allocator_for_tensors();
  CLI::App app{
      "aimcsim: simulate neural-network inference on accelerators that mix analog "
      "in-memory-computing tiles with digital cores, and search which layers go analog."};
  app.set_version_flag("--version", std::string("aimcsim ") + AIMCSIM_VERSION);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Log verbosity on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.require_subcommand(1);
  app.fallthrough();

  int exit_code = 0;
  aimcsim::cli::add_config_command(app, exit_code);
  aimcsim::cli::add_graph_command(app, exit_code);
  aimcsim::cli::add_train_command(app, exit_code);
  aimcsim::cli::add_demo_command(app, exit_code);
  aimcsim::cli::add_run_command(app, exit_code);
  aimcsim::cli::add_peak_command(app, exit_code);
  aimcsim::cli::add_eval_command(app, exit_code);
  aimcsim::cli::add_map_command(app, exit_code);
  aimcsim::cli::add_compare_command(app, exit_code);
  aimcsim::cli::add_sweep_command(app, exit_code);
  aimcsim::cli::add_report_command(app, exit_code);

  app.parse_complete_callback([&] {
    spdlog::set_default_logger(spdlog::stderr_color_mt("aimcsim"));
    spdlog::set_pattern("[%l] %v");
    spdlog::set_level(kLogLevels.at(log_level));
    torch::set_num_threads(2);  // LibTorch defaults to one thread here.
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line (CLI11's own handler prints two), its exit code kept: a missing file,
    // an unknown flag, a bad value.
    std::cerr << "aimcsim: error: " << e.what() << " (see --help)\n";
    return e.get_exit_code();
  } catch (const aimcsim::Error& e) {
    std::cerr << "aimcsim: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "aimcsim: internal error: " << e.what() << "\n";
    return 3;
  }
  return exit_code;
}
