// simulate(): place, elaborate, run, collect (engine.h).
#include "sim/engine/engine.h"

#include <algorithm>
#include <string>

#include "sim/engine/accelerator.h"
#include "sim/engine/op_plan.h"
#include "sim/placement/placement.h"

namespace aimcsim {
namespace {

// "tile 3", "tiles 0-3,7" over every replica's tiles.
std::string tile_list(const AnalogPlacement& ap) {
  std::string out;
  std::size_t i = 0;
  std::vector<TileShare> t = ap.tiles;
  for (const auto& r : ap.replica_tiles) t.insert(t.end(), r.begin(), r.end());
  std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return a.tile < b.tile; });
  while (i < t.size()) {
    std::size_t j = i;
    while (j + 1 < t.size() && t[j + 1].tile.value == t[j].tile.value + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(t[i].tile.value);
    if (j > i) out += "-" + std::to_string(t[j].tile.value);
    i = j + 1;
  }
  return (t.size() == 1 ? "tile " : "tiles ") + out;
}

bool simulated = false;  // SystemC elaborates once per process

double ratio(double num, double den) { return den > 0.0 ? num / den : 0.0; }

double mean(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

void collect_utilisation(Accelerator& acc, const Placement& placement, Picoseconds makespan,
                         Report& r) {
  auto& u = acc.units();
  auto& util = r.utilisation;
  const auto span = static_cast<double>(makespan);
  std::vector<double> used;
  for (const auto& t : u.tiles) {
    util.per_tile.push_back(ratio(static_cast<double>(t->busy_ps()), span));
    if (t->busy_ps() > 0) used.push_back(util.per_tile.back());
  }
  for (const auto& c : u.cores)
    util.per_core.push_back(ratio(static_cast<double>(c->busy_ps()), span));
  util.tiles_used_mean = placement.tiles_used > 0
                             ? mean(used) * static_cast<double>(used.size()) / placement.tiles_used
                             : 0.0;
  util.tiles_chip_mean = mean(util.per_tile);
  util.cores_mean = mean(util.per_core);
  util.sram_banks_mean = u.sram->utilisation(makespan);
  util.links_mean = u.fabric->utilisation(makespan);
}

}  // namespace

bool simulation_ran_in_process() { return simulated; }

Report simulate(const Graph& graph, const Mapping& mapping, const HardwareConfig& config,
                const SimulationOptions& options) {
  if (simulated) throw Error("simulate: SystemC elaborates once per process; run it once");
  if (options.samples < 1) throw Error("simulate: --samples must be >= 1");
  check_mapping(mapping, graph);
  const Placement placement = place(graph, mapping, config);
  const std::vector<OpPlan> plans = build_plans(graph, placement, config);
  simulated = true;
  Accelerator acc("aimcsim", plans, placement, config, options.samples, options.listener);
  sc_core::sc_start();

  const int s_count = options.samples;
  Report r;
  r.network = graph.name();
  r.config = config.source_file;
  r.mapping = mapping.source();
  r.samples = s_count;
  std::vector<Picoseconds> sample_done(s_count, 0);
  Picoseconds serial = acc.programming_ps();
  ActionCounts all;
  for (const auto& p : acc.pipelines()) {
    if (!p) continue;
    if (p->completed() != s_count) {
      throw Error("simulate: op '" + p->plan().name + "' finished " +
                  std::to_string(p->completed()) + " of " + std::to_string(s_count) +
                  " samples (internal scheduling deadlock)");
    }
    for (int s = 0; s < s_count; ++s) sample_done[s] = std::max(sample_done[s], p->done_ps()[s]);
    serial += p->stages0_ps();
    all += p->counts();
  }
  const Picoseconds makespan = *std::max_element(sample_done.begin(), sample_done.end());
  r.latency_ns = ps_to_ns(sample_done[0]);
  r.makespan_ns = ps_to_ns(makespan);
  r.throughput_inf_per_s =
      s_count > 1 ? (s_count - 1) * 1e9 / ps_to_ns(sample_done[s_count - 1] - sample_done[0])
                  : ratio(1e9, r.latency_ns);
  r.critical_path_lower_bound_ns = ps_to_ns(critical_path_ps(plans));
  r.serial_sum_ns = ps_to_ns(serial);
  r.actions = all;

  const EnergyTable& e = config.energy;
  const double leak_mw = config.tile.count * e.tile_leakage_mw +
                         config.digital.count * e.digital_core_leakage_mw + e.sram_leakage_mw +
                         e.fabric_leakage_mw;
  r.energy_per_inference = price(all, e);
  for (double& v : r.energy_per_inference.pj) v /= s_count;
  r.energy_per_inference[EnergyKind::kLeakage] = leakage_pj(leak_mw, r.makespan_ns) / s_count;
  r.energy_pj = r.energy_per_inference.total();

  r.layer_pipelining = config.run.layer_pipelining;
  r.weight_duplication = config.run.weight_duplication == WeightDuplication::kAuto ? "auto" : "off";
  r.tiles_used = placement.tiles_used;
  r.tiles_available = placement.tiles_available;
  r.programming_rounds = placement.rounds;
  r.analog_mac_ratio = analog_mac_ratio(graph, mapping);
  r.analog_macs = analog_macs(graph, mapping);
  r.digital_weight_bytes = digital_weight_bytes(graph, mapping);
  for (const auto& p : acc.pipelines()) {
    if (!p) continue;
    const OpPlan& plan = p->plan();
    const Op& op = graph.op(plan.id);
    LayerReport l;
    l.name = op.name;
    l.kind = std::string(op_kind_name(op.kind));
    l.target = std::string(target_name(plan.target));
    l.macs = op.stats.macs;
    if (plan.exec == OpExec::kAnalog) {
      l.tiles = plan.analog->tile_count();
      l.replicas = plan.analog->replicas();
      l.units = tile_list(*plan.analog);
      if (plan.analog->reduce_core) l.units += " + core " + std::to_string(plan.core);
    } else {
      l.units = plan.parts.size() == 1 ? "core " : "cores ";
      for (std::size_t k = 0; k < plan.parts.size(); ++k)
        l.units += (k > 0 ? "," : "") + std::to_string(plan.parts[k].core);
      r.digital_macs += op.stats.macs;
    }
    l.mvms = p->mvms() / s_count;
    r.mvms += l.mvms;
    l.start_ns = ps_to_ns(p->start0_ps());
    l.end_ns = ps_to_ns(p->done_ps()[0]);
    l.compute_ns = ps_to_ns(p->compute0_ps());
    l.energy_pj = price(p->counts(), e);
    for (double& v : l.energy_pj.pj) v /= s_count;
    r.layers.push_back(std::move(l));
  }
  collect_utilisation(acc, placement, makespan, r);
  return r;
}

}  // namespace aimcsim
