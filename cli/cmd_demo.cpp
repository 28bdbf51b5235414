// `aimcsim demo`: the main job on built-in defaults (the README's first command).
// On configs/default.toml and the shipped resnet20 checkpoint it runs `aimcsim compare`
// (cli/compare_rows.h) for all-digital, all-analog, first-last-digital and the three
// searches as shipped from one back-to-back run on this chip (mappings/README.md, each
// report naming its fine-tuned weights): HILAL with LAFT at the reference calibration
// (mappings/resnet20-hilal-ref.*), LionHEART (mappings/resnet20-lionheart-ref.*) and MPS
// (mappings/resnet20-mps.*, the fine-tuned argmax subnet), at 1 day of drift over 5
// programming seeds on all 10,000 test images, prints the table and writes the resolved
// hardware, the JSON, the CSV and the HTML report (report.html; compare prints its path
// after the table) to --out-dir.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/compare_rows.h"
#include "cli/hw_overrides.h"
#include "sim/config/hardware_config.h"

namespace aimcsim::cli {

namespace {

const std::filesystem::path kSource = AIMCSIM_SOURCE_DIR;

struct DemoOptions {
  CompareOptions compare;
  std::filesystem::path out_dir = kSource / "out" / "demo";
};

CompareOptions default_compare() {
  CompareOptions c;
  c.hw_path = default_hardware_config_path().string();
  c.model = "resnet20";
  c.ckpt = (kSource / "checkpoints" / "resnet20.pt").string();
  c.methods = "all-digital,all-analog,first-last-digital";
  for (const char* shipped : {"resnet20-hilal-ref", "resnet20-lionheart-ref", "resnet20-mps"}) {
    const std::string stem = (kSource / "mappings" / shipped).string();
    c.methods += ",file:" + stem + ".toml@" + stem + ".json";
  }
  c.time = "1d";
  c.eval.seeds = 5;
  return c;
}

int run_demo(DemoOptions o) {
  std::filesystem::create_directories(o.out_dir);
  const HardwareConfig hw = load_hardware_with_sets(o.compare.hw_path, o.compare.hw_sets);
  const std::filesystem::path hw_dump = o.out_dir / "hardware.txt";
  {
    std::ofstream out(hw_dump);
    dump_hardware_config(hw, out);
  }
  o.compare.json_path = (o.out_dir / "compare.json").string();
  o.compare.csv_path = (o.out_dir / "compare.csv").string();
  o.compare.html_path = (o.out_dir / "report.html").string();
  std::cout << "aimcsim demo: " << o.compare.model << " (" << o.compare.ckpt << ") on "
            << o.compare.hw_path << ", accuracy at " << o.compare.time << " after programming, "
            << o.compare.eval.seeds << " programming seeds\n"
            << std::endl;  // before the progress bars on stderr
  run_compare(o.compare);
  std::cout << "\nreports: " << o.compare.json_path << ", " << o.compare.csv_path
            << "; resolved hardware: " << hw_dump.string() << "\n";
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DemoOptions>();
  o->compare = default_compare();
  auto* cmd = app.add_subcommand(
      "demo", "The main job on built-in defaults: compare mapping methods on resnet20");
  cmd->add_option("--hw", o->compare.hw_path, "Hardware config")->capture_default_str();
  add_set_option(*cmd, o->compare.hw_sets);
  cmd->add_option("--ckpt", o->compare.ckpt, "resnet20 checkpoint")->capture_default_str();
  cmd->add_option("--methods", o->compare.methods, "Methods (as for compare)")
      ->capture_default_str();
  cmd->add_option("--time", o->compare.time, "Drift time")->capture_default_str();
  cmd->add_option("--seeds", o->compare.eval.seeds, "Programming seeds")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--test-limit", o->compare.test_limit, "First N test images (0 = all)")
      ->capture_default_str();
  cmd->add_option("--out-dir", o->out_dir, "Folder for the reports")->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run_demo(*o); });
}

}  // namespace aimcsim::cli
