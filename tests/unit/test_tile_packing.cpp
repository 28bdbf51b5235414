// test-links: aimcsim_sim
// Tile packing (run.tile_packing, sim/placement/tile_packing.h) at its
// boundaries: a block that exactly fills a tile, two blocks that just do not
// fit, one op's blocks kept block-diagonal, and MobileNetV2 on 512 x 512 tiles.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "sim/mapping/mapping.h"
#include "sim/placement/placement.h"
#include "sim/placement/tile_packing.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

int tiles_for(const std::vector<std::pair<int, int>>& blocks, bool same_op, TilePacking mode) {
  TileSpace s(mode, 512, 512);
  std::size_t op = 0;
  for (const auto& [r, c] : blocks) s.place(same_op ? 0 : op++, r, c, true);
  return s.tiles();
}

Placement mobilenet(TilePacking mode) {
  HardwareConfig c = load_hardware_config(kSource + "/configs/mps-paper.toml");
  // Diagonal: room for the need (not the error); dense: the chip's 64 tiles, which
  // the diagonal packing does not fit, so the dense rule packs.
  if (mode == TilePacking::kDiagonal) c.tile.count = 1000;
  c.run.tile_packing = mode;
  const Graph g = read_trace_file(kSource + "/traces/mobilenet_v2_imagenet.trace");
  return place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
}

}  // namespace

TEST_CASE("a block that exactly fills a tile takes it whole, one more block opens a tile") {
  for (TilePacking mode : {TilePacking::kDiagonal, TilePacking::kDense}) {
    CHECK(tiles_for({{512, 512}}, false, mode) == 1);
    CHECK(tiles_for({{512, 512}, {1, 1}}, false, mode) == 2);
    // Four 256 x 256 blocks of different ops fill a dense tile exactly.
    CHECK(tiles_for({{256, 256}, {256, 256}, {256, 256}, {256, 256}}, false, mode) ==
          (mode == TilePacking::kDense ? 1 : 2));
  }
}

TEST_CASE("two blocks of different ops: 256 + 256 rows share a dense tile, 257 + 256 do not") {
  CHECK(tiles_for({{256, 300}, {256, 300}}, false, TilePacking::kDense) == 1);
  CHECK(tiles_for({{257, 300}, {256, 300}}, false, TilePacking::kDense) == 2);
  // On the diagonal both need 600 columns: two tiles either way.
  CHECK(tiles_for({{256, 300}, {256, 300}}, false, TilePacking::kDiagonal) == 2);
}

TEST_CASE("two blocks of one op stay block-diagonal: 256 x 256 twice fits, 256 x 257 twice not") {
  for (TilePacking mode : {TilePacking::kDiagonal, TilePacking::kDense}) {
    CHECK(tiles_for({{256, 256}, {256, 256}}, true, mode) == 1);
    CHECK(tiles_for({{256, 257}, {256, 257}}, true, mode) == 2);
    CHECK(tiles_for({{257, 256}, {256, 256}}, true, mode) == 2);
  }
  TileSpace s(TilePacking::kDense, 512, 512);
  s.place(7, 256, 256, true);
  const auto second = s.place(7, 256, 256, false);
  REQUIRE(second);
  CHECK(second->row == 256);
  CHECK(second->col == 256);
}

TEST_CASE("dense packing: one op's blocks on a tile own disjoint rows and columns") {
  const Placement p = mobilenet(TilePacking::kDense);
  std::map<std::pair<std::size_t, int>, std::vector<const PlacedBlock*>> by;
  for (const auto& b : p.blocks) by[{b.op.value, b.tile.value}].push_back(&b);
  for (const auto& [key, blocks] : by) {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const auto& a = *blocks[i];
      CHECK(a.row_offset + a.in.size <= 512);
      CHECK(a.col_offset + a.out.size <= 512);
      for (std::size_t j = i + 1; j < blocks.size(); ++j) {
        const auto& b = *blocks[j];
        const bool rows_apart =
            a.row_offset + a.in.size <= b.row_offset || b.row_offset + b.in.size <= a.row_offset;
        const bool cols_apart =
            a.col_offset + a.out.size <= b.col_offset || b.col_offset + b.out.size <= a.col_offset;
        CHECK((rows_apart && cols_apart));
      }
    }
  }
}

TEST_CASE("MobileNetV2 all-analog on 512 x 512: 155 tiles on the diagonal, 39 dense") {
  CHECK(mobilenet(TilePacking::kDiagonal).tiles_used == 155);
  const Placement dense = mobilenet(TilePacking::kDense);
  CHECK(dense.tiles_used == 39);
  // No two blocks overlap on a crossbar.
  std::map<int, std::vector<const PlacedBlock*>> per_tile;
  for (const auto& b : dense.blocks) per_tile[b.tile.value].push_back(&b);
  for (const auto& [tile, blocks] : per_tile) {
    std::int64_t cells = 0;
    for (const auto* b : blocks) cells += b->in.size * b->out.size;
    CHECK(cells <= 512 * 512);
  }
}

TEST_CASE("dense keeps the diagonal packing when it fits the chip: ResNet-20 on mps-paper") {
  HardwareConfig c = load_hardware_config(kSource + "/configs/mps-paper.toml");
  const Graph g = read_trace_file(kSource + "/traces/resnet20_cifar.trace");
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  c.run.tile_packing = TilePacking::kDiagonal;
  const Placement diag = place(g, m, c);
  c.run.tile_packing = TilePacking::kDense;
  const Placement dense = place(g, m, c);
  CHECK(diag.tiles_used == 18);
  CHECK(dense.tiles_used == diag.tiles_used);
  REQUIRE(dense.blocks.size() == diag.blocks.size());
  for (std::size_t i = 0; i < diag.blocks.size(); ++i) {
    CHECK(dense.blocks[i].tile == diag.blocks[i].tile);
    CHECK(dense.blocks[i].row_offset == diag.blocks[i].row_offset);
  }
}
