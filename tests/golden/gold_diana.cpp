// test-links: aimcsim_sim
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/graph/trace_reader.h"
#include "sim/report/peak.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

Mapping diana_rule(const Graph& g, std::int64_t min_channels) {
  Mapping m("DIANA rule");
  for (OpId id : g.ids()) {
    const Op& op = g.op(id);
    if (!op.mappable()) continue;
    const bool low = op.kind == OpKind::kLinear || op.attrs.in_channels < min_channels;
    m.set(op.name, low ? Target::kInt8 : Target::kAnalog);
  }
  return m;
}

}  // namespace

TEST_CASE("explore") {
  const HardwareConfig c = load_hardware_config(kSource + "/configs/diana.toml");
  const PeakFigures a = analog_peak(c);
  MESSAGE("analog peak " << a.tops_per_w << " TOP/s/W, " << a.peak_tops << " TOPS");
  const Graph g = read_trace_file(kSource + "/traces/resnet20_cifar.trace");
  const auto ch = std::getenv("CH") ? std::atoi(std::getenv("CH")) : 16;
  const Report r = simulate_isolated(g, diana_rule(g, ch), c);
  const double ops = 2.0 * double(r.analog_macs + r.digital_macs);
  MESSAGE("latency " << r.latency_ns << " ns energy " << r.energy_pj << " pJ rounds "
                     << r.programming_rounds << " analog ratio " << r.analog_mac_ratio << " TOPS/W "
                     << ops / r.energy_pj);
  for (int k = 0; k < kActionCount; ++k)
    MESSAGE(action_name(Action(k)) << " " << r.actions.count(Action(k)));
  for (int k = 0; k < kEnergyKindCount; ++k)
    MESSAGE(energy_kind_name(EnergyKind(k)) << " " << r.energy_per_inference.pj[k]);
  for (const auto& l : r.layers)
    if (l.target != "fp16")
      MESSAGE(l.name << " " << l.target << " " << l.units << " mvms " << l.mvms << " start "
                     << l.start_ns << " end " << l.end_ns << " compute " << l.compute_ns);
}
