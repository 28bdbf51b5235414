// test-links: aimcsim_sim
// The MPS paper's system (configs/mps-paper.toml, issue 14 item 6): ResNet-20 CIFAR
// all-digital / all-analog within 20 % of the MPS raw data's 2.42x latency and 3.05x
// energy (FACTS.md s.6), and MobileNetV2 (ImageNet) fully analog on its 64 tiles of
// 512 x 512 thanks to dense tile packing, with what packing costs in latency.
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/graph/trace_reader.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig mps() { return load_hardware_config(kSource + "/configs/mps-paper.toml"); }

Report run(const std::string& trace, MappingPreset preset, const HardwareConfig& c) {
  const Graph g = read_trace_file(kSource + "/traces/" + trace);
  return simulate_isolated(g, make_preset_mapping(preset, g), c);
}

}  // namespace

TEST_CASE("mps-paper ResNet-20: digital/analog 2.42x latency and 3.05x energy within 20 %") {
  const HardwareConfig c = mps();
  const Report d = run("resnet20_cifar.trace", MappingPreset::kAllDigital, c);
  const Report a = run("resnet20_cifar.trace", MappingPreset::kAllAnalog, c);
  const double lat = d.latency_ns / a.latency_ns;
  const double energy = d.energy_pj / a.energy_pj;
  MESSAGE("digital " << d.latency_ns << " ns " << d.energy_pj << " pJ; analog " << a.latency_ns
                     << " ns " << a.energy_pj << " pJ " << a.tiles_used << " tiles; ratios " << lat
                     << "x latency, " << energy << "x energy");
  CHECK(lat == doctest::Approx(2.42).epsilon(0.20));
  CHECK(energy == doctest::Approx(3.05).epsilon(0.20));
}

TEST_CASE("mps-paper MobileNetV2 all-analog: 39 tiles dense (155 on the diagonal), latency cost") {
  HardwareConfig dense = mps();
  dense.run.tile_packing = TilePacking::kDense;
  const Report packed = run("mobilenet_v2_imagenet.trace", MappingPreset::kAllAnalog, dense);
  CHECK(packed.tiles_used == 39);
  HardwareConfig diag = dense;
  diag.run.tile_packing = TilePacking::kDiagonal;
  diag.tile.count = 160;  // room for the diagonal packing's 155 tiles
  const Report spread = run("mobilenet_v2_imagenet.trace", MappingPreset::kAllAnalog, diag);
  CHECK(spread.tiles_used == 155);
  MESSAGE("MobileNetV2 all-analog: dense " << packed.tiles_used << " tiles, " << packed.latency_ns
                                           << " ns; diagonal " << spread.tiles_used << " tiles, "
                                           << spread.latency_ns << " ns");
  // Ops sharing a tile take turns: packing costs latency, never saves it here.
  CHECK(packed.latency_ns >= spread.latency_ns);
}
