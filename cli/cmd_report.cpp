// `aimcsim report INPUT.json... --out report.html`: one self-contained HTML page with the
// charts of run, eval, compare, map, sweep and Perfetto-trace JSON files (report/html_report.h).
// This file only parses flags.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "report/html_report.h"

namespace aimcsim::cli {

void add_report_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::vector<std::string> inputs;
    std::string out = "report.html";
    std::string title = "aimcsim report";
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write one self-contained offline HTML page with charts (Vega) and tables from the JSON "
      "of run, eval, compare, map, a sweep table or a Perfetto trace of run --trace-out");
  cmd->add_option("inputs", o->inputs,
                  "JSON files: run --json, run --trace-out, eval --json, eval --robustness --json, "
                  "compare --json, map --json, sweep tables (report/sweep_table.h)");
  cmd->add_option("--out", o->out, "HTML file to write")->capture_default_str();
  cmd->add_option("--title", o->title, "Page title")->capture_default_str();
  cmd->callback([o, &exit_code] {
    report::write_html_report_from_files(o->inputs, o->out, o->title);
    std::cout << o->out << "\n";
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
