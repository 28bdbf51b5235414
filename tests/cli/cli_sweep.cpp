// test-links: aimcsim_explore
// `aimcsim sweep` end to end (issue 16): --set on commands that read a hardware config;
// failed points stored while the sweep goes on; a sweep killed with SIGKILL and resumed
// has no lost and no duplicate rows; `mpirun -np 2` gives the serial run's rows;
// show/export (counts, CSV, Pareto).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "cli_support.h"
#include "explore/result_store.h"

using aimcsim::test::read_json;
using aimcsim::test::run_cli;
using namespace aimcsim::explore;

namespace {

const std::string kSrc = AIMCSIM_SOURCE_DIR;

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_cli_sweep_tests";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string fresh_db(const std::string& name) {
  const std::string db = temp_path(name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  return db;
}

// A sweep of resnet8 (CIFAR trace) on default.toml; tile.count = 1 does not fit.
std::string write_spec(const std::string& name, const std::string& axes) {
  const std::string path = temp_path(name);
  std::ofstream(path) << "schema_version = 1\nbase_config = \"" << kSrc
                      << "/configs/default.toml\"\n"
                      << axes << "[[workload]]\ntrace = \"" << kSrc
                      << "/traces/resnet8_cifar.trace\"\nmappings = [\"all-analog\"]\n";
  return path;
}

const std::string kSmallAxes =
    "[[axis]]\nkey = \"tile.count\"\nvalues = [1, 16, 64]\n"
    "[[axis]]\nkey = \"tile.adc_bits\"\nvalues = [4, 8]\n";

// key -> "status|metrics..." of every row (what must not depend on rank, host or time).
std::map<std::string, std::string> row_fingerprints(const std::string& db) {
  const ResultStore store(db);
  const ResultTable t = store.read_points();
  std::map<std::string, std::string> out;
  const int first_metric = t.column("latency_ns");
  for (const auto& row : t.rows) {
    std::string text = cell_text(row[t.column("status")]) + "|" + cell_text(row[t.column("point")]);
    for (std::size_t c = first_metric; c < row.size(); ++c) text += "|" + cell_text(row[c]);
    out[cell_text(row[t.column("key")])] = text;
  }
  return out;
}

// Runs a shell command in the source tree, stderr merged into stdout.
aimcsim::test::CliResult run_shell(const std::string& command) {
  aimcsim::test::CliResult result;
  FILE* pipe = popen(("cd " + kSrc + " && " + command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

TEST_CASE("--set overrides a key on run and config dump, errors name the flag") {
  const std::string json = temp_path("set_run.json");
  const auto run = run_cli(
      "run --hw configs/default.toml --trace traces/resnet8_cifar.trace "
      "--mapping all-analog --set tile.count=32 --json " +
      json);
  REQUIRE(run.exit_code == 0);
  CHECK(read_json(json)["tiles_available"] == 32);
  const auto dump = run_cli("config dump configs/hermes.toml --set tile.adc_bits=6");
  CHECK(dump.exit_code == 0);
  const auto at = dump.output.find("\nadc_bits ");
  REQUIRE(at != std::string::npos);
  const std::string line = dump.output.substr(at + 1, dump.output.find('\n', at + 1) - at - 1);
  CHECK(line.find("= 6 ") != std::string::npos);
  CHECK(line.find("# [bits] --set tile.adc_bits=6") != std::string::npos);
  const auto bad = run_cli(
      "run --hw configs/default.toml --trace traces/resnet8_cifar.trace "
      "--mapping all-analog --set tile.adc_bit=6");
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("aimcsim: error: --set tile.adc_bit=6: tile.adc_bit: unknown key (did "
                        "you mean tile.adc_bits?)") != std::string::npos);
  const auto range = run_cli("peak --hw configs/hermes.toml --set tile.count=0");
  CHECK(range.exit_code == 1);
  CHECK(range.output.find("--set tile.count=0: tile.count: expected integer") != std::string::npos);
}

TEST_CASE("a sweep stores failed points and goes on, a rerun skips them, show and export") {
  const std::string spec = write_spec("small.toml", kSmallAxes);
  const std::string db = fresh_db("small.sqlite");
  const auto first = run_cli("sweep " + spec + " --db " + db + " --no-progress");
  REQUIRE_MESSAGE(first.exit_code == 0, first.output);
  CHECK(first.output.find("6 points in " + db + ": 0 already stored, 6 run now (2 failed)") !=
        std::string::npos);
  const ResultTable t = ResultStore(db).read_points();
  REQUIRE(t.rows.size() == 6);
  int failed = 0;
  for (const auto& row : t.rows) {
    const bool fits = cell_text(row[t.column("tile_count")]) != "1";
    CHECK(cell_text(row[t.column("status")]) == (fits ? "ok" : "failed"));
    CHECK(cell_number(row[t.column("latency_ns")]).has_value() == fits);
    if (!fits) {
      ++failed;
      CHECK(cell_text(row[t.column("error")]).find("tile") != std::string::npos);
    }
  }
  CHECK(failed == 2);
  const auto again = run_cli("sweep " + spec + " --db " + db + " --no-progress");
  CHECK(again.output.find("6 already stored, 0 run now") != std::string::npos);

  const auto show = run_cli("sweep show --db " + db);
  CHECK(show.output.find("6 of 6 points stored: 4 ok, 2 failed") != std::string::npos);
  CHECK(show.output.find("tile_adc_bits") != std::string::npos);  // per-axis effect rows
  const std::string csv = temp_path("small.csv");
  CHECK(run_cli("sweep export --db " + db + " --csv " + csv).exit_code == 0);
  std::ifstream in(csv);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  CHECK(lines == 7);
  const auto pareto = run_cli("sweep export --db " + db + " --pareto latency_ns,energy_pj");
  CHECK(pareto.exit_code == 0);
  CHECK(pareto.output.find(",failed,") == std::string::npos);
  const auto unknown = run_cli("sweep export --db " + db + " --pareto latency");
  CHECK(unknown.exit_code == 0);  // the unique column starting with "latency"
  const auto bad = run_cli("sweep export --db " + db + " --pareto speed");
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("'speed' is no metric column") != std::string::npos);
}

TEST_CASE("spec errors stop the sweep before any point, at file:line") {
  const std::string spec =
      write_spec("bad.toml", "[[axis]]\nkey = \"tile.count\"\nvalues = [16, 0]\n");
  const std::string db = fresh_db("bad.sqlite");
  const auto r = run_cli("sweep " + spec + " --db " + db);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find(spec + ":5: tile.count: expected integer [tiles], >= 1") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("a sweep killed with SIGKILL and resumed has no lost and no duplicate rows") {
  const std::string spec = write_spec("kill.toml",
                                      "[[axis]]\nkey = \"tile.count\"\nrange = [16, 64, 4]\n"
                                      "[[axis]]\nkey = \"tile.adc_bits\"\nvalues = [4, 6, 8]\n");
  const std::string db = fresh_db("kill.sqlite");
  const std::string cli = AIMCSIM_CLI_PATH;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(cli.c_str(), cli.c_str(), "sweep", spec.c_str(), "--db", db.c_str(), "--no-progress",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once a few points are stored (well before all 39).
  std::size_t stored = 0;
  for (int i = 0; i < 600 && stored < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (std::filesystem::exists(db)) {
      try {
        stored = ResultStore(db).read_points().rows.size();
      } catch (const std::exception&) {
        stored = 0;  // the table is not created yet
      }
    }
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));
  const std::size_t before = ResultStore(db).read_points().rows.size();
  CHECK(before >= 4);
  CHECK(before < 39);

  const auto resumed = run_cli("sweep " + spec + " --db " + db + " --no-progress");
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.output);
  CHECK(resumed.output.find(std::to_string(before) + " already stored, " +
                            std::to_string(39 - before) + " run now") != std::string::npos);
  const ResultTable t = ResultStore(db).read_points();
  CHECK(t.rows.size() == 39);
  std::set<std::string> keys, points;
  for (const auto& row : t.rows) {
    keys.insert(cell_text(row[t.column("key")]));
    points.insert(cell_text(row[t.column("point")]));
    CHECK(cell_text(row[t.column("status")]) == "ok");
  }
  CHECK(keys.size() == 39);
  CHECK(points.size() == 39);
}

TEST_CASE("mpirun -np 2 gives the same rows as the serial run") {
  const std::string spec = write_spec("mpi.toml", kSmallAxes);
  const std::string serial = fresh_db("mpi_serial.sqlite");
  REQUIRE(run_cli("sweep " + spec + " --db " + serial + " --no-progress").exit_code == 0);
  const std::string mpirun = "mpirun -np 2 --oversubscribe" +
                             std::string(geteuid() == 0 ? " --allow-run-as-root" : "") + " ";
  for (const std::string flags : {"", " --rank0-idle"}) {
    const std::string db = fresh_db("mpi_2ranks.sqlite");
    const auto r = run_shell(mpirun + AIMCSIM_CLI_PATH + " sweep " + spec + " --db " + db +
                             " --no-progress" + flags);
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    CHECK(r.output.find("on 2 rank(s)") != std::string::npos);
    CHECK(row_fingerprints(db) == row_fingerprints(serial));
    if (!flags.empty()) {  // rank 0 only dispatched: rank 1 ran every point
      const ResultTable t = ResultStore(db).read_points();
      for (const auto& row : t.rows) CHECK(cell_text(row[t.column("rank")]) == "1");
    }
  }
}

TEST_CASE("AnalogNAS-Bench: a [bench] sweep over two tiny cells, resumed, and sweep query") {
  const std::string spec = temp_path("bench.toml");
  const std::string work = temp_path("bench-work");
  std::filesystem::remove_all(work);
  std::ofstream(spec) << "schema_version = 1\nbase_config = \"" << kSrc
                      << "/configs/default.toml\"\n[bench]\ncells = [\"333133\", \"221140\"]\n"
                         "cells_per_stage = 1\nfp_epochs = 1\ntrain_limit = 256\nhwa_epochs = 1\n"
                         "batch_size = 64\neval_seeds = 1\ntest_limit = 100\nwork_dir = \""
                      << work << "\"\n";
  const std::string db = fresh_db("bench.sqlite");
  const auto r = run_cli("sweep " + spec + " --db " + db + " --no-progress");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  {
    const ResultStore store(db);
    const ResultTable t = store.read_points();
    REQUIRE(t.rows.size() == 2);
    for (const auto& row : t.rows) {
      CHECK(cell_text(row[t.column("status")]) == "ok");
      for (const char* col : {"baseline_pct", "int8_pct", "noisy_1s_mean_pct",
                              "analog_30d_mean_pct", "avm_noisy_pct", "latency_ns"}) {
        CAPTURE(col);
        REQUIRE(t.column(col) >= 0);
        CHECK(cell_number(row[t.column(col)]).has_value());
      }
    }
    CHECK(cell_text(t.rows[1][t.column("ops_none")]) == "1");
    CHECK(cell_text(t.rows[1][t.column("ops_conv1x1")]) == "2");
  }
  // A rerun skips both cells.
  const auto again = run_cli("sweep " + spec + " --db " + db + " --no-progress");
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find("2 already stored, 0 run now") != std::string::npos);
  const auto q = run_cli("sweep query 221140 --db " + db);
  CHECK(q.exit_code == 0);
  CHECK(q.output.find("baseline_pct") != std::string::npos);
  CHECK(q.output.find("221140") != std::string::npos);
  const auto missing = run_cli("sweep query 444444 --db " + db);
  CHECK(missing.exit_code == 1);
  CHECK(missing.output.find("cell 444444") != std::string::npos);
  const auto bad = run_cli("sweep query 999999 --db " + db);
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("invalid NAS-Bench-201 cell code '999999'") != std::string::npos);
  // A bad code in the spec is an error at its line, before any point runs.
  const std::string bad_spec = temp_path("bench-bad.toml");
  std::ofstream(bad_spec) << "schema_version = 1\nbase_config = \"" << kSrc
                          << "/configs/default.toml\"\n[bench]\ncells = [\"33313x\"]\n";
  const auto b = run_cli("sweep " + bad_spec + " --db " + fresh_db("bench-bad.sqlite"));
  CHECK(b.exit_code != 0);
  CHECK(b.output.find("bench-bad.toml:4") != std::string::npos);
  CHECK(b.output.find("invalid NAS-Bench-201 cell code '33313x'") != std::string::npos);
  std::filesystem::remove_all(work);
}
