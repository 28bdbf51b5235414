// test-links: aimcsim_sim
// Output-pixel unrolling (tile.max_output_unroll, sim/placement/output_unroll.h) at
// its boundaries: a rectangle that exactly fills the tile's rows or columns, one row
// or column short, the ops it does not apply to, and the placement and plan it gives.
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/op_plan.h"
#include "sim/graph/graph_builder.h"
#include "sim/placement/output_unroll.h"
#include "sim/placement/placement.h"

using namespace aimcsim;

namespace {

// DIANA's AIMC core: 1152 x 512, unroll up to 8, input channels in groups of >= 64.
TileParams diana_tile(int rows = 1152, int cols = 512) {
  TileParams t;
  t.numerics.tile_rows = rows;
  t.numerics.tile_cols = cols;
  t.adcs_per_tile = cols;
  t.max_output_unroll = 8;
  t.unroll_min_channels = 64;
  return t;
}

Graph one_conv(std::int64_t c_in, std::int64_t c_out, std::int64_t w, std::int64_t groups = 1,
               std::int64_t stride = 1) {
  GraphBuilder b("one_conv");
  Tensor x = b.input("x", {1, c_in, 32, w});
  b.output(
      "out",
      b.conv2d(
          "conv", x,
          {.out_channels = c_out, .kernel = 3, .stride = stride, .padding = 1, .groups = groups}));
  return std::move(b).build();
}

const Op& conv_of(const Graph& g) {
  for (OpId id : g.ids())
    if (g.op(id).kind == OpKind::kConv2d) return g.op(id);
  throw Error("no conv");
}

}  // namespace

TEST_CASE("rows: 4 pixels of a 16-channel 3x3 conv fill 1152 rows exactly - 1151 rows take 2") {
  const Graph g = one_conv(16, 16, 32);
  const OutputUnroll u = choose_output_unroll(conv_of(g), diana_tile());
  CHECK(u.factor == 4);
  CHECK(u.rows == 3 * (4 + 2) * 64);  // = 1152
  CHECK(u.cols == 4 * 16);
  const OutputUnroll short_rows = choose_output_unroll(conv_of(g), diana_tile(1151));
  CHECK(short_rows.factor == 2);
  CHECK(short_rows.rows == 3 * 4 * 64);
}

TEST_CASE("columns: 4 x 128 outputs fill 512 columns exactly - 511 columns take 2") {
  TileParams t = diana_tile(4096, 512);
  t.unroll_min_channels = 1;
  const Graph g = one_conv(16, 128, 32);
  CHECK(choose_output_unroll(conv_of(g), t).factor == 4);
  t.numerics.tile_cols = 511;
  t.adcs_per_tile = 511;
  CHECK(choose_output_unroll(conv_of(g), t).factor == 2);
}

TEST_CASE("stride widens the input window - the output width caps the factor") {
  TileParams t = diana_tile(100000, 512);
  t.unroll_min_channels = 1;
  const OutputUnroll s2 = choose_output_unroll(conv_of(one_conv(16, 16, 32, 1, 2)), t);
  CHECK(s2.factor == 8);
  CHECK(s2.rows == 3 * (2 * 7 + 3) * 16);
  CHECK(choose_output_unroll(conv_of(one_conv(16, 16, 5)), t).factor == 4);  // W_out = 5
}

TEST_CASE("off, grouped convs, linear layers and multi-block convs are not unrolled") {
  TileParams off = diana_tile();
  off.max_output_unroll = 1;
  const OutputUnroll none = choose_output_unroll(conv_of(one_conv(16, 16, 32)), off);
  CHECK(none.factor == 1);
  CHECK(none.rows == 144);
  CHECK(none.cols == 16);
  CHECK(choose_output_unroll(conv_of(one_conv(16, 16, 32, 16)), diana_tile()).factor == 1);
  CHECK(choose_output_unroll(conv_of(one_conv(256, 16, 32)), diana_tile()).factor ==
        1);  // 2304 rows
  GraphBuilder b("fc");
  Tensor x = b.input("x", {1, 64});
  b.output("out", b.linear("fc", x, 10, true));
  const Graph fc = std::move(b).build();
  for (OpId id : fc.ids())
    if (fc.op(id).mappable()) CHECK(choose_output_unroll(fc.op(id), diana_tile()).factor == 1);
}

TEST_CASE("positions: N x H_out x ceil(W_out / u)") {
  const Graph g = one_conv(16, 16, 30);
  CHECK(unrolled_positions(conv_of(g), 1) == 32 * 30);
  CHECK(unrolled_positions(conv_of(g), 4) == 32 * 8);
}

TEST_CASE("placement packs the unrolled rectangle - the plan runs one MVM per 4 pixels") {
  HardwareConfig c = load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/diana.toml");
  const Graph g = one_conv(16, 16, 32);
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const Placement p = place(g, m, c);
  const Op& conv = conv_of(g);
  std::size_t id = 0;
  for (OpId o : g.ids())
    if (&g.op(o) == &conv) id = o.value;
  const AnalogPlacement& ap = p.analog.at(id);
  CHECK(ap.output_unroll == 4);
  REQUIRE(ap.tiles.size() == 1);
  CHECK(ap.tiles[0].active_rows == 1152);
  CHECK(ap.tiles[0].active_cols == 64);
  CHECK(programmed_rows(p, TileId{0}, 0) == 144);  // one copy is written (ODiMO)
  const auto plans = build_plans(g, p, c);
  CHECK(plans[id].positions == 32 * 8);
}
