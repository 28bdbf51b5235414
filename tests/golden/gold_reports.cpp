// test-links: aimcsim_sim
// Golden regression (DESIGN.md s.8): the JSON reports of two configs x two
// small networks, compared with stored references (tests/golden/data/*.json)
// within a relative tolerance of 1e-6 (strings exactly; the config path,
// which depends on the checkout, is skipped).
//
// To rewrite the references after an intended model change:
//   AIMCSIM_UPDATE_GOLDEN=1 ctest --test-dir build-sim -L golden
// then review `git diff tests/golden/data` and commit it with the change.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/trace_reader.h"
#include "sim/report/report_io.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;
constexpr double kRelTol = 1e-6;

void compare(const nlohmann::json& got, const nlohmann::json& want, const std::string& path) {
  if (want.is_number() && got.is_number()) {
    const double g = got.get<double>();
    const double w = want.get<double>();
    INFO(path << ": got " << g << ", stored " << w);
    CHECK(std::abs(g - w) <= kRelTol * std::max(std::abs(w), 1e-9));
    return;
  }
  INFO(path);
  REQUIRE(got.type() == want.type());
  if (want.is_object()) {
    CHECK(got.size() == want.size());
    for (const auto& [k, v] : want.items()) {
      if (k == "config") continue;
      REQUIRE(got.contains(k));
      compare(got[k], v, path + "." + k);
    }
  } else if (want.is_array()) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      compare(got[i], want[i], path + "[" + std::to_string(i) + "]");
    }
  } else {
    CHECK(got == want);
  }
}

void golden(const std::string& config, const std::string& trace, const std::string& preset,
            const std::string& name) {
  const HardwareConfig c = load_hardware_config(kSource + "/configs/" + config);
  const Graph g = read_trace_file(kSource + "/traces/" + trace);
  const Mapping m = make_preset_mapping(*parse_mapping_preset(preset), g);
  const Report r = simulate(g, m, c, {.samples = 2, .listener = nullptr});
  const nlohmann::json got = nlohmann::json::parse(report_to_json(r).dump());
  const std::string file = kSource + "/tests/golden/data/" + name + ".json";
  const char* update = std::getenv("AIMCSIM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(file) << report_to_json(r).dump(2) << "\n";
    MESSAGE("rewrote " << file);
    return;
  }
  std::ifstream in(file);
  REQUIRE_MESSAGE(in.good(), "missing " << file << "; write it with AIMCSIM_UPDATE_GOLDEN=1");
  compare(got, nlohmann::json::parse(in), name);
}

}  // namespace

TEST_CASE("golden: hermes x tiny_cnn, all-analog") {
  golden("hermes.toml", "tiny_cnn.trace", "all-analog", "hermes_tiny_cnn");
}
TEST_CASE("golden: hermes x resnet8_cifar, first-last-digital") {
  golden("hermes.toml", "resnet8_cifar.trace", "first-last-digital", "hermes_resnet8");
}
TEST_CASE("golden: mps-paper x tiny_cnn, all-analog") {
  golden("mps-paper.toml", "tiny_cnn.trace", "all-analog", "mps_tiny_cnn");
}
TEST_CASE("golden: mps-paper x resnet8_cifar, first-last-digital") {
  golden("mps-paper.toml", "resnet8_cifar.trace", "first-last-digital", "mps_resnet8");
}
