// test-links: aimcsim_sim
// SystemC scenarios of weight duplication (run.weight_duplication = "auto"):
// replicas on spare tiles raise the stream throughput of a tile-bound network
// beyond what one copy of its slowest layer allows, and with reprogramming the
// replicas are programmed (and priced) too. The reference run with
// duplication off runs in a forked child (run_in_child.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/graph_builder.h"
#include "tests/systemc/run_in_child.h"

using namespace aimcsim;

namespace {

HardwareConfig hermes(WeightDuplication dup) {
  HardwareConfig c = load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
  c.run.weight_duplication = dup;
  return c;
}

// conv "big" (256 MVMs per sample on one tile) bounds the stream; "small" has 64.
Graph tile_bound() {
  GraphBuilder b("tile_bound");
  Tensor x = b.input("x", {1, 16, 16, 16});
  Tensor big = b.conv2d("big", x, {.out_channels = 16, .kernel = 3, .padding = 1});
  b.output("out",
           b.conv2d("small", big, {.out_channels = 16, .kernel = 3, .stride = 2, .padding = 1}));
  return std::move(b).build();
}

// Four one-tile convs (64 MVMs each) on 3 tiles: round 0 holds conv0..2, round 1
// conv3 and two spare tiles.
Graph four_convs() {
  GraphBuilder b("four");
  Tensor x = b.input("x", {1, 16, 8, 8});
  for (int i = 0; i < 4; ++i) {
    x = b.conv2d("conv" + std::to_string(i), x, {.out_channels = 16, .kernel = 3, .padding = 1});
  }
  b.output("out", x);
  return std::move(b).build();
}

double analog_array_pj(const Report& r) {
  return r.energy_per_inference[EnergyKind::kDac] + r.energy_per_inference[EnergyKind::kCrossbar] +
         r.energy_per_inference[EnergyKind::kAdc];
}

}  // namespace

TEST_CASE("duplication raises the stream throughput of a tile-bound network") {
  const Graph g = tile_bound();
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const SimulationOptions stream{.samples = 8, .listener = nullptr};
  const std::vector<double> off = test::run_in_child([&] {
    const Report r = simulate(g, m, hermes(WeightDuplication::kOff), stream);
    return std::vector<double>{r.throughput_inf_per_s, double(r.tiles_used), analog_array_pj(r),
                               double(r.mvms), double(r.layers.at(0).replicas)};
  });
  REQUIRE(off.size() == 5);
  const Report on = simulate(g, m, hermes(WeightDuplication::kAuto), stream);
  // One copy of "big" does 256 MVMs x 133 ns per sample: no stream beats that.
  const double one_copy_bound = 1e9 / (256 * 133.0);
  CHECK(off[0] <= one_copy_bound * (1 + 1e-9));
  CHECK(off[1] == 2);
  CHECK(off[4] == 1);
  CHECK(on.weight_duplication == "auto");
  CHECK(on.tiles_used == 64);  // every spare tile holds a replica
  CHECK(on.layers.at(0).replicas > 1);
  CHECK(on.layers.at(0).tiles == on.layers.at(0).replicas);
  CHECK(on.layers.at(0).replicas + on.layers.at(1).replicas == 64);
  CHECK(on.throughput_inf_per_s > 2.0 * off[0]);
  CHECK(on.throughput_inf_per_s > one_copy_bound);
  // The same MVMs, split over replicas: MVM count and array energy unchanged.
  CHECK(double(on.mvms) == off[3]);
  CHECK(analog_array_pj(on) == doctest::Approx(off[2]).epsilon(1e-12));
  CHECK(on.critical_path_lower_bound_ns <= on.latency_ns);
  CHECK(on.latency_ns <= on.serial_sum_ns);
}

TEST_CASE("with reprogramming, replicas fill a round's spare tiles and are programmed too") {
  const Graph g = four_convs();
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  auto config = [](WeightDuplication dup) {
    HardwareConfig c = hermes(dup);
    c.tile.count = 3;
    c.run.allow_reprogramming = true;
    return c;
  };
  const std::vector<double> off = test::run_in_child([&] {
    const Report r = simulate(g, m, config(WeightDuplication::kOff));
    return std::vector<double>{r.energy_per_inference[EnergyKind::kProgramming],
                               r.layers.at(3).compute_ns, double(r.programming_rounds)};
  });
  REQUIRE(off.size() == 3);
  const Report on = simulate(g, m, config(WeightDuplication::kAuto));
  CHECK(off[2] == 2);
  CHECK(on.programming_rounds == 2);
  CHECK(on.layers.at(0).replicas == 1);  // round 0 is full
  CHECK(on.layers.at(3).replicas == 3);  // round 1: conv3 + 2 spare tiles
  CHECK(on.tiles_used == 3);
  // 6 blocks of 144 x 16 programmed instead of 4.
  CHECK(on.energy_per_inference[EnergyKind::kProgramming] ==
        doctest::Approx(1.5 * off[0]).epsilon(1e-12));
  // conv3's 64 MVMs over 3 replicas: its compute stage takes at most ceil(8/3) of 8 MVMs per
  // chunk.
  CHECK(on.layers.at(3).compute_ns < 0.5 * off[1]);
}
