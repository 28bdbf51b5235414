// test-links: aimcsim_sim
// Intra-inference pipelining: which producer chunks a consumer chunk needs
// (chunk_deps.h), at the boundaries of the kernel halo, stride and padding,
// and how build_plans() wires it (row-local ops vs aliases in between).
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/chunk_deps.h"
#include "sim/engine/op_plan.h"
#include "sim/graph/graph_builder.h"
#include "sim/placement/placement.h"

using namespace aimcsim;

namespace {

const RowWindow k3p1s1{.kernel = 3, .stride = 1, .padding = 1, .dilation = 1};
const RowWindow k3p1s2{.kernel = 3, .stride = 2, .padding = 1, .dilation = 1};

HardwareConfig hermes() {
  return load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
}

}  // namespace

TEST_CASE("chunk rows split front-loaded, like chunk_share") {
  CHECK(chunk_first_row(10, 4, 0) == 0);
  CHECK(chunk_first_row(10, 4, 1) == 3);
  CHECK(chunk_first_row(10, 4, 2) == 6);
  CHECK(chunk_first_row(10, 4, 3) == 8);
  CHECK(chunk_first_row(10, 4, 4) == 10);
  for (int k = 0; k < 4; ++k) {
    CHECK(chunk_first_row(10, 4, k + 1) - chunk_first_row(10, 4, k) == chunk_share(10, 4, k));
  }
}

TEST_CASE("kernel 3, pad 1, stride 1, one row per chunk: chunk k needs producer chunks 0..k+1") {
  // Output row k reads input rows k-1..k+1 (row -1 is padding).
  CHECK(producer_chunks_needed(k3p1s1, 8, 8, 0, 8, 8) == 2);
  CHECK(producer_chunks_needed(k3p1s1, 8, 8, 3, 8, 8) == 5);
  CHECK(producer_chunks_needed(k3p1s1, 8, 8, 5, 8, 8) == 7);
  CHECK(producer_chunks_needed(k3p1s1, 8, 8, 6, 8, 8) == 8);  // row 7 is the last input row
  CHECK(producer_chunks_needed(k3p1s1, 8, 8, 7, 8, 8) == 8);  // row 8 would be padding
}

TEST_CASE("kernel 3, pad 1, stride 1, two rows per chunk (32 rows, 16 chunks)") {
  // Chunk k = rows 2k, 2k+1 reads up to row 2k+2, held by producer chunk k+1.
  CHECK(producer_chunks_needed(k3p1s1, 32, 16, 0, 32, 16) == 2);
  CHECK(producer_chunks_needed(k3p1s1, 32, 16, 13, 32, 16) == 15);
  CHECK(producer_chunks_needed(k3p1s1, 32, 16, 14, 32, 16) == 16);
  CHECK(producer_chunks_needed(k3p1s1, 32, 16, 15, 32, 16) == 16);
}

TEST_CASE("kernel 3, pad 1, stride 2: output row r reads input rows 2r-1..2r+1") {
  // 16 -> 8 rows, one row per chunk on both sides: chunk r needs 2r+2 chunks.
  CHECK(producer_chunks_needed(k3p1s2, 8, 8, 0, 16, 16) == 2);
  CHECK(producer_chunks_needed(k3p1s2, 8, 8, 3, 16, 16) == 8);
  CHECK(producer_chunks_needed(k3p1s2, 8, 8, 6, 16, 16) == 14);
  CHECK(producer_chunks_needed(k3p1s2, 8, 8, 7, 16, 16) == 16);  // row 15 read, row 16 padding
  // 32 -> 16 rows, the producer at two rows per chunk: row 2r+1 sits in chunk r.
  CHECK(producer_chunks_needed(k3p1s2, 16, 16, 0, 32, 16) == 1);
  CHECK(producer_chunks_needed(k3p1s2, 16, 16, 9, 32, 16) == 10);
  CHECK(producer_chunks_needed(k3p1s2, 16, 16, 15, 32, 16) == 16);
}

