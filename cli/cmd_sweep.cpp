// `aimcsim sweep SPEC.toml --db RESULTS.sqlite`: a design-space sweep (explore/), serially
// or under `mpirun -np N`; `aimcsim sweep show|export --db ...`: counts, per-axis effects,
// CSV and Pareto rows of a results store. This file only parses flags and prints; the
// engine is explore/ (sweep_driver.h, sweep_analysis.h).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "explore/sweep_analysis.h"
#include "explore/sweep_driver.h"
#include "models/error.h"
#include "nn/train/progress_bar.h"
#include "nn/zoo/nasbench201_code.h"

namespace aimcsim::cli {
namespace {

using namespace aimcsim::explore;

struct SweepCommandOptions {
  SweepOptions run;
  bool no_progress = false;
  bool rank0_idle = false;
  std::string db, csv, pareto, metrics;
  std::string query;  // sweep query: a NAS-Bench-201 cell code
};

int run_sweep_command(SweepCommandOptions& o) {
  o.run.db_path = o.db;
  o.run.rank0_runs_points = !o.rank0_idle;
  std::optional<nn::ProgressBar> bar;
  const auto progress = [&](const SweepProgress& p) {
    if (!bar) {
      std::cout << fmt::format("sweep: {}: {} points, {} already in {}, {} to run\n",
                               o.run.spec_file, p.total, p.done - p.ran, o.db, p.to_run)
                << std::flush;
      bar.emplace("sweep", p.to_run, !o.no_progress);
    }
    bar->update(p.ran, fmt::format("{} failed, {:.2f} pt/s", p.failed,
                                   p.ran / std::max(bar->elapsed_s(), 1e-9)));
  };
  const SweepOutcome out = run_sweep(o.run, progress);
  if (!out.is_rank0) return out.validation_failed ? 1 : 0;
  if (bar) bar->finish(fmt::format("{} failed", out.failed));
  std::cout << fmt::format(
      "sweep: {} points in {}: {} already stored, {} run now ({} failed) in {:.2f} s on {} "
      "rank(s) = {:.2f} points/s\n",
      out.total, o.db, out.skipped, out.ran, out.failed, out.wall_s, out.ranks,
      out.wall_s > 0 ? out.ran / out.wall_s : 0.0);
  std::cout << fmt::format(
      "sweep: rank 0: keys of all points {:.3f} s; {} MPI messages ({:.1f} us each); {} "
      "database writes ({:.1f} us each)\n",
      out.key_s, out.messages, out.messages ? 1e6 * out.message_s / out.messages : 0.0,
      out.db_writes, out.db_writes ? 1e6 * out.db_write_s / out.db_writes : 0.0);
  return 0;
}

void print_show(const SweepCommandOptions& o) {
  const ResultStore store(o.db);
  const ResultTable table = store.read_points();
  const SweepSummary s = summarise_sweep(store, table);
  std::cout << fmt::format("{}: {} of {} points stored: {} ok, {} failed\n", o.db, s.stored,
                           s.total_points < 0 ? std::string("?") : std::to_string(s.total_points),
                           s.ok, s.failed);
  for (const auto& [who, n] : s.by_rank_host) std::cout << fmt::format("  {}: {} points\n", who, n);
  std::cout << fmt::format("  points' wall time: {:.1f} s in total\n", s.point_wall_s);
  for (const auto& [error, n] : s.errors) std::cout << fmt::format("  failed x{}: {}\n", n, error);
  std::vector<std::string> metrics = split_list(o.metrics);
  if (metrics.empty()) {
    metrics = {"latency_ns", "energy_pj"};
    for (const auto& m : s.metrics) {
      if (m.rfind("accuracy_", 0) == 0 && m.find("_mean_pct") != std::string::npos)
        metrics.push_back(m);
    }
  }
  const auto effects = axis_effects(table, s.axes, metrics);
  if (effects.empty()) return;
  std::cout << "\nper-axis effect (mean of the metric at each value over the other axes; "
               "spread = (max - min) / mean):\n";
  std::cout << fmt::format("{:<14} {:<18} {:<24} {:>9}  {}\n", "workload", "axis", "metric",
                           "spread", "mean by value");
  for (const auto& e : effects) {
    std::string values;
    for (const auto& [v, mean] : e.mean_by_value) values += fmt::format("{}: {:.4g}  ", v, mean);
    std::cout << fmt::format("{:<14} {:<18} {:<24} {:>8.2f}%  {}\n", e.workload, e.axis, e.metric,
                             e.spread_pct, values);
  }
}

void write_export(const SweepCommandOptions& o) {
  const ResultStore store(o.db);
  const ResultTable table = store.read_points();
  std::vector<std::size_t> rows;
  if (o.pareto.empty()) {
    for (std::size_t r = 0; r < table.rows.size(); ++r) rows.push_back(r);
  } else {
    const SweepSummary s = summarise_sweep(store, table);
    rows = pareto_rows(table, resolve_objectives(table, s.metrics, o.pareto));
  }
  if (o.csv.empty() || o.csv == "-") {
    write_results_csv(table, rows, std::cout);
    return;
  }
  std::ofstream out(o.csv);
  if (!out) throw Error("sweep export: cannot write " + o.csv);
  write_results_csv(table, rows, out);
  std::cerr << fmt::format("sweep export: {} rows to {}\n", rows.size(), o.csv);
}

// `sweep query CODE --db`: every stored column of the rows whose workload is that
// NAS-Bench-201 cell (an AnalogNAS-Bench database; CODE as digits or arch string), like the
// benchmark's API. Exit 1 when the database has no such cell.
int print_query(const SweepCommandOptions& o) {
  const std::string digits = nn::parse_nb201_code(o.query).digits();
  const ResultStore store(o.db);
  const ResultTable table = store.read_points();
  const int workload = table.column("workload");
  if (workload < 0) throw Error("sweep query: " + o.db + " has no workload column");
  int found = 0;
  for (const auto& row : table.rows) {
    if (cell_text(row[static_cast<std::size_t>(workload)]) != digits) continue;
    ++found;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      std::cout << fmt::format("{:<26} {}\n", table.columns[c], cell_text(row[c]));
    }
    std::cout << "\n";
  }
  if (found == 0) {
    std::cerr << fmt::format("aimcsim: error: sweep query: cell {} ({}) is not in {}\n", digits,
                             nn::parse_nb201_code(digits).arch_string(), o.db);
    return 1;
  }
  return 0;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SweepCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Design-space sweep: run every point of SPEC.toml (axes over config keys x workloads x "
      "mappings) into a SQLite database, resuming a killed run; under `mpirun -np N` rank 0 "
      "hands out points and writes the database. `sweep show|export` read the results.");
  cmd->require_subcommand(0, 1);
  cmd->add_option("spec", o->run.spec_file, "Sweep spec (TOML; format: explore/sweep_spec.h)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--db", o->db, "Results database (SQLite, created if missing)");
  cmd->add_flag("--no-progress", o->no_progress, "No progress bar on stderr");
  cmd->add_flag("--rank0-idle", o->rank0_idle,
                "Under MPI: rank 0 only hands out points and writes (default: it also runs "
                "points on a second thread)");

