// test-links: aimcsim_sim
// SystemC scenarios of one analog conv: end-to-end latency against the hand
// count, and the ADC-sharing boundary (64 vs 65 active columns on 64 ADCs).
// Each TEST_CASE runs in its own process (one elaboration per process).
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/graph_builder.h"

using namespace aimcsim;

namespace {

HardwareConfig hermes() {
  return load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
}

Graph one_conv(std::int64_t c_in, std::int64_t c_out, std::int64_t hw) {
  GraphBuilder b("one_conv");
  Tensor x = b.input("x", {1, c_in, hw, hw});
  b.output("out", b.conv2d("conv", x, {.out_channels = c_out, .kernel = 3, .padding = 1}));
  return std::move(b).build();
}

}  // namespace

TEST_CASE("one analog conv: latency = MVMs x 133 ns + LDPU tails + first fetch + last drain") {
  const HardwareConfig c = hermes();
  const Graph g = one_conv(16, 16, 8);  // 64 output pixels, 144 x 16 on tile 0, 8 row chunks
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  // Fetch of chunk 0: 1024 input bytes / 8 chunks = 128 B = 4 flits from the SRAM router
  // (mesh centre (4, 4) = node 40) to tile 0 at (0, 0): 8 hops x 2 cycles + 4 flits = 20 ns
  // (the SRAM read, 4 lines + 2 cycles latency = 6 ns, streams alongside).
  const double fetch_ns = 8 * 2 + 4;
  // Drain of the last chunk: 8 pixels x 16 outputs x 1 B = 128 B back: 20 ns.
  const double drain_ns = 8 * 2 + 4;
  // Each of the 8 chunks streams 8 MVMs of 133 ns, its LDPU (16 outputs at 400 MHz,
  // 40 ns, under the next MVM) trailing the last one.
  const double mvms_ns = 64 * 133.0 + 8 * 16 * 2.5;
  CHECK(r.mvms == 64);
  CHECK(r.latency_ns == doctest::Approx(fetch_ns + mvms_ns + drain_ns));
  CHECK(r.layers.at(0).compute_ns == doctest::Approx(mvms_ns));
  CHECK(r.actions.count(Action::kAdcConversion) == 64 * 16);
  CHECK(r.actions.count(Action::kDacDrive) == 64 * 144);
  CHECK(r.energy_per_inference[EnergyKind::kAdc] ==
        doctest::Approx(64 * 16 * c.energy.adc_conversion_pj));
  CHECK(r.tiles_used == 1);
}

namespace {

// Structural MVM timing (no measured mvm_ns) with 64 ADCs per tile.
Report adc_scenario(std::int64_t c_out) {
  HardwareConfig c = hermes();
  c.tile.mvm_ns = 0.0;
  c.tile.ldpu_clock_mhz = 0.0;  // the structural MVM alone
  c.tile.adcs_per_tile = 64;
  const Graph g = one_conv(8, c_out, 4);  // 16 output pixels, 72 rows x c_out columns
  return simulate(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
}

double structural_mvm_ns(int adc_rounds) {
  const TileParams t = hermes().tile;  // pulse-width drive, one phase
  return t.dac_ns + t.integration_ns + adc_rounds * t.adc_conversion_ns + t.accumulate_ns;
}

}  // namespace

TEST_CASE("ADC sharing at the limit: 64 active columns on 64 ADCs take one round") {
  const Report r = adc_scenario(64);
  CHECK(r.layers.at(0).compute_ns == doctest::Approx(16 * structural_mvm_ns(1)));
}

TEST_CASE("ADC sharing one past the limit: 65 active columns take two rounds") {
  const Report r = adc_scenario(65);
  CHECK(r.layers.at(0).compute_ns == doctest::Approx(16 * structural_mvm_ns(2)));
  CHECK(r.actions.count(Action::kAdcConversion) == 16 * 65);
}
