// test-links: aimcsim_sim
// `aimcsim run --model --ckpt` and `aimcsim eval` report the same accuracy for the same
// mapping, seed and time; bad input gives one clear error and a non-zero exit.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.h"

using aimcsim::test::read_json;
using aimcsim::test::run_cli;

namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_cli_tests";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

}  // namespace

TEST_CASE("run --model --ckpt agrees with eval for the same mapping, seed and time") {
  const std::string run_json = temp_path("run_resnet8.json");
  const std::string eval_json = temp_path("eval_resnet8.json");
  const std::string common =
      " --model resnet8 --ckpt checkpoints/resnet8.pt --mapping first-last-digital --seeds 2"
      " --seed 5 --test-limit 200 --hw configs/default.toml";
  const auto run = run_cli("run" + common + " --time 1d --json " + run_json);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const auto eval = run_cli("eval" + common + " --times 1h,1d --json " + eval_json);
  INFO(eval.output);
  REQUIRE(eval.exit_code == 0);
  const auto r = read_json(run_json);
  const auto e = read_json(eval_json);
  const auto& run_acc = r.at("accuracy").at("times").at(0);
  const auto& eval_acc = e.at("times").at(1);
  CHECK(run_acc.at("t_s") == 86400.0);
  CHECK(run_acc.at("accuracy_per_seed") == eval_acc.at("accuracy_per_seed"));
  CHECK(r.at("accuracy").at("analog_mac_ratio") == e.at("analog_mac_ratio"));
  // The simulated report and the accuracy engine count analog MACs on the same graph.
  CHECK(r.at("analog_mac_ratio").get<double>() ==
        doctest::Approx(e.at("analog_mac_ratio").get<double>()));
  CHECK(r.at("latency_ns").get<double>() > 0.0);
}

TEST_CASE("bad input to run and eval: one clear line, non-zero exit") {
  const auto both = run_cli(
      "run --hw configs/default.toml --mapping all-analog --model resnet8"
      " --trace traces/tiny_cnn.trace");
  CHECK(both.exit_code == 1);
  CHECK(both.output.find("exactly one workload") != std::string::npos);

  const auto unknown = run_cli("eval --model resnet99 --ckpt checkpoints/resnet8.pt");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.output.find("resnet20") != std::string::npos);  // lists the valid names

  const auto other = run_cli("eval --model resnet20 --ckpt checkpoints/resnet8.pt");
  CHECK(other.exit_code == 1);
  CHECK(other.output.find("resnet8.pt") != std::string::npos);

  const std::string bad_map = temp_path("bad_map.toml");
  std::ofstream(bad_map) << "\"stem.conv\" = \"analog\"\n\"nolayer\" = \"int8\"\n";
  const auto mapping =
      run_cli("eval --model resnet8 --ckpt checkpoints/resnet8.pt --mapping " + bad_map);
  CHECK(mapping.exit_code == 1);
  CHECK(mapping.output.find("nolayer") != std::string::npos);

  const auto time = run_cli("eval --model resnet8 --ckpt checkpoints/resnet8.pt --times 1s,-1d");
  CHECK(time.exit_code == 1);
  CHECK(time.output.find("'-1d'") != std::string::npos);

  const auto no_ckpt = run_cli(
      "run --hw configs/default.toml --mapping all-analog "
      "--trace traces/tiny_cnn.trace --ckpt checkpoints/resnet8.pt");
  CHECK(no_ckpt.exit_code == 1);
  CHECK(no_ckpt.output.find("--ckpt needs --model") != std::string::npos);
}

TEST_CASE("peak --json carries peak_tops and tops_per_w") {
  const std::string json = temp_path("peak.json");
  const auto peak = run_cli("peak --hw configs/hermes.toml --json " + json);
  INFO(peak.output);
  REQUIRE(peak.exit_code == 0);
  const auto j = read_json(json);
  CHECK(j.at("peak_tops").get<double>() == doctest::Approx(63.1).epsilon(0.05));
  CHECK(j.at("tops_per_w").get<double>() == doctest::Approx(9.76).epsilon(0.10));
}
