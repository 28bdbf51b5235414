// test-links: aimcsim_sim
// SystemC scenarios of intra-inference layer pipelining (run.layer_pipelining):
// a chain of convs finishes earlier with it than without, never earlier than
// the chunk-level lower bound; the report invariants hold on ResNet-20.
// Each TEST_CASE runs in its own process; the reference run without
// pipelining runs in a forked child (run_in_child.h).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "tests/systemc/run_in_child.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig hermes(bool pipelining) {
  HardwareConfig c = load_hardware_config(kSource + "/configs/hermes.toml");
  c.run.layer_pipelining = pipelining;
  c.tile.ldpu_clock_mhz = 0.0;  // MVMs alone: the bounds below count 133 ns per MVM
  return c;
}

// Four 3x3 convs of 16 -> 16 channels on 8 x 8: one tile each (144 rows, with
// 144 + 144 > 256), 64 MVMs = 8 one-row chunks each.
Graph conv_chain() {
  GraphBuilder b("chain");
  Tensor x = b.input("x", {1, 16, 8, 8});
  for (int i = 0; i < 4; ++i) {
    x = b.conv2d("conv" + std::to_string(i), x, {.out_channels = 16, .kernel = 3, .padding = 1});
  }
  b.output("out", x);
  return std::move(b).build();
}

void check_invariants(const Report& r) {
  double kinds = 0.0;
  for (double v : r.energy_per_inference.pj) kinds += v;
  CHECK(kinds == doctest::Approx(r.energy_pj).epsilon(1e-12));
  double layers = r.energy_per_inference[EnergyKind::kLeakage];
  for (const auto& l : r.layers) layers += l.energy_pj.total();
  CHECK(layers == doctest::Approx(r.energy_pj).epsilon(1e-9));
  CHECK(r.critical_path_lower_bound_ns > 0.0);
  CHECK(r.critical_path_lower_bound_ns <= r.latency_ns);
  CHECK(r.latency_ns <= r.serial_sum_ns);
}

}  // namespace

TEST_CASE("a chain of convs finishes earlier with pipelining, never before the lower bound") {
  const Graph g = conv_chain();
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const std::vector<double> off = test::run_in_child([&] {
    const Report r = simulate(g, m, hermes(false));
    return std::vector<double>{r.latency_ns, r.critical_path_lower_bound_ns, r.energy_pj,
                               r.energy_per_inference[EnergyKind::kAdc]};
  });
  REQUIRE(off.size() == 4);
  const Report on = simulate(g, m, hermes(true));
  CHECK(on.layer_pipelining);
  check_invariants(on);
  // Without pipelining each conv waits for the whole previous one: at least
  // 4 x 64 MVMs x 133 ns back to back (the op-level bound).
  const double mvm_ns = 133.0;
  CHECK(off[0] >= 4 * 64 * mvm_ns);
  CHECK(off[1] == doctest::Approx(4 * 64 * mvm_ns));
  // With it, conv i+1's row chunk k needs rows up to k+1 of conv i: the chain
  // overlaps, the bound is conv0's 8 chunks + 3 x 2 chunks of start-up delay.
  CHECK(on.critical_path_lower_bound_ns == doctest::Approx((8 + 3 * 2) * 8 * mvm_ns));
  CHECK(on.latency_ns >= on.critical_path_lower_bound_ns);
  CHECK(on.latency_ns < 0.75 * off[0]);
  // Overlap moves no work: dynamic energy of the units is the same.
  CHECK(on.energy_per_inference[EnergyKind::kAdc] == doctest::Approx(off[3]).epsilon(1e-12));
  // Layers overlap in time: conv1 starts before conv0 ends.
  CHECK(on.layers.at(1).start_ns < on.layers.at(0).end_ns);
}

TEST_CASE("ResNet-20 all-analog with pipelining: invariants hold and latency drops") {
  const Graph g = read_trace_file(kSource + "/traces/resnet20_cifar.trace");
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const std::vector<double> off = test::run_in_child([&] {
    const Report r = simulate(g, m, hermes(false));
    return std::vector<double>{r.latency_ns,
                               r.energy_pj - r.energy_per_inference[EnergyKind::kLeakage]};
  });
  REQUIRE(off.size() == 2);
  const Report on = simulate(g, m, hermes(true));
  check_invariants(on);
  CHECK(on.latency_ns < off[0]);
  const double dynamic = on.energy_pj - on.energy_per_inference[EnergyKind::kLeakage];
  CHECK(dynamic == doctest::Approx(off[1]).epsilon(1e-9));
}

TEST_CASE("ResNet-20 first-last-digital, 4 samples, pipelining and duplication: invariants") {
  const Graph g = read_trace_file(kSource + "/traces/resnet20_cifar.trace");
  HardwareConfig c = hermes(true);
  c.run.weight_duplication = WeightDuplication::kAuto;
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kFirstLastDigital, g), c,
                            {.samples = 4, .listener = nullptr});
  check_invariants(r);
  CHECK(r.tiles_used <= r.tiles_available);
  int replicas = 0;
  for (const auto& l : r.layers) replicas += l.target == "analog" ? l.replicas - 1 : 0;
  CHECK(replicas > 0);
}
