// test-links: aimcsim_sim
// SystemC scenarios on ResNet-20 (traces/): report invariants that would fail
// if the engine mis-counted or mis-timed.
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/trace_reader.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig hermes() { return load_hardware_config(kSource + "/configs/hermes.toml"); }
Graph resnet20() { return read_trace_file(kSource + "/traces/resnet20_cifar.trace"); }

}  // namespace

TEST_CASE("energy kinds sum to the total, layers + leakage = total, bound <= latency <= serial") {
  const HardwareConfig c = hermes();
  const Graph g = resnet20();
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kFirstLastDigital, g), c);
  double kinds = 0.0;
  for (double v : r.energy_per_inference.pj) kinds += v;
  CHECK(kinds == doctest::Approx(r.energy_pj).epsilon(1e-12));
  double layers = r.energy_per_inference[EnergyKind::kLeakage];
  for (const auto& l : r.layers) layers += l.energy_pj.total();
  CHECK(layers == doctest::Approx(r.energy_pj).epsilon(1e-9));
  CHECK(r.critical_path_lower_bound_ns > 0.0);
  CHECK(r.critical_path_lower_bound_ns <= r.latency_ns);
  CHECK(r.latency_ns <= r.serial_sum_ns);
  CHECK(r.energy_per_inference[EnergyKind::kAdc] > 0.0);
  CHECK(r.energy_per_inference[EnergyKind::kDigitalMac] > 0.0);
  CHECK(r.analog_mac_ratio > 0.9);
  CHECK(r.analog_mac_ratio < 1.0);
}

TEST_CASE("an all-digital mapping uses no tile") {
  const HardwareConfig c = hermes();
  const Graph g = resnet20();
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllDigital, g), c);
  CHECK(r.tiles_used == 0);
  CHECK(r.mvms == 0);
  CHECK(r.analog_mac_ratio == 0.0);
  CHECK(r.utilisation.tiles_chip_mean == 0.0);
  for (EnergyKind k : {EnergyKind::kDac, EnergyKind::kCrossbar, EnergyKind::kAdc,
                       EnergyKind::kTileDigital, EnergyKind::kProgramming}) {
    CHECK(r.energy_per_inference[k] == 0.0);
  }
  CHECK(r.digital_macs == g.totals().macs);
  CHECK(r.digital_weight_bytes == 2 * g.totals().weights);
  CHECK(r.critical_path_lower_bound_ns <= r.latency_ns);
  CHECK(r.latency_ns <= r.serial_sum_ns);
}

TEST_CASE("layers on different units pipeline: throughput of 8 samples > 1 / latency") {
  const HardwareConfig c = hermes();
  const Graph g = resnet20();
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c,
                            {.samples = 8, .listener = nullptr});
  CHECK(r.samples == 8);
  CHECK(r.throughput_inf_per_s > 1.5 * 1e9 / r.latency_ns);
  CHECK(r.makespan_ns < 8 * r.latency_ns);
  // Per-inference energy does not depend on the stream length (dynamic part).
  CHECK(r.mvms > 0);
}
