// The cost oracle (mapping/cost_oracle.h): per-layer costs read from simulations, sums
// that reproduce a mixed mapping, and the on-disk cache (hit without simulating, miss on a
// changed config or graph, corrupt file ignored and rewritten).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "mapping/cost_oracle.h"
#include "sim/graph/trace_reader.h"
#include "sim/placement/placement.h"
#include "sim/report/report_io.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig hermes() { return load_hardware_config(kSource + "/configs/hermes.toml"); }
Graph trace(const std::string& name) { return read_trace_file(kSource + "/traces/" + name); }

// A fresh, empty cache folder per call.
std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("aimcsim_oracle_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  return dir;
}

double dynamic_pj(const Report& r) {
  return r.energy_pj - r.energy_per_inference[EnergyKind::kLeakage];
}

}  // namespace

TEST_CASE("per-layer costs come from the uniform runs, their sum reproduces a mixed mapping") {
  const HardwareConfig c = hermes();
  const Graph g = trace("resnet8_cifar.trace");
  CostOracle oracle(g, c, {fresh_dir("sums"), true});
  const auto& costs = oracle.layer_costs();
  CHECK(oracle.simulations_run() == 3);  // all-int8, all-digital, all-analog (fits 64 tiles)
  REQUIRE(costs.size() == static_cast<std::size_t>(g.totals().mappable_ops));
  const Report& analog = oracle.whole_mapping(make_preset_mapping(MappingPreset::kAllAnalog, g));
  CHECK(oracle.simulations_run() == 3);  // already simulated for the costs
  for (const LayerCost& l : costs) {
    INFO(l.name);
    for (Target t : kCostTargets) REQUIRE(l.at(t).has_value());
    CHECK(l.at(Target::kAnalog)->tiles > 0);
    CHECK(l.at(Target::kFp16)->tiles == 0);
    // Each target's figure is its own run's: FP16 MACs cost more than INT8 ones.
    CHECK(l.at(Target::kFp16)->energy_pj > l.at(Target::kInt8)->energy_pj);
    CHECK(l.at(Target::kAnalog)->latency_ns >= l.at(Target::kAnalog)->compute_ns);
  }
  // Uniform mapping: the sum is exactly the mappable layers' share of the run.
  double mappable_pj = 0.0;
  for (const LayerReport& l : analog.layers) {
    if (l.kind == "conv2d" || l.kind == "linear") mappable_pj += l.energy_pj.total();
  }
  CHECK(oracle.summed_layer_energy_pj(make_preset_mapping(MappingPreset::kAllAnalog, g)) ==
        doctest::Approx(mappable_pj).epsilon(1e-12));
  // Mixed mapping: summed per-layer figures vs its own simulation (non-mappable ops and
  // leakage taken from that simulation), within 2 %.
  const Mapping mixed = make_preset_mapping(MappingPreset::kFirstLastDigital, g);
  const Report& sim = oracle.whole_mapping(mixed);
  double other_pj = dynamic_pj(sim);
  for (const LayerReport& l : sim.layers) {
    if (l.kind == "conv2d" || l.kind == "linear") other_pj -= l.energy_pj.total();
  }
  const double predicted = oracle.summed_layer_energy_pj(mixed) + other_pj;
  MESSAGE("first-last-digital dynamic energy: summed " << predicted << " pJ, simulated "
                                                       << dynamic_pj(sim) << " pJ");
  CHECK(predicted == doctest::Approx(dynamic_pj(sim)).epsilon(0.02));
  CHECK(oracle.summed_layer_latency_ns(mixed) > 0.0);
}