  CLI::App* show =
      cmd->add_subcommand("show", "Counts, failures and per-axis effects of a results database");
  show->add_option("--db", o->db, "Results database")->required()->check(CLI::ExistingFile);
  show->add_option("--metrics", o->metrics,
                   "Metrics for the per-axis effects (default latency_ns,energy_pj and accuracy)");
  show->callback([o, &exit_code] {
    print_show(*o);
    exit_code = 0;
  });
  CLI::App* exp = cmd->add_subcommand("export", "Rows of a results database as CSV");
  exp->add_option("--db", o->db, "Results database")->required()->check(CLI::ExistingFile);
  exp->add_option("--csv", o->csv, "CSV file to write (default: stdout)");
  exp->add_option("--pareto", o->pareto,
                  "Only the Pareto-optimal rows over these metrics, e.g. "
                  "latency_ns,energy_pj,accuracy (+NAME maximises, -NAME minimises)");
  exp->callback([o, &exit_code] {
    write_export(*o);
    exit_code = 0;
  });
  CLI::App* query = cmd->add_subcommand(
      "query", "AnalogNAS-Bench: the stored metrics of one NAS-Bench-201 cell ([bench] sweeps)");
  query->add_option("code", o->query, "Cell code: 6 digits (e.g. 333133) or the arch string")
      ->required();
  query->add_option("--db", o->db, "Results database")->required()->check(CLI::ExistingFile);
  query->callback([o, &exit_code] { exit_code = print_query(*o); });
  cmd->callback([o, cmd, show, exp, query, &exit_code] {
    if (show->parsed() || exp->parsed() || query->parsed()) return;
    if (o->run.spec_file.empty() || o->db.empty()) {
      throw Error("sweep: give SPEC.toml and --db RESULTS.sqlite (or: sweep show|export --db ...)");
    }
    exit_code = run_sweep_command(*o);
  });
}

}  // namespace aimcsim::cli
