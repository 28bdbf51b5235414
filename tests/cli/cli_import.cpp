// test-links: aimcsim_sim
// `aimcsim graph --onnx/--csv` and `run --onnx`: an import converts to a trace
// that reads back with the same totals; `run` accepts the ONNX default mapping;
// bad input gives one line naming the file and a non-zero exit.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_support.h"
#include "sim/graph/trace_reader.h"
#include "sim/import/onnx_import.h"

using aimcsim::test::read_json;
using aimcsim::test::run_cli;

namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_cli_import_tests";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("graph --onnx --write-trace converts, the trace reads back equal") {
  const std::string trace = temp_path("tiny_encoder.trace");
  const std::string mapping = temp_path("qdq_default.toml");
  const auto r = run_cli("graph --onnx tests/data/onnx/tiny_encoder.onnx --write-trace " + trace);
  REQUIRE(r.exit_code == 0);
  const aimcsim::Graph imported =
      aimcsim::import_onnx_file(
          std::string(AIMCSIM_SOURCE_DIR) + "/tests/data/onnx/tiny_encoder.onnx", {})
          .graph;
  CHECK(aimcsim::read_trace_file(trace) == imported);
  const auto q = run_cli("graph --onnx tests/data/onnx/qdq.onnx --write-mapping " + mapping);
  REQUIRE(q.exit_code == 0);
  std::ifstream in(mapping);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("\"conv1\" = \"int8\"") != std::string::npos);
}

TEST_CASE("run --onnx with the default mapping, graph --csv, unknown ops warn") {
  const std::string json = temp_path("run_qdq.json");
  const auto r = run_cli(
      "run --hw configs/hermes.toml --onnx tests/data/onnx/qdq.onnx --mapping "
      "default --json " +
      json);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(read_json(json).dump().find("latency") != std::string::npos);
  const std::string csv = temp_path("net.csv");
  std::ofstream(csv) << "32,32,3,3,3,16,1,1\n16,16,16,3,3,32,0,1\n";
  CHECK(run_cli("graph --csv " + csv).exit_code == 0);
  const auto u = run_cli("graph --onnx tests/data/onnx/unknown_op.onnx --unknown-ops digital");
  CHECK(u.exit_code == 0);
  CHECK(u.output.find("aimcsim: warning: ") != std::string::npos);
  CHECK(u.output.find("CumSum '/cumsum/CumSum'") != std::string::npos);
}

TEST_CASE("graph --onnx and --csv bad input: one line naming the file, non-zero exit") {
  for (const char* file : {"bad_truncated.onnx", "bad_not_onnx.onnx", "bad_opset18.onnx",
                           "dynamic_batch.onnx", "unknown_op.onnx"}) {
    const auto r = run_cli(std::string("graph --onnx tests/data/onnx/") + file);
    CHECK(r.exit_code != 0);
    CHECK_MESSAGE(lines(r.output) == 1, r.output);
    CHECK(r.output.find(file) != std::string::npos);
  }
  const auto shaped =
      run_cli("graph --onnx tests/data/onnx/dynamic_batch.onnx --input-shape x=2x3x8x8");
  CHECK(shaped.exit_code == 0);
  const std::string csv = temp_path("short.csv");
  std::ofstream(csv) << "32,32,3,3,3,16,1,1\n16,16,16\n";
  const auto c = run_cli("graph --csv " + csv);
  CHECK(c.exit_code != 0);
  CHECK(c.output.find("short.csv:2: 3 columns; expected 8") != std::string::npos);
}

TEST_CASE("compare --onnx, --trace, --topology-csv: cost-only rows equal to run's") {
  const std::string json = temp_path("compare_onnx.json");
  const auto c = run_cli(
      "compare --hw configs/hermes.toml --onnx tests/data/onnx/fmnist_resnet8.onnx --methods "
      "all-digital,all-analog --no-cache --json " +
      json);
  REQUIRE_MESSAGE(c.exit_code == 0, c.output);
  CHECK(c.output.find("simulated costs only") != std::string::npos);
  const auto rows = read_json(json).at("rows");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("accuracy_mean").is_null());
  const std::string run_json = temp_path("run_onnx_analog.json");
  const auto r = run_cli(
      "run --hw configs/hermes.toml --onnx tests/data/onnx/fmnist_resnet8.onnx "
      "--mapping all-analog --json " +
      run_json);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const auto run = read_json(run_json);
  CHECK(rows[1].at("latency_ns").get<double>() == run.at("latency_ns").get<double>());
  CHECK(rows[1].at("energy_pj").get<double>() == run.at("energy_pj").get<double>());
  CHECK(rows[1].at("tiles_used").get<int>() == run.at("tiles_used").get<int>());
  const auto t = run_cli(
      "compare --hw configs/hermes.toml --trace traces/resnet8_cifar.trace "
      "--methods first-last-digital --no-cache");
  CHECK_MESSAGE(t.exit_code == 0, t.output);
  const std::string csv = temp_path("compare_net.csv");
  std::ofstream(csv) << "32,32,3,3,3,16,1,1\n16,16,16,3,3,32,0,1\n";
  const auto n = run_cli("compare --hw configs/hermes.toml --topology-csv " + csv +
                         " --methods all-analog --no-cache");
  CHECK_MESSAGE(n.exit_code == 0, n.output);
  // A search needs trained weights; model and workload exclude each other.
  const auto s = run_cli(
      "compare --hw configs/hermes.toml --trace traces/resnet8_cifar.trace "
      "--methods hilal");
  CHECK(s.exit_code == 1);
  CHECK(lines(s.output) == 1);
  CHECK(s.output.find("'hilal' is a search and needs --model and --ckpt") != std::string::npos);
  const auto both = run_cli(
      "compare --hw configs/hermes.toml --trace traces/resnet8_cifar.trace "
      "--model resnet8 --methods all-digital");
  CHECK(both.exit_code == 1);
  CHECK(both.output.find("exclude each other") != std::string::npos);
  const auto missing = run_cli(
      "compare --hw configs/hermes.toml --onnx nothere.onnx "
      "--methods all-digital");
  CHECK(missing.exit_code != 0);
  CHECK(lines(missing.output) == 1);
  CHECK(missing.output.find("nothere.onnx") != std::string::npos);
}
