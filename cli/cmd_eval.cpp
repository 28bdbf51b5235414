// `aimcsim eval`: test accuracy of a trained model under a mapping at drift times, mean
// and std over programming seeds (nn/eval/evaluate_mapping.h); `--robustness` prints the
// AnalogNAS-Bench metrics (nn/eval/robustness.h).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/hw_overrides.h"
#include "models/device/drift_time.h"
#include "nn/eval/evaluate_mapping.h"
#include "nn/eval/loaded_model.h"
#include "nn/eval/robustness.h"
#include "nn/train/trainer.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {
namespace {

struct EvalCommandOptions {
  std::string model, ckpt, hwa_ckpt, mapping = "all-analog", hw_path, json_path;
  std::string times = "1s";
  std::string data_dir = nn::kFmnistDir;
  nn::EvalOptions eval;
  std::int64_t test_limit = 0;
  bool robustness = false;
  bool no_compensation = false;
  std::vector<std::string> sets;  // --set KEY=VALUE
};

void run_eval(const EvalCommandOptions& o) {
  nn::parse_model_spec(o.model);  // unknown names fail before any loading
  const HardwareConfig config = load_hardware_with_sets(
      o.hw_path.empty() ? default_hardware_config_path().string() : o.hw_path, o.sets);
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain, o.data_dir);
  const nn::Dataset test =
      nn::dataset_head(nn::load_fmnist(nn::Split::kTest, o.data_dir), o.test_limit);
  nn::AnalogSetup setup = nn::analog_setup_of(config);
  if (o.no_compensation) setup.numerics.drift_compensation = false;
  nn::EvalOptions eval = o.eval;
  if (!o.robustness) {
    eval.times_s = parse_drift_times(o.times);
    const nn::EvalResult r =
        nn::evaluate_trained({o.model, o.ckpt, o.mapping}, setup, train, test, eval);
    std::cout << nn::format_eval_table(r);
    if (!o.json_path.empty()) write_text_file(o.json_path, nn::eval_to_json(r).dump(2) + "\n");
    return;
  }
  eval.times_s = nn::robustness_times_s();
  nn::RobustnessReport report;
  report.noisy = nn::evaluate_trained({o.model, o.ckpt, o.mapping}, setup, train, test, eval,
                                      &report.baseline);
  if (!o.hwa_ckpt.empty()) {
    double hwa_fp = 0.0;
    report.analog =
        nn::evaluate_trained({o.model, o.hwa_ckpt, o.mapping}, setup, train, test, eval, &hwa_fp);
    report.hwa_baseline = hwa_fp;
  }
  std::cout << nn::format_robustness(report);
  if (!o.json_path.empty()) {
    write_text_file(o.json_path, nn::robustness_to_json(report).dump(2) + "\n");
  }
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Test accuracy of a trained model under a mapping (analog layers with PCM noise, drift "
      "and compensation; INT8/FP16 digital layers), mean and std over programming seeds");
  cmd->add_option("--model", o->model, "Zoo model name (must match the checkpoint)")->required();
  cmd->add_option("--ckpt", o->ckpt, "Checkpoint written by `aimcsim train`")->required();
  cmd->add_option("--mapping", o->mapping,
                  "Mapping file (.toml/.json, `layer = \"analog|int8|fp16\"`) or preset: "
                  "all-digital (FP16), all-int8, all-analog, first-last-digital")
      ->capture_default_str();
  cmd->add_option("--times", o->times,
                  "Comma-separated times after programming, e.g. 1s,1h,1d,30d,1y")
      ->capture_default_str();
  cmd->add_option("--seeds", o->eval.seeds, "Programming seeds (noise and drift drawn per seed)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--seed", o->eval.seed, "Base seed")->capture_default_str();
  cmd->add_option("--hw", o->hw_path,
                  "Hardware config whose [device] and [tile] give the analog numerics "
                  "(default configs/default.toml)")
      ->check(CLI::ExistingFile);
  add_set_option(*cmd, o->sets);
  cmd->add_option("--json", o->json_path, "Write the result as JSON");
  cmd->add_flag("--no-compensation", o->no_compensation,
                "Switch global drift compensation off (overrides tile.drift_compensation)");
  cmd->add_flag("--robustness", o->robustness,
                "Print the AnalogNAS-Bench metrics (baseline, noisy, analog after HWA, drift "
                "at 60s/1h/1d/30d, AVM) instead of --times");
  cmd->add_option("--hwa-ckpt", o->hwa_ckpt,
                  "HWA-trained checkpoint of the same model, for --robustness's analog rows");
  cmd->add_option("--test-limit", o->test_limit, "Use the first N test images (0 = all 10000)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--batch-size", o->eval.batch_size, "Test images per forward pass")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}))
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Folder of the gzipped Fashion-MNIST IDX files")
      ->capture_default_str();
  cmd->callback([o, &exit_code] {
    run_eval(*o);
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
