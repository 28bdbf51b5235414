// test-links: aimcsim_sim
// Weight duplication (run.weight_duplication = "auto", weight_duplication.h):
// replica counts of the greedy, no tile shared, never more tiles than the
// chip, "off" = the packed placement unchanged.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/graph/graph_builder.h"
#include "sim/mapping/mapping.h"
#include "sim/placement/placement.h"

using namespace aimcsim;

namespace {

HardwareConfig hermes(int tiles, WeightDuplication dup) {
  HardwareConfig c = load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
  c.tile.count = tiles;
  c.run.weight_duplication = dup;
  return c;
}

// "big": 144 x 16 at 16 x 16 = 256 MVMs; "small": 144 x 16, stride 2 = 64 MVMs.
// 144 + 144 rows > 256: one tile each.
Graph big_then_small() {
  GraphBuilder b("two");
  Tensor x = b.input("x", {1, 16, 16, 16});
  Tensor big = b.conv2d("big", x, {.out_channels = 16, .kernel = 3, .padding = 1});
  b.output("out",
           b.conv2d("small", big, {.out_channels = 16, .kernel = 3, .stride = 2, .padding = 1}));
  return std::move(b).build();
}

// 576 x 32 at 8 x 8: three input blocks of 192 rows, one tile each, 64 MVMs.
Graph three_tile_conv() {
  GraphBuilder b("wide");
  Tensor x = b.input("x", {1, 64, 8, 8});
  b.output("out", b.conv2d("conv", x, {.out_channels = 32, .kernel = 3, .padding = 1}));
  return std::move(b).build();
}

Placement place_all_analog(const Graph& g, const HardwareConfig& c) {
  return place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
}

// Every tile holds blocks of exactly one (op, replica), or is an original tile.
void check_replica_tiles_exclusive(const Placement& p) {
  std::map<int, std::set<std::pair<std::size_t, int>>> owners;
  for (const auto& b : p.blocks) owners[b.tile.value].insert({b.op.value, b.replica});
  for (const auto& b : p.blocks) {
    if (b.replica > 0) CHECK(owners[b.tile.value].size() == 1);
  }
  CHECK(static_cast<int>(owners.size()) == p.tiles_used);
  CHECK(p.tiles_used <= p.tiles_available);
}

}  // namespace

TEST_CASE("auto: the op with the largest per-replica MVM time gets the spare tiles first") {
  const Graph g = big_then_small();
  // 5 tiles, 2 packed, 3 spare: big 256 -> 128 -> 85.3 -> 64 MVMs per replica; then
  // the tie at 64 goes to big (earlier op), whose next copy has no tile left.
  const Placement p = place_all_analog(g, hermes(5, WeightDuplication::kAuto));
  const auto& big = p.analog.at(g.find("big")->value);
  const auto& small = p.analog.at(g.find("small")->value);
  CHECK(big.replicas() == 4);
  CHECK(small.replicas() == 1);
  CHECK(p.tiles_used == 5);
  check_replica_tiles_exclusive(p);
  for (const auto& r : big.replica_tiles) {
    REQUIRE(r.size() == 1);
    CHECK(r[0].active_rows == big.tiles[0].active_rows);
    CHECK(r[0].active_cols == big.tiles[0].active_cols);
  }
  // One tile fewer: big stops at 3 replicas.
  CHECK(place_all_analog(g, hermes(4, WeightDuplication::kAuto))
            .analog.at(g.find("big")->value)
            .replicas() == 3);
  // 7 tiles: big reaches 5 replicas (51.2 MVMs), then small (64) gets the last tile.
  const Placement q = place_all_analog(g, hermes(7, WeightDuplication::kAuto));
  CHECK(q.analog.at(g.find("big")->value).replicas() == 5);
  CHECK(q.analog.at(g.find("small")->value).replicas() == 2);
  check_replica_tiles_exclusive(q);
}

TEST_CASE("auto: a multi-tile op is copied whole, never more tiles than the chip") {
  const Graph g = three_tile_conv();
  const Placement p = place_all_analog(g, hermes(10, WeightDuplication::kAuto));
  const auto& ap = p.analog.at(g.find("conv")->value);
  CHECK(ap.tiles.size() == 3);
  CHECK(ap.replicas() == 3);  // 7 spare tiles hold two copies of 3 tiles
  CHECK(ap.tile_count() == 9);
  CHECK(p.tiles_used == 9);
  CHECK(p.blocks.size() == 9);
  check_replica_tiles_exclusive(p);
  const Placement full = place_all_analog(g, hermes(64, WeightDuplication::kAuto));
  CHECK(full.analog.at(g.find("conv")->value).replicas() == 21);  // floor(64 / 3) copies fit
  CHECK(full.tiles_used == 63);
  // 64 positions cap the copies: one tile per replica, 100 tiles -> 64 replicas.
  GraphBuilder b("one_tile");
  Tensor x = b.input("x", {1, 16, 8, 8});
  b.output("out", b.conv2d("conv", x, {.out_channels = 16, .kernel = 3, .padding = 1}));
  const Graph one = std::move(b).build();
  const Placement capped = place_all_analog(one, hermes(100, WeightDuplication::kAuto));
  CHECK(capped.analog.at(one.find("conv")->value).replicas() == 64);
  CHECK(capped.tiles_used == 64);
  check_replica_tiles_exclusive(full);
}

TEST_CASE("auto: an op with a single MVM position is never copied (it would not get faster)") {
  GraphBuilder b("fc");
  Tensor x = b.input("x", {1, 600});
  b.output("out", b.linear("fc", x, 300));
  const Graph g = std::move(b).build();
  const Placement p = place_all_analog(g, hermes(64, WeightDuplication::kAuto));
  CHECK(p.analog.at(g.find("fc")->value).replicas() == 1);
  CHECK(p.tiles_used == 6);
}

TEST_CASE("off: the packed placement, unchanged, auto keeps it as replica 0") {
  const Graph g = big_then_small();
  const Placement off = place_all_analog(g, hermes(64, WeightDuplication::kOff));
  const Placement on = place_all_analog(g, hermes(64, WeightDuplication::kAuto));
  CHECK(off.tiles_used == 2);
  CHECK(off.blocks.size() == 2);
  for (const auto& [id, ap] : off.analog) CHECK(ap.replicas() == 1);
  REQUIRE(on.blocks.size() > off.blocks.size());
  for (std::size_t i = 0; i < off.blocks.size(); ++i) {
    CHECK(on.blocks[i].replica == 0);
    CHECK(on.blocks[i].tile == off.blocks[i].tile);
    CHECK(on.blocks[i].row_offset == off.blocks[i].row_offset);
  }
  CHECK(on.tiles_used == 64);
  check_replica_tiles_exclusive(on);
}
