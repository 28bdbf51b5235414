// hilal-energy: Pareto front of sensitivity spent vs simulated saving (hilal_energy.h).
#include "mapping/hilal_energy.h"

#include <algorithm>
#include <set>

#include "models/error.h"

namespace aimcsim {
namespace {

// Cap of the front kept between merge steps (layer_pareto.h): far above what 20-50 layers
// produce in practice, so the front is exact there; a bound on memory otherwise.
constexpr std::size_t kMaxFrontWhileMerging = 4096;

const char* objective_name(SavingObjective o) {
  return o == SavingObjective::kEnergy ? "energy_pj" : "latency_ns";
}

double cost_of(const TargetCost& c, SavingObjective o) {
  return o == SavingObjective::kEnergy ? c.energy_pj : c.latency_ns;
}

Mapping mapping_of(const std::vector<std::string>& names, const std::vector<std::size_t>& analog,
                   Target digital, std::size_t point) {
  Mapping m("hilal-energy front point " + std::to_string(point));
  for (const std::string& n : names) m.set(n, digital);
  for (std::size_t i : analog) m.set(names[i], Target::kAnalog);
  return m;
}

}  // namespace

double layer_delta_loss(const nn::LayerSensitivity& s) {
  return std::max(0.0, 0.5 * s.sigma * s.sigma * s.trace);
}

HilalEnergyResult hilal_energy_front(const Graph& graph,
                                     const std::vector<nn::LayerSensitivity>& sensitivity,
                                     const HilalClustering& clustering, CostOracle& oracle,
                                     const HilalEnergyOptions& options) {
  const std::vector<LayerCost>& costs = oracle.layer_costs();
  std::vector<mapping::LayerObjective> objectives;
  std::vector<std::string> names;
  nlohmann::json layers_json = nlohmann::json::array();
  for (const LayerCost& c : costs) {
    const auto it = std::find_if(sensitivity.begin(), sensitivity.end(),
                                 [&](const nn::LayerSensitivity& s) { return s.name == c.name; });
    if (it == sensitivity.end()) {
      throw Error("hilal-energy: no sensitivity for mappable layer '" + c.name + "'");
    }
    const auto& analog = c.at(Target::kAnalog);
    const auto& digital = c.at(options.digital);
    if (!digital) {
      throw Error("hilal-energy: layer '" + c.name + "' cannot run on the digital target " +
                  std::string(target_name(options.digital)) + " of this config");
    }
    // No analog cost (does not fit the chip): a negative saving keeps it digital.
    const double saving =
        analog ? cost_of(*digital, options.objective) - cost_of(*analog, options.objective) : -1.0;
    objectives.push_back({c.name, layer_delta_loss(*it), saving});
    names.push_back(c.name);
    layers_json.push_back({{"name", c.name},
                           {"delta_loss", objectives.back().sensitivity},
                           {std::string("saving_") + objective_name(options.objective), saving},
                           {"analog_available", analog.has_value()}});
  }

  const std::set<std::string> robust(clustering.laft_order.begin(), clustering.laft_order.end());
  double hilal_spend = 0.0;
  for (const auto& o : objectives) hilal_spend += robust.count(o.name) ? o.sensitivity : 0.0;

  HilalEnergyResult result;
  result.budget = options.budget >= 0.0 ? options.budget : hilal_spend;
  const auto front =
      mapping::thin_front(mapping::exact_pareto_front(objectives, kMaxFrontWhileMerging),
                          std::max<std::size_t>(options.max_points, 2));
  nlohmann::json front_json = nlohmann::json::array();
  for (std::size_t p = 0; p < front.size(); ++p) {
    HilalEnergyPoint pt;
    pt.delta_loss = front[p].sensitivity;
    pt.estimated_saving = front[p].saving;
    pt.mapping = mapping_of(names, front[p].layers, options.digital, p);
    check_mapping(pt.mapping, graph);
    pt.analog_mac_ratio = analog_mac_ratio(graph, pt.mapping);
    const Report& r = oracle.whole_mapping(pt.mapping);
    pt.latency_ns = r.latency_ns;
    pt.energy_pj = r.energy_pj;
    pt.tiles_used = r.tiles_used;
    if (pt.delta_loss <= result.budget) result.selected = p;  // front: increasing saving
    nlohmann::json analog = nlohmann::json::array();
    for (std::size_t i : front[p].layers) analog.push_back(names[i]);
    front_json.push_back({{"delta_loss", pt.delta_loss},
                          {std::string("estimated_saving_") + objective_name(options.objective),
                           pt.estimated_saving},
                          {"analog_mac_ratio", pt.analog_mac_ratio},
                          {"latency_ns", pt.latency_ns},
                          {"energy_pj", pt.energy_pj},
                          {"tiles_used", pt.tiles_used},
                          {"analog_layers", analog}});
    result.front.push_back(std::move(pt));
  }
  result.report = {{"objective", objective_name(options.objective)},
                   {"digital", target_name(options.digital)},
                   {"delta_loss_budget", result.budget},
                   {"hilal_robust_delta_loss", hilal_spend},
                   {"layers", layers_json},
                   {"front", front_json},
                   {"selected_point", result.selected}};
  return result;
}

}  // namespace aimcsim
