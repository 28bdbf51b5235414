// test-links: aimcsim_sim
// The AIMC NPU of Boybat et al., IEDM 2024 (issue 14 item 5; FACTS.md s.8) on
// configs/npu-{2,3,5}da.toml: MobileBERT-EdgeTPU-XS (int8, SQuAD, sequence 384;
// traces/mobilebert_edgetpu_xs_squad384.trace, MACs checked in
// tests/unit/test_graph_mobilebert.cpp) reaches 15.3, 29.3 and 51.6 inferences/s with
// 2, 3 and 5 digital accelerators: each within 25 %, and the throughput rising with
// the accelerator count. Linear layers on the AIMC nodes (all-analog mapping),
// attention, softmax, NoNorm, ReLU and the adds on the accelerators.
// Throughput = kSamples / makespan of a stream of kSamples inferences entering at t = 0
// (the sustained rate; Report::throughput_inf_per_s measures the gap between the first
// and the last sample, which FCFS contention makes finish close together here).
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/graph/trace_reader.h"

using namespace aimcsim;

namespace {

constexpr int kSamples = 8;

double inferences_per_s(const std::string& config) {
  const std::string src = AIMCSIM_SOURCE_DIR;
  const HardwareConfig c = load_hardware_config(src + "/configs/" + config);
  const Graph g = read_trace_file(src + "/traces/mobilebert_edgetpu_xs_squad384.trace");
  SimulationOptions o;
  o.samples = kSamples;
  const Report r = simulate_isolated(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c, o);
  const double rate = kSamples * 1e9 / r.makespan_ns;
  MESSAGE(config << ": " << rate << " inferences/s, " << r.tiles_used << " tiles, accelerators "
                 << r.utilisation.cores_mean * 100 << " % busy, tiles "
                 << r.utilisation.tiles_used_mean * 100 << " % busy");
  CHECK(r.tiles_used <= c.tile.count);
  return rate;
}

}  // namespace

TEST_CASE(
    "NPU MobileBERT-EdgeTPU-XS: 15.3 / 29.3 / 51.6 inferences/s with 2 / 3 / 5 accelerators") {
  const double two = inferences_per_s("npu-2da.toml");
  const double three = inferences_per_s("npu-3da.toml");
  const double five = inferences_per_s("npu-5da.toml");
  CHECK(two == doctest::Approx(15.3).epsilon(0.25));
  CHECK(three == doctest::Approx(29.3).epsilon(0.25));
  CHECK(five == doctest::Approx(51.6).epsilon(0.25));
  CHECK(two < three);
  CHECK(three < five);
}