TEST_CASE("cache: same inputs hit without simulating, a changed config or graph misses") {
  const auto dir = fresh_dir("cache");
  HardwareConfig c = hermes();
  const Graph g = trace("tiny_cnn.trace");
  CostOracle first(g, c, {dir, true});
  const auto costs = first.layer_costs();
  CHECK(first.simulations_run() == 3);
  CHECK(first.cache_hits() == 0);

  CostOracle second(g, c, {dir, true});
  const auto again = second.layer_costs();
  CHECK(second.simulations_run() == 0);
  CHECK(second.cache_hits() == 3);
  REQUIRE(again.size() == costs.size());
  for (std::size_t i = 0; i < costs.size(); ++i) {
    for (Target t : kCostTargets) {
      CHECK(again[i].at(t)->energy_pj == costs[i].at(t)->energy_pj);  // bit for bit
      CHECK(again[i].at(t)->latency_ns == costs[i].at(t)->latency_ns);
    }
  }

  HardwareConfig pricier = c;
  pricier.energy.adc_conversion_pj *= 2.0;
  CostOracle changed(g, pricier, {dir, true});
  const auto changed_costs = changed.layer_costs();
  CHECK(changed.simulations_run() == 3);
  CHECK(changed_costs[0].at(Target::kAnalog)->energy_pj > costs[0].at(Target::kAnalog)->energy_pj);

  const Graph other = trace("resnet8_cifar.trace");
  CostOracle other_graph(other, c, {dir, true});
  other_graph.whole_mapping(make_preset_mapping(MappingPreset::kAllDigital, other));
  CHECK(other_graph.simulations_run() == 1);

  CostOracle uncached(g, c, {fresh_dir("off"), false});
  uncached.whole_mapping(make_preset_mapping(MappingPreset::kAllDigital, g));
  CHECK(uncached.simulations_run() == 1);
  CHECK_FALSE(std::filesystem::exists(fresh_dir("off")));
}

TEST_CASE("a corrupt cache file is ignored, recomputed and rewritten") {
  const auto dir = fresh_dir("corrupt");
  const HardwareConfig c = hermes();
  const Graph g = trace("tiny_cnn.trace");
  const Mapping m = make_preset_mapping(MappingPreset::kAllInt8, g);
  CostOracle first(g, c, {dir, true});
  const double energy = first.whole_mapping(m).energy_pj;
  const auto file = first.cache().file_of(m, 1);
  REQUIRE(std::filesystem::exists(file));
  for (const std::string garbage : {"{\"report\": {\"laten", "not json at all", "{}"}) {
    std::ofstream(file) << garbage;
    CostOracle reader(g, c, {dir, true});
    CHECK(reader.whole_mapping(m).energy_pj == energy);
    CHECK(reader.simulations_run() == 1);
  }
  CostOracle after(g, c, {dir, true});  // the last recompute rewrote a valid entry
  CHECK(after.whole_mapping(m).energy_pj == energy);
  CHECK(after.simulations_run() == 0);
}

TEST_CASE("a chip too small for all-analog: analog costs from groups that fit") {
  HardwareConfig big = hermes();
  HardwareConfig small = hermes();
  const Graph g = trace("resnet8_cifar.trace");
  CostOracle full(g, big, {fresh_dir("big"), true});
  const Report& all = full.whole_mapping(make_preset_mapping(MappingPreset::kAllAnalog, g));
  small.tile.count = all.tiles_used / 2;
  CostOracle cut(g, small, {fresh_dir("small"), true});
  const auto& costs = cut.layer_costs();
  CHECK(cut.simulations_run() > 3);  // more than one analog group
  const auto& reference = full.layer_costs();
  for (std::size_t i = 0; i < costs.size(); ++i) {
    INFO(costs[i].name);
    REQUIRE(costs[i].at(Target::kAnalog).has_value());
    CHECK(costs[i].at(Target::kAnalog)->tiles == reference[i].at(Target::kAnalog)->tiles);
    // Same actions; only the fabric hops change with the tiles the group got.
    const TargetCost& a = *costs[i].at(Target::kAnalog);
    const TargetCost& ref = *reference[i].at(Target::kAnalog);
    CHECK(a.energy_pj - a.fabric_pj ==
          doctest::Approx(ref.energy_pj - ref.fabric_pj).epsilon(1e-9));
    CHECK(a.compute_ns == doctest::Approx(ref.compute_ns).epsilon(1e-9));
  }
  CHECK_THROWS_AS(cut.whole_mapping(make_preset_mapping(MappingPreset::kAllAnalog, g)),
                  PlacementError);
}
