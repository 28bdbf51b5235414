// `aimcsim peak`: peak MVM throughput (TOPS, 2 ops per MAC, all tiles busy)
// and efficiency (TOPS/W) of the analog array of a hardware config, from the
// simulator's own timing and action models (sim/report/peak.h).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/hw_overrides.h"
#include "models/error.h"
#include "sim/config/hardware_config.h"
#include "sim/report/peak.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {
namespace {

struct PeakOptions {
  std::string hw_path;
  std::vector<std::string> sets;  // --set KEY=VALUE
  std::string phases;             // "", "one" or "four": overrides tile.mvm_phases
  std::string json_path;
};

void run_peak(const PeakOptions& o) {
  HardwareConfig config = load_hardware_with_sets(o.hw_path, o.sets);
  if (o.phases == "one") config.tile.mvm_phases = MvmPhases::kOnePhase;
  if (o.phases == "four") config.tile.mvm_phases = MvmPhases::kFourPhase;
  const PeakFigures p = analog_peak(config);
  std::cout << fmt::format(
      "analog array of {}: {} tiles of {} x {}, {}-phase MVM of {:.1f} ns, {:.1f} pJ\n"
      "peak throughput  {:.2f} TOPS\nefficiency       {:.2f} TOPS/W\npower            {:.2f} W\n",
      config.source_file, p.tiles, p.rows, p.cols, p.phases, p.mvm_ns, p.mvm_energy_pj, p.peak_tops,
      p.tops_per_w, p.power_w);
  if (!o.json_path.empty()) write_text_file(o.json_path, peak_to_json(p).dump(2) + "\n");
}

}  // namespace

void add_peak_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<PeakOptions>();
  CLI::App* cmd = app.add_subcommand(
      "peak", "Peak TOPS and TOPS/W of a config's analog array (all tiles busy)");
  cmd->add_option("--hw", o->hw_path, "Hardware config (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  add_set_option(*cmd, o->sets);
  cmd->add_option("--phases", o->phases, "Override tile.mvm_phases: one or four")
      ->check(CLI::IsMember({"one", "four"}));
  cmd->add_option("--json", o->json_path, "Write peak_tops, tops_per_w, ... as JSON");
  cmd->callback([o, &exit_code] {
    run_peak(*o);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
