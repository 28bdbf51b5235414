// test-links: aimcsim_sim
// A digital layer split over cores (run.digital_split, sim/placement/digital_split.h):
// the parts against the timing rule, off vs auto, and where splitting does not pay.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/graph/graph_builder.h"
#include "sim/mapping/mapping.h"
#include "sim/placement/digital_split.h"
#include "sim/placement/op_cost.h"
#include "sim/placement/placement.h"

using namespace aimcsim;

namespace {

HardwareConfig hermes() {
  return load_hardware_config(std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml");
}

Graph one_linear(std::int64_t tokens, std::int64_t in, std::int64_t out) {
  GraphBuilder b("fc");
  Tensor x = b.input("x", {1, tokens, in});
  b.output("out", b.linear("fc", x, out));
  return std::move(b).build();
}

}  // namespace

TEST_CASE("off: one part on one core, the whole op") {
  const HardwareConfig c = hermes();
  const Graph g = one_linear(64, 512, 512);
  const Op& op = g.op(*g.find("fc"));
  const DigitalCoreTiming core(c.digital);
  const auto s = choose_split(op, DigitalPrecision::kInt8, core, c.fabric, c.digital.count,
                              DigitalSplit::kOff);
  REQUIRE(s.parts.size() == 1);
  CHECK(s.axis == SplitAxis::kNone);
  CHECK(s.parts[0].compute_ps == core.gemm_time(gemm_shape_of(op), DigitalPrecision::kInt8));
}

TEST_CASE("auto: a large GEMM takes every core, each part 1/N of the outputs by the rule") {
  const HardwareConfig c = hermes();  // 8 cores, 256 INT8 lanes at 1 GHz, 32-byte mesh links
  const Graph g = one_linear(64, 512, 512);
  const Op& op = g.op(*g.find("fc"));
  const DigitalCoreTiming core(c.digital);
  const auto s = choose_split(op, DigitalPrecision::kInt8, core, c.fabric, c.digital.count,
                              DigitalSplit::kAuto);
  REQUIRE(s.parts.size() == 8);
  // 64 x 512 x 512 MACs / 8 parts / 256 lanes = 8192 cycles of 1 ns per part.
  for (const auto& p : s.parts) CHECK(p.compute_ps == 8192 * 1000);
  std::int64_t macs = 0;
  for (const auto& p : s.parts) macs += p.gemm.macs();
  CHECK(macs == op.stats.macs);
  // The rule: slowest part + the largest part's operand and output flits on a mesh.
  CHECK(s.estimate_ps == split_estimate_ps(op, s.parts, 1, c.fabric));
  const auto one = split_parts(op, DigitalPrecision::kInt8, core, SplitAxis::kNone, 1);
  CHECK(s.estimate_ps < split_estimate_ps(op, one, 1, c.fabric));
  // Every s the rule could pick is no faster than the chosen one.
  for (int n = 1; n <= 8; ++n) {
    for (SplitAxis a : {SplitAxis::kOutputs, SplitAxis::kVectors}) {
      const auto parts = split_parts(op, DigitalPrecision::kInt8, core, a, n);
      CHECK(split_estimate_ps(op, parts, 1, c.fabric) >= s.estimate_ps);
    }
  }
}

TEST_CASE("auto: a tiny GEMM on a bus stays on one core (moving operands costs more)") {
  HardwareConfig c = hermes();
  c.fabric.topology = FabricTopology::kBus;
  c.fabric.link_bytes_per_cycle = 1;
  const Graph g = one_linear(1, 64, 64);  // 4096 MACs = 16 cycles on one core
  const Op& op = g.op(*g.find("fc"));
  const DigitalCoreTiming core(c.digital);
  const auto s = choose_split(op, DigitalPrecision::kInt8, core, c.fabric, c.digital.count,
                              DigitalSplit::kAuto);
  CHECK(s.parts.size() == 1);
}

TEST_CASE("placement: split parts go to distinct least-loaded cores, loads add up") {
  HardwareConfig c = hermes();
  c.run.digital_split = DigitalSplit::kAuto;
  const Graph g = one_linear(64, 512, 512);
  const Placement p = place(g, make_preset_mapping(MappingPreset::kAllInt8, g), c);
  const auto& d = p.digital.at(g.find("fc")->value);
  REQUIRE(d.parts.size() == 8);
  std::set<int> cores;
  for (const auto& part : d.parts) cores.insert(part.core);
  CHECK(cores.size() == 8);
  for (Picoseconds load : p.core_load_ps) CHECK(load == 8192 * 1000);
  CHECK(p.core.at(g.find("fc")->value).value == d.parts.front().core);
}
