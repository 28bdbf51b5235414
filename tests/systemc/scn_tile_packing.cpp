// test-links: aimcsim_sim
// SystemC scenario (issue 14): what dense tile packing costs. Two 1x1 convs of
// 128 x 200 weights read the same input; on one 256 x 256 tile the diagonal rule
// cannot hold them (400 columns), the dense rule can (rows 0-127 and 128-255,
// columns shared), and then their MVMs take turns on the tile. On two tiles they
// run at once. One more input row (129 + 128) does not fit one tile.
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

constexpr double kMvmNs = 133.0;  // HERMES one-phase MVM (configs/hermes.toml)
constexpr int kPixels = 64;       // 8 x 8 outputs per conv: one MVM each

HardwareConfig hermes(int tiles) {
  HardwareConfig c = load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
  c.tile.count = tiles;
  c.run.tile_packing = TilePacking::kDense;
  c.run.weight_duplication = WeightDuplication::kOff;
  return c;
}

// Two parallel 1x1 convs: `rows_a` and 128 input channels, 200 outputs each.
Graph two_convs(int rows_a) {
  GraphBuilder b("two_convs");
  Tensor xa = b.input("xa", {1, rows_a, 8, 8});
  Tensor xb = b.input("xb", {1, 128, 8, 8});
  Tensor a = b.conv2d("a", xa, {.out_channels = 200, .kernel = 1});
  Tensor d = b.conv2d("b", xb, {.out_channels = 200, .kernel = 1});
  b.output("oa", a);
  b.output("ob", d);
  return std::move(b).build();
}

Mapping analog(const Graph& g) { return make_preset_mapping(MappingPreset::kAllAnalog, g); }

}  // namespace

TEST_CASE("dense packing at the limit: 128 + 128 rows share one tile and take turns") {
  const Graph g = two_convs(128);
  // Two tiles: the diagonal rule fits, one conv per tile, the streams overlap.
  const Report apart = simulate_isolated(g, analog(g), hermes(2));
  CHECK(apart.tiles_used == 2);
  ActivityRecorder rec(1, hermes(1).digital.count);
  const Report shared = simulate(g, analog(g), hermes(1), {.samples = 1, .listener = &rec});
  CHECK(shared.tiles_used == 1);
  std::vector<ActivityRecorder::Interval> tile0;
  for (const auto& iv : rec.intervals()) {
    if (iv.unit.kind == UnitKind::kTile && iv.unit.index == 0) tile0.push_back(iv);
  }
  std::sort(tile0.begin(), tile0.end(),
            [](const auto& l, const auto& m) { return l.start_ps < m.start_ps; });
  REQUIRE_FALSE(tile0.empty());
  Picoseconds mvm_busy = 0;
  for (std::size_t i = 0; i < tile0.size(); ++i) {
    mvm_busy += tile0[i].end_ps - tile0[i].start_ps;
    if (i > 0) CHECK(tile0[i].start_ps >= tile0[i - 1].end_ps);  // they take turns
  }
  // Both MVM streams run on the one tile, back to back.
  CHECK(mvm_busy >= static_cast<Picoseconds>(2 * kPixels * kMvmNs * 1000));
  CHECK(shared.latency_ns >= 2 * kPixels * kMvmNs);
  CHECK(apart.latency_ns >= kPixels * kMvmNs);
  // Each conv's stream is bound by its tile (MVM + LDPU per output pixel), so
  // sharing the tile serialises them: what packing costs is the lost overlap,
  // up to one whole stream of latency.
  const double busy_ns = static_cast<double>(mvm_busy) / 1000.0;
  MESSAGE("apart " << apart.latency_ns << " ns, shared " << shared.latency_ns << " ns, tile busy "
                   << busy_ns << " ns");
  CHECK(shared.latency_ns >= busy_ns);
  CHECK(apart.latency_ns >= busy_ns / 2);
  CHECK(shared.latency_ns >= 1.8 * apart.latency_ns);
  CHECK(shared.latency_ns <= 2.0 * apart.latency_ns);
  // The same MVMs are done either way; only the overlap is lost.
  CHECK(shared.mvms == apart.mvms);
}

TEST_CASE("dense packing one row past the limit: 129 + 128 rows need two tiles") {
  const Graph g = two_convs(129);
  CHECK(simulate_isolated(g, analog(g), hermes(2)).tiles_used == 2);
  std::string what;
  try {
    simulate(g, analog(g), hermes(1));
  } catch (const Error& e) {
    what = e.what();
  }
  CHECK(what.find("need 2") != std::string::npos);
  CHECK(what.find("tile.count = 1") != std::string::npos);
}
