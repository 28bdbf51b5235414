// hilal-energy (mapping/hilal_energy.h): the front of sensitivity spent vs simulated energy
// saved on resnet8 (CIFAR trace) on the default chip (hermes.toml with weight duplication,
// where analog saves energy; on bare hermes.toml the static power of 64 tiles over the longer
// analog latency outweighs it), with made-up Hessian features.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "mapping/hilal_energy.h"
#include "sim/graph/trace_reader.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

struct Fixture {
  HardwareConfig config = load_hardware_config(kSource + "/configs/default.toml");
  Graph graph = read_trace_file(kSource + "/traces/resnet8_cifar.trace");
  std::vector<nn::LayerSensitivity> sens;
  HilalClustering clustering;

  Fixture() {
    int i = 0;
    for (OpId id : graph.ids()) {
      const Op& op = graph.op(id);
      if (!op.mappable()) continue;
      nn::LayerSensitivity s;
      s.name = op.name;
      s.sigma = 0.1;
      s.trace = 1.0 + i;  // later layers more sensitive
      sens.push_back(s);
      if (i % 2 == 0) clustering.laft_order.push_back(op.name);  // "robust"
      ++i;
    }
  }
};

std::filesystem::path cache_dir() {
  return std::filesystem::temp_directory_path() /
         ("aimcsim_hilal_energy_" + std::to_string(::getpid()));
}

}  // namespace

TEST_CASE("delta_loss is sigma^2 Tr / 2, never negative") {
  nn::LayerSensitivity s;
  s.sigma = 0.2;
  s.trace = 3.0;
  CHECK(layer_delta_loss(s) == doctest::Approx(0.06));
  s.trace = -1.0;
  CHECK(layer_delta_loss(s) == 0.0);
}

TEST_CASE("the front trades delta_loss for simulated energy and respects the budget") {
  Fixture f;
  CostOracle oracle(f.graph, f.config, {cache_dir(), true});
  HilalEnergyOptions o;
  o.max_points = 6;
  const HilalEnergyResult r = hilal_energy_front(f.graph, f.sens, f.clustering, oracle, o);
  REQUIRE(r.front.size() >= 2);
  REQUIRE(r.front.size() <= 6);
  // Budget = what the robust set spends.
  double robust = 0.0;
  for (std::size_t i = 0; i < f.sens.size(); i += 2) robust += layer_delta_loss(f.sens[i]);
  CHECK(r.budget == doctest::Approx(robust));
  for (std::size_t p = 1; p < r.front.size(); ++p) {
    CHECK(r.front[p].delta_loss > r.front[p - 1].delta_loss);
    CHECK(r.front[p].estimated_saving > r.front[p - 1].estimated_saving);
    CHECK(r.front[p].analog_mac_ratio >= 0.0);
  }
  // The last point saves the most: its simulated energy is below the first point's.
  CHECK(r.front.back().energy_pj < r.front.front().energy_pj);
  // Selected: the most saving within the budget.
  CHECK(r.front[r.selected].delta_loss <= r.budget);
  if (r.selected + 1 < r.front.size()) CHECK(r.front[r.selected + 1].delta_loss > r.budget);
  CHECK(r.report.at("front").size() == r.front.size());

  SUBCASE("budget 0 keeps only layers that cost no sensitivity, i.e. none here") {
    o.budget = 0.0;
    const HilalEnergyResult z = hilal_energy_front(f.graph, f.sens, f.clustering, oracle, o);
    CHECK(z.front[z.selected].delta_loss == 0.0);
    CHECK(z.front[z.selected].analog_mac_ratio == 0.0);
  }
  std::filesystem::remove_all(cache_dir());
}

TEST_CASE("a layer without sensitivity is an error naming it") {
  Fixture f;
  f.sens.pop_back();
  CostOracle oracle(f.graph, f.config, {cache_dir(), true});
  CHECK_THROWS_WITH_AS(hilal_energy_front(f.graph, f.sens, f.clustering, oracle, {}),
                       doctest::Contains("no sensitivity for mappable layer"), Error);
  std::filesystem::remove_all(cache_dir());
}
