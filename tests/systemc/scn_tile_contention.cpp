// test-links: aimcsim_sim
// SystemC scenario: two analog ops placed in one tile (first-fit) serialise on
// it: their busy intervals never overlap and the tile is busy for both.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/graph_builder.h"
#include "sim/trace/activity_recorder.h"

using namespace aimcsim;

TEST_CASE("two ops contending for one tile serialise (FCFS)") {
  const HardwareConfig c =
      load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
  GraphBuilder b("branches");
  Tensor x = b.input("x", {1, 8, 8, 8});
  Tensor a = b.conv2d("a", x, {.out_channels = 8, .kernel = 3, .padding = 1});
  Tensor d = b.conv2d("b", x, {.out_channels = 8, .kernel = 3, .padding = 1});
  b.output("out", b.add("sum", {a, d}));
  const Graph g = std::move(b).build();
  ActivityRecorder rec(c.tile.count, c.digital.count);
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c,
                            {.samples = 1, .listener = &rec});
  CHECK(r.tiles_used == 1);
  std::vector<ActivityRecorder::Interval> tile0;
  for (const auto& iv : rec.intervals()) {
    if (iv.unit.kind == UnitKind::kTile && iv.unit.index == 0) tile0.push_back(iv);
  }
  std::sort(tile0.begin(), tile0.end(),
            [](const auto& l, const auto& m) { return l.start_ps < m.start_ps; });
  Picoseconds busy = 0;
  for (std::size_t i = 0; i < tile0.size(); ++i) {
    busy += tile0[i].end_ps - tile0[i].start_ps;
    if (i > 0) CHECK(tile0[i].start_ps >= tile0[i - 1].end_ps);
  }
  // Each op: 64 pixels x 133 ns, plus the LDPU tail (8 outputs at 400 MHz = 20 ns)
  // after each of its 8 row chunks.
  CHECK(busy == 2 * (64 * 133000 + 8 * 20000));
  // The conv that waited finishes no earlier than both MVM streams back to back.
  const double later_end = std::max(r.layers.at(0).end_ns, r.layers.at(1).end_ns);
  CHECK(later_end >= 2 * 64 * 133.0);
  CHECK(r.latency_ns >= 2 * 64 * 133.0);
}
