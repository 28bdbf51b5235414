// `aimcsim map METHOD`: finds a mapping for a trained model and writes it as a file that
// `eval` and `run` accept, plus a JSON report of how it was found.
//
// Methods: hilal, hilal-hni, hilal-scr (mapping/hilal_run.h: Hessian sensitivity,
// z-scored k-means, robust cluster analog, the rest --digital), hilal-energy
// (mapping/hilal_energy.h: the Pareto front of sensitivity vs simulated saving) and the baselines
// all-digital (FP16), all-digital-int8, all-analog, first-last-digital (first and last
// mappable layer --digital, the rest analog). HILAL methods end with LAFT (mapping/laft.h)
// unless --no-laft; lionheart is mapping/lionheart.h. Both fine-tuning searches keep their
// per-stage state in --run-dir (an interrupted run resumes) and name the fine-tuned
// weights in the report ("checkpoint_out"), which `compare` evaluates the mapping with.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/hw_overrides.h"
#include "cli/map_search.h"

namespace aimcsim::cli {

void add_map_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<MapOptions>();
  CLI::App* cmd = app.add_subcommand(
      "map",
      "Find a mapping (which layers run analog) for a trained model and write it as a "
      "file that `eval` and `run` accept");
  cmd->add_option("method", o->method, map_methods_text())->required();
  cmd->add_option("--hw", o->hw, "Hardware config (TOML)")->required()->check(CLI::ExistingFile);
  add_set_option(*cmd, o->hw_sets);
  cmd->add_option("--model", o->model, "Zoo model name (must match the checkpoint)")->required();
  cmd->add_option("--ckpt", o->ckpt, "Checkpoint written by `aimcsim train`")->required();
  cmd->add_option("--out", o->out, "Mapping file to write (.toml or .json)")->required();
  cmd->add_option("--json", o->json, "Write the report (features, clusters, times) as JSON");
  cmd->add_flag("--no-laft", o->no_laft, "HILAL: stop after the clustering (no fine-tuning)");
  cmd->add_option("--run-dir", o->run_dir,
                  "LAFT/LionHEART/MPS: folder of the per-stage state (resume) and outputs "
                  "(finetuned.pt, mapping.json, report.json); default OUT_STEM.run")
      ->capture_default_str();
  cmd->add_option("--cache-dir", o->cache_dir,
                  "Folder of the simulated-report cache (default $XDG_CACHE_HOME/aimcsim/oracle "
                  "or ~/.cache/aimcsim/oracle)");
  cmd->add_flag("--no-cache", o->no_cache, "Simulate every mapping; read and write no cache");
  cmd->add_option("--stop-after", o->stop_after,
                  "LAFT/LionHEART/MPS: return after N stages (MPS: epochs + ranking steps) of "
                  "this call (resume later)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--objective", o->objective, "hilal-energy: saving to trade against sensitivity")
      ->check(CLI::IsMember({"energy", "latency"}))
      ->capture_default_str();
  cmd->add_option("--budget", o->budget,
                  "hilal-energy: delta_loss budget of the selected point (< 0: what plain "
                  "HILAL's robust cluster spends)")
      ->capture_default_str();
  cmd->add_option("--front-points", o->front_points,
                  "hilal-energy: front points simulated and written (STEM.front-I.EXT)")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000}))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of calibration choice, probes, k-means restarts")
      ->capture_default_str();
  cmd->add_option("--digital", o->digital, "Target of the layers kept digital")
      ->check(CLI::IsMember({"fp16", "int8"}))
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the gzipped Fashion-MNIST IDX files")
      ->capture_default_str();
  add_search_options(cmd, *o, "--batch-size");
  cmd->callback([o, &exit_code] {
    run_map(*o);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
