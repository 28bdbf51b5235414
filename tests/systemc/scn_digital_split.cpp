// test-links: aimcsim_sim
// SystemC scenarios of a digital layer split over cores (run.digital_split):
// one core vs N cores against the timing rule, the parts gang-scheduled on
// their cores, and two split layers contending for the same cores.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/graph/graph_builder.h"
#include "sim/trace/activity_recorder.h"

using namespace aimcsim;

namespace {

HardwareConfig hermes(DigitalSplit split) {
  HardwareConfig c = load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
  c.run.digital_split = split;
  return c;
}

// 64 tokens x 256 -> 256: 4.2 M MACs, 16384 cycles on one 256-lane INT8 core; its
// 64 KiB of weights fit a core's 128 KiB local buffer (read once per sample).
Graph one_linear() {
  GraphBuilder b("fc");
  Tensor x = b.input("x", {1, 64, 256});
  b.output("out", b.linear("fc", x, 256));
  return std::move(b).build();
}

const LayerReport& layer(const Report& r, const std::string& name) {
  return *std::find_if(r.layers.begin(), r.layers.end(),
                       [&](const LayerReport& l) { return l.name == name; });
}

}  // namespace

TEST_CASE("one core vs 8 cores: compute time 16384 ns vs 2048 ns, latency falls") {
  const Graph g = one_linear();
  const Mapping m = make_preset_mapping(MappingPreset::kAllInt8, g);
  const Report off = simulate_isolated(g, m, hermes(DigitalSplit::kOff));
  const Report on = simulate_isolated(g, m, hermes(DigitalSplit::kAuto));
  CHECK(layer(off, "fc").units == "core 0");
  CHECK(layer(on, "fc").units == "cores 0,1,2,3,4,5,6,7");
  CHECK(layer(off, "fc").compute_ns == doctest::Approx(16384.0));
  CHECK(layer(on, "fc").compute_ns == doctest::Approx(2048.0));
  // Same MACs, same MAC energy; the split moves the input to every core.
  CHECK(on.actions.count(Action::kDigitalMacInt8) == off.actions.count(Action::kDigitalMacInt8));
  CHECK(on.actions.count(Action::kFabricHopByte) > off.actions.count(Action::kFabricHopByte));
  MESSAGE("latency off " << off.latency_ns << " ns, auto " << on.latency_ns << " ns");
  CHECK(on.latency_ns < off.latency_ns / 3);
  CHECK(on.latency_ns > 2048.0);
}

TEST_CASE("a split layer's parts run at once, one per core, for the same interval") {
  const Graph g = one_linear();
  const HardwareConfig c = hermes(DigitalSplit::kAuto);
  ActivityRecorder rec(c.tile.count, c.digital.count);
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllInt8, g), c,
                            {.samples = 1, .listener = &rec});
  std::vector<ActivityRecorder::Interval> core_busy;
  for (const auto& iv : rec.intervals()) {
    if (iv.unit.kind == UnitKind::kCore) core_busy.push_back(iv);
  }
  // 8 cores x the op's chunks, every core busy 2048 ns in total.
  std::vector<Picoseconds> busy(8, 0);
  for (const auto& iv : core_busy) busy[iv.unit.index] += iv.end_ps - iv.start_ps;
  for (Picoseconds b : busy) CHECK(b == 2048 * 1000);
  for (const auto& a : core_busy) {
    std::size_t same_start = 0;
    for (const auto& b : core_busy) same_start += b.start_ps == a.start_ps ? 1 : 0;
    CHECK(same_start == 8);
  }
  CHECK(r.utilisation.per_core.size() == 8);
}

TEST_CASE("two split layers on two cores take turns: intervals never overlap on a core") {
  GraphBuilder b("two");
  Tensor x = b.input("x", {1, 64, 256});
  Tensor p = b.linear("p", x, 256);
  Tensor q = b.linear("q", x, 256);
  b.output("out", b.add("sum", {p, q}));
  const Graph g = std::move(b).build();
  HardwareConfig c = hermes(DigitalSplit::kAuto);
  c.digital.count = 2;
  ActivityRecorder rec(c.tile.count, c.digital.count);
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllInt8, g), c,
                            {.samples = 1, .listener = &rec});
  CHECK(layer(r, "p").units == "cores 0,1");
  CHECK(layer(r, "q").units == "cores 0,1");
  for (int core = 0; core < 2; ++core) {
    std::vector<ActivityRecorder::Interval> iv;
    for (const auto& i : rec.intervals()) {
      if (i.unit.kind == UnitKind::kCore && i.unit.index == core) iv.push_back(i);
    }
    std::sort(iv.begin(), iv.end(), [](auto& l, auto& m) { return l.start_ps < m.start_ps; });
    for (std::size_t i = 1; i < iv.size(); ++i) CHECK(iv[i].start_ps >= iv[i - 1].end_ps);
  }
  // Both layers' halves back to back on the two cores: 2 x 8192 ns at least.
  CHECK(r.latency_ns >= 2 * 8192.0);
}
