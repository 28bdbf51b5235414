// test-links: aimcsim_sim
// DIANA (issue 14 item 4; Ueyoshi et al., ISSCC 2022; Houshmand et al., JSSC 2023;
// FACTS.md s.8) on configs/diana.toml:
// - peak efficiencies within 10 %: 600 TOP/s/W analog (I/W/O 7/1.5/6 bit), 14 TOP/s/W
//   digital (8/8/8 bit);
// - ResNet-20 CIFAR-10 end to end within 20 % of the measured 7.02 TOP/s/W (system
//   level), under DIANA's mapping rule: fully connected and low-channel layers on the
//   digital core, the others on the AIMC core. "Low-channel" is taken as fewer input
//   channels than the digital array is wide (16): the RGB stem; the FC layer is the
//   other digital layer. Ops = 2 x the conv/linear MACs of the trace.
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/graph/trace_reader.h"
#include "sim/report/peak.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig diana() { return load_hardware_config(kSource + "/configs/diana.toml"); }

// DIANA's rule: linear layers and convs with fewer than `min_channels` inputs digital (int8).
Mapping diana_rule(const Graph& g, std::int64_t min_channels) {
  Mapping m("DIANA rule");
  for (OpId id : g.ids()) {
    const Op& op = g.op(id);
    if (!op.mappable()) continue;
    const bool digital = op.kind == OpKind::kLinear || op.attrs.in_channels < min_channels;
    m.set(op.name, digital ? Target::kInt8 : Target::kAnalog);
  }
  return m;
}

}  // namespace

TEST_CASE("DIANA peaks: 600 TOP/s/W analog and 14 TOP/s/W digital within 10 %") {
  const HardwareConfig c = diana();
  const PeakFigures a = analog_peak(c);
  const DigitalPeakFigures d = digital_peak(c);
  MESSAGE("analog " << a.tops_per_w << " TOP/s/W (" << a.peak_tops << " TOP/s); digital "
                    << d.tops_per_w << " TOP/s/W (" << d.peak_tops << " TOP/s)");
  CHECK(a.mvm_ns == doctest::Approx(70.0));  // ODiMO's analog step
  CHECK(a.tops_per_w == doctest::Approx(600.0).epsilon(0.10));
  CHECK(d.tops_per_w == doctest::Approx(14.0).epsilon(0.10));
}

TEST_CASE("DIANA ResNet-20 CIFAR-10 under DIANA's rule: 7.02 TOP/s/W end to end within 20 %") {
  const HardwareConfig c = diana();
  const Graph g = read_trace_file(kSource + "/traces/resnet20_cifar.trace");
  const Mapping m = diana_rule(g, 16);
  CHECK(m.at("conv1") == Target::kInt8);
  CHECK(m.at("linear") == Target::kInt8);
  CHECK(m.at("layer1.0.conv1") == Target::kAnalog);
  const Report r = simulate_isolated(g, m, c);
  const double ops = 2.0 * static_cast<double>(r.analog_macs + r.digital_macs);
  const double tops_per_w = ops / r.energy_pj;  // ops / pJ = TOP/s/W
  MESSAGE("ResNet-20: " << r.latency_ns * 1e-3 << " us, " << r.energy_pj * 1e-6 << " uJ, " << r.mvms
                        << " analog steps, " << r.programming_rounds
                        << " weight loads, analog MACs " << r.analog_mac_ratio * 100
                        << " %: " << tops_per_w << " TOP/s/W");
  CHECK(r.analog_mac_ratio > 0.98);
  CHECK(tops_per_w == doctest::Approx(7.02).epsilon(0.20));
}
