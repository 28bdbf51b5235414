// test-links: aimcsim_sim
// SystemC scenario of output-pixel unrolling (tile.max_output_unroll): on DIANA's
// AIMC core a 16-channel 3x3 conv over 32 x 32 pixels computes 4 pixels per 70 ns
// step, so it takes 256 steps instead of 1024, and its analog energy (priced per
// step on configs/diana.toml) falls 4x. The reference run without unrolling runs in
// a forked child (run_in_child.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/graph_builder.h"
#include "tests/systemc/run_in_child.h"

using namespace aimcsim;

namespace {

HardwareConfig diana(int max_unroll) {
  HardwareConfig c = load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/diana.toml");
  c.tile.max_output_unroll = max_unroll;
  return c;
}

Graph conv16() {
  GraphBuilder b("conv16");
  Tensor x = b.input("x", {1, 16, 32, 32});
  b.output("out", b.conv2d("conv", x, {.out_channels = 16, .kernel = 3, .padding = 1}));
  return std::move(b).build();
}

}  // namespace

TEST_CASE("unrolling 4 pixels per step: 4x fewer analog steps, time and array energy") {
  const Graph g = conv16();
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const std::vector<double> off = test::run_in_child([&] {
    const Report r = simulate(g, m, diana(1));
    return std::vector<double>{double(r.mvms), r.layers.at(0).compute_ns,
                               r.energy_per_inference[EnergyKind::kCrossbar]};
  });
  REQUIRE(off.size() == 3);
  const Report on = simulate(g, m, diana(8));
  CHECK(off[0] == 1024);
  CHECK(on.mvms == 256);
  CHECK(on.layers.at(0).compute_ns == doctest::Approx(256 * 70.0));
  CHECK(off[1] == doctest::Approx(1024 * 70.0));
  CHECK(on.energy_per_inference[EnergyKind::kCrossbar] == doctest::Approx(off[2] / 4));
  CHECK(on.critical_path_lower_bound_ns <= on.latency_ns);
  CHECK(on.latency_ns <= on.serial_sum_ns);
}