TEST_CASE("whole-sample consumers and one-chunk producers need every producer chunk") {
  CHECK(producer_chunks_needed(std::nullopt, 8, 8, 0, 8, 8) == 8);
  CHECK(producer_chunks_needed(std::nullopt, 1, 1, 0, 32, 16) == 16);
  CHECK(producer_chunks_needed(RowWindow{}, 8, 8, 0, 1, 1) == 1);
  CHECK(producer_chunks_needed(RowWindow{}, 8, 8, 0, 8, 8) == 1);  // element-wise: same row
  CHECK(producer_chunks_needed(RowWindow{}, 8, 8, 7, 8, 8) == 8);
}

TEST_CASE("row windows: conv/pool halos, element-wise identity, everything else whole-sample") {
  GraphBuilder b("kinds");
  Tensor x = b.input("x", {1, 8, 16, 16});
  Tensor c = b.conv2d("c", x, {.out_channels = 8, .kernel = 3, .stride = 2, .padding = 1});
  Tensor r = b.relu("r", c);
  Tensor m = b.maxpool("m", r, 2, 2);
  Tensor gp = b.global_avgpool("gp", m);
  Tensor fc = b.linear("fc", b.flatten("flat", gp), 10);
  Tensor sm = b.softmax("sm", fc);
  Tensor t = b.input("tokens", {1, 4, 16});
  Tensor tl = b.linear("tl", t, 16);
  Tensor qk = b.matmul("qk", tl, tl, true);
  b.output("o1", sm);
  b.output("o2", qk);
  const Graph g = std::move(b).build();
  auto window = [&g](const char* name) { return row_window(g.op(*g.find(name)), 0); };
  REQUIRE(window("c"));
  CHECK(window("c")->kernel == 3);
  CHECK(window("c")->stride == 2);
  CHECK(window("c")->padding == 1);
  CHECK(window("r")->kernel == 1);
  CHECK(window("m")->stride == 2);
  CHECK(window("tl"));  // linear over tokens
  CHECK_FALSE(window("gp"));
  CHECK_FALSE(window("fc"));  // linear over a flat vector
  CHECK_FALSE(window("sm"));
  CHECK_FALSE(window("qk"));
}

TEST_CASE("build_plans: a relu pipelines behind its conv, a linear behind a flatten waits") {
  GraphBuilder b("chain");
  Tensor x = b.input("x", {1, 8, 8, 8});
  Tensor c = b.conv2d("c", x, {.out_channels = 8, .kernel = 3, .padding = 1});
  Tensor r = b.relu("r", c);
  Tensor c2 = b.conv2d("c2", r, {.out_channels = 8, .kernel = 3, .padding = 1});
  b.output("out", b.linear("fc", b.flatten("flat", c2), 10));
  const Graph g = std::move(b).build();
  HardwareConfig cfg = hermes();
  const Mapping map = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const auto id = [&g](const char* n) { return g.find(n)->value; };
  for (bool pipelining : {true, false}) {
    CAPTURE(pipelining);
    cfg.run.layer_pipelining = pipelining;
    const Placement p = place(g, map, cfg);
    const auto plans = build_plans(g, p, cfg);
    const OpPlan& relu = plans[id("r")];
    REQUIRE(relu.producers == std::vector<std::size_t>{id("c")});
    REQUIRE(relu.chunks == 8);
    CHECK(relu.producer_chunks_needed[0][0] == (pipelining ? 1 : 8));
    CHECK(plans[id("c2")].producer_chunks_needed[0][0] == (pipelining ? 2 : 8));
    const OpPlan& fc = plans[id("fc")];
    REQUIRE(fc.producers == std::vector<std::size_t>{id("c2")});
    CHECK(fc.producer_chunks_needed[0][0] == 8);  // through the flatten alias
    // The chunk-level bound never exceeds the op-level chain sum; pipelining lowers it.
    Picoseconds chain = 0;
    for (const char* n : {"c", "r", "c2", "fc"}) chain += plans[id(n)].min_duration_ps;
    if (pipelining) {
      CHECK(critical_path_ps(plans) < chain);
    } else {
      CHECK(critical_path_ps(plans) == chain);
    }
  }
}
