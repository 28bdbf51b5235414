// test-links: aimcsim_sim
// Placement: even split into blocks, first-fit diagonal packing, too-few-tiles
// errors, reprogramming rounds, reduce cores, precision checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/graph/graph_builder.h"
#include "sim/mapping/mapping.h"
#include "sim/placement/placement.h"

using namespace aimcsim;

namespace {

HardwareConfig hermes() {
  return load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
}

// Depthwise 3x3 conv of 32 channels: 32 blocks of 9 rows x 1 column.
Graph depthwise() {
  GraphBuilder b("dw");
  Tensor x = b.input("x", {1, 32, 8, 8});
  b.output("out", b.conv2d("dw", x, {.out_channels = 32, .kernel = 3, .padding = 1, .groups = 32}));
  return std::move(b).build();
}

// linear 600 -> 300 on 256 x 256 tiles: 3 input blocks of 200, 2 output blocks of 150.
Graph wide_linear() {
  GraphBuilder b("wide");
  Tensor x = b.input("x", {1, 600});
  b.output("out", b.relu("relu", b.linear("fc", x, 300)));
  return std::move(b).build();
}

std::string placement_error(const Graph& g, const Mapping& m, const HardwareConfig& c) {
  try {
    place(g, m, c);
  } catch (const PlacementError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("depthwise blocks pack down the diagonal: 28 per 256-row tile, disjoint ranges") {
  const Graph g = depthwise();
  const Placement p = place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), hermes());
  REQUIRE(p.blocks.size() == 32);
  CHECK(p.tiles_used == 2);  // floor(256 / 9) = 28 blocks in tile 0, 4 in tile 1
  CHECK(std::count_if(p.blocks.begin(), p.blocks.end(),
                      [](const PlacedBlock& b) { return b.tile.value == 0; }) == 28);
  const auto& ap = p.analog.at(g.find("dw")->value);
  REQUIRE(ap.tiles.size() == 2);
  CHECK(ap.tiles[0].active_rows == 28 * 9);
  CHECK(ap.tiles[0].active_cols == 28);
  CHECK(ap.tiles[1].active_rows == 4 * 9);
  CHECK(ap.in_blocks == 1);
  CHECK_FALSE(ap.reduce_core);
  for (std::size_t i = 1; i < 28; ++i) {
    CHECK(p.blocks[i].row_offset == p.blocks[i - 1].row_offset + 9);
    CHECK(p.blocks[i].col_offset == p.blocks[i - 1].col_offset + 1);
  }
  CHECK(p.blocks[28].row_offset == 0);  // first block of tile 1
}

TEST_CASE("even split: 600 x 300 -> 3 x 2 blocks of 200 x 150, one per tile, reduced on a core") {
  const Graph g = wide_linear();
  HardwareConfig c = hermes();
  // hermes.toml adds partial sums tile to tile over the links (no reduce core).
  CHECK_FALSE(place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c)
                  .analog.at(g.find("fc")->value)
                  .reduce_core);
  c.tile.psum_reduction = PsumReduction::kCore;
  const Placement p = place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  const auto& ap = p.analog.at(g.find("fc")->value);
  CHECK(ap.in_blocks == 3);
  CHECK(ap.out_blocks == 2);
  CHECK(p.tiles_used == 6);  // 200 + 200 rows > 256: no two blocks share a tile
  for (const auto& b : p.blocks) {
    CHECK(b.in.size == 200);
    CHECK(b.out.size == 150);
  }
  REQUIRE(ap.reduce_core);
  CHECK(ap.tiles[0].input_fraction == doctest::Approx(200.0 / 600.0));
  CHECK(p.core.count(g.find("relu")->value) == 1);
}

TEST_CASE("too few tiles: the error names the tiles needed and available") {
  const Graph g = wide_linear();
  HardwareConfig c = hermes();
  c.tile.count = 4;
  const std::string what = placement_error(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  CHECK(what.find("need 6 tiles") != std::string::npos);
  CHECK(what.find("tile.count = 4") != std::string::npos);
  CHECK(what.find("allow_reprogramming") != std::string::npos);
}

TEST_CASE("reprogramming: ops go to successive rounds, an op too big for the chip is an error") {
  GraphBuilder b("two");
  Tensor x = b.input("x", {1, 200});
  b.output("out", b.linear("fc2", b.linear("fc1", x, 200), 200));
  const Graph g = std::move(b).build();
  HardwareConfig c = hermes();
  c.tile.count = 1;
  c.run.allow_reprogramming = true;
  const Placement p = place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  CHECK(p.rounds == 2);
  CHECK(p.analog.at(g.find("fc1")->value).round == 0);
  CHECK(p.analog.at(g.find("fc2")->value).round == 1);
  CHECK(programmed_rows(p, TileId{0}, 1) == 200);

  const Graph w = wide_linear();
  const std::string what = placement_error(w, make_preset_mapping(MappingPreset::kAllAnalog, w), c);
  CHECK(what.find("'fc' alone needs 6 tiles") != std::string::npos);
}

TEST_CASE("small ops share a tile first-fit, digital ops go to the least-loaded core") {
  GraphBuilder b("branches");
  Tensor x = b.input("x", {1, 8, 8, 8});
  Tensor a = b.conv2d("a", x, {.out_channels = 8, .kernel = 3, .padding = 1});   // 72 x 8
  Tensor c2 = b.conv2d("b", x, {.out_channels = 8, .kernel = 3, .padding = 1});  // 72 x 8
  b.output("out", b.add("sum", {b.relu("ra", a), b.relu("rb", c2)}));
  const Graph g = std::move(b).build();
  HardwareConfig c = hermes();
  const Placement p = place(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  CHECK(p.tiles_used == 1);
  CHECK(p.blocks[1].row_offset == 72);
  CHECK(p.blocks[1].col_offset == 8);
  // ra, rb, sum: three equal-sized vector ops on 8 cores -> cores 0, 1, 2.
  CHECK(p.core.at(g.find("ra")->value).value == 0);
  CHECK(p.core.at(g.find("rb")->value).value == 1);
  CHECK(p.core.at(g.find("sum")->value).value == 2);
}

TEST_CASE("fp16 requested but the cores have no fp16 lanes: error names the op and key") {
  const Graph g = wide_linear();
  HardwareConfig c = hermes();
  c.digital.fp16_mac_lanes = 0;
  const std::string what =
      placement_error(g, make_preset_mapping(MappingPreset::kAllDigital, g), c);
  CHECK(what.find("'fc'") != std::string::npos);
  CHECK(what.find("digital.fp16_mac_lanes = 0") != std::string::npos);
  CHECK_NOTHROW(place(g, make_preset_mapping(MappingPreset::kAllInt8, g), c));
}
