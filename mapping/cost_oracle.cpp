// Simulated per-layer and whole-mapping costs (cost_oracle.h).
#include "mapping/cost_oracle.h"

#include <spdlog/spdlog.h>

#include "sim/engine/isolated_simulation.h"
#include "sim/placement/placement.h"

namespace aimcsim {
namespace {

constexpr int kOracleSamples = 1;  // unloaded latency (report.h)

std::size_t target_index(Target t) {
  for (std::size_t i = 0; i < kCostTargets.size(); ++i) {
    if (kCostTargets[i] == t) return i;
  }
  throw Error("cost oracle: no per-layer cost for target '" + std::string(target_name(t)) + "'");
}

std::vector<std::string> mappable_names(const Graph& graph) {
  std::vector<std::string> names;
  for (OpId id : graph.ids()) {
    if (graph.op(id).mappable()) names.push_back(graph.op(id).name);
  }
  return names;
}

// `analog` layers analog, every other mappable layer fp16.
Mapping group_mapping(const Graph& graph, const std::vector<std::string>& analog,
                      const std::string& label) {
  Mapping m(label);
  for (const auto& name : mappable_names(graph)) m.set(name, Target::kFp16);
  for (const auto& name : analog) m.set(name, Target::kAnalog);
  return m;
}

}  // namespace

const std::optional<TargetCost>& LayerCost::at(Target t) const {
  return by_target[target_index(t)];
}

CostOracle::CostOracle(const Graph& graph, const HardwareConfig& config, OracleOptions options)
    : graph_(graph),
      config_(config),
      options_(std::move(options)),
      cache_(options_.cache_dir.empty() ? default_oracle_cache_dir() : options_.cache_dir, config,
             graph) {}

const Report& CostOracle::whole_mapping(const Mapping& mapping) {
  check_mapping(mapping, graph_);
  const std::string key = cache_.file_of(mapping, kOracleSamples).filename().string();
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  std::optional<Report> report;
  if (options_.use_cache) report = cache_.load(mapping, kOracleSamples);
  if (report) {
    ++cache_hits_;
    report->config = config_.source_file;
    report->mapping = mapping.source();
  } else {
    report = simulate_isolated(graph_, mapping, config_, {.samples = kOracleSamples});
    ++simulations_;
    if (options_.use_cache) cache_.store(mapping, kOracleSamples, *report);
  }
  return memo_.emplace(key, std::move(*report)).first->second;
}

std::vector<std::vector<std::string>> CostOracle::analog_groups() {
  const std::vector<std::string> names = mappable_names(graph_);
  auto fits = [&](const std::vector<std::string>& group) {
    try {
      place(graph_, group_mapping(graph_, group, "oracle group"), config_);
      return true;
    } catch (const PlacementError&) {
      return false;
    }
  };
  if (fits(names)) return {names};
  std::vector<std::vector<std::string>> groups;
  std::vector<std::string> group;
  for (const auto& name : names) {
    group.push_back(name);
    if (fits(group)) continue;
    group.pop_back();
    if (!group.empty()) groups.push_back(group);
    group = {name};
    if (!fits(group)) {
      spdlog::warn("cost oracle: layer '{}' alone does not fit {} in analog; no analog cost", name,
                   config_.source_file);
      group.clear();
    }
  }
  if (!group.empty()) groups.push_back(group);
  return groups;
}

void CostOracle::read_layers(const Report& report, Target target,
                             std::vector<LayerCost>& costs) const {
  std::map<std::string, LayerCost*, std::less<>> by_name;
  for (auto& c : costs) by_name[c.name] = &c;
  for (const LayerReport& l : report.layers) {
    const auto it = by_name.find(l.name);
    if (it == by_name.end() || l.target != target_name(target)) continue;
    it->second->by_target[target_index(target)] =
        TargetCost{l.end_ns - l.start_ns, l.compute_ns, l.energy_pj.total(),
                   l.energy_pj[EnergyKind::kFabric], l.tiles};
  }
}

const std::vector<LayerCost>& CostOracle::layer_costs() {
  if (layers_) return *layers_;
  std::vector<LayerCost> costs;
  for (OpId id : graph_.ids()) {
    const Op& op = graph_.op(id);
    if (op.mappable()) costs.push_back({op.name, op.stats.macs, {}});
  }
  for (auto [target, preset] : {std::pair{Target::kInt8, MappingPreset::kAllInt8},
                                std::pair{Target::kFp16, MappingPreset::kAllDigital}}) {
    try {
      read_layers(whole_mapping(make_preset_mapping(preset, graph_)), target, costs);
    } catch (const PlacementError& e) {
      spdlog::warn("cost oracle: no {} costs on {}: {}", target_name(target), config_.source_file,
                   e.what());
    }
  }
  const auto groups = analog_groups();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string label = groups.size() == 1 ? "preset all-analog"
                                                 : "oracle analog group " + std::to_string(i + 1) +
                                                       " of " + std::to_string(groups.size());
    read_layers(whole_mapping(group_mapping(graph_, groups[i], label)), Target::kAnalog, costs);
  }
  layers_ = std::move(costs);
  return *layers_;
}

double CostOracle::summed(const Mapping& mapping, bool energy) {
  check_mapping(mapping, graph_);
  double sum = 0.0;
  for (const LayerCost& c : layer_costs()) {
    const Target t = mapping.at(c.name);
    if (t == Target::kSkip) continue;
    const auto& cost = c.at(t);
    if (!cost) {
      throw Error("cost oracle: layer '" + c.name + "' has no simulated cost on target '" +
                  std::string(target_name(t)) + "' with " + config_.source_file);
    }
    sum += energy ? cost->energy_pj : cost->latency_ns;
  }
  return sum;
}

double CostOracle::summed_layer_energy_pj(const Mapping& mapping) { return summed(mapping, true); }
double CostOracle::summed_layer_latency_ns(const Mapping& mapping) {
  return summed(mapping, false);
}

}  // namespace aimcsim
