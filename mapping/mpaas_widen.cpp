// MPAAS: inner widths of zoo blocks chosen with the simulator (mpaas_widen.h).
#include "mapping/mpaas_widen.h"

#include <torch/torch.h>

#include <optional>

#include "models/error.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/placement/placement.h"

namespace aimcsim::mapping {
namespace {

// Simulates the all-analog mapping of `base` with `widths`; nullopt if it does not fit.
class WidthProbe {
 public:
  WidthProbe(const std::string& base, const HardwareConfig& config, const OracleOptions& cache)
      : spec_(nn::parse_model_spec(base)), config_(config), cache_(cache) {}

  std::optional<WideningCost> cost(const std::vector<std::int64_t>& widths) {
    ++simulations_;
    nn::ModelSpec spec = spec_;
    spec.inner_widths = widths;
    // Building a model draws its initial weights from torch's global RNG: keep its state.
    auto gen = at::detail::getDefaultCPUGenerator();
    const torch::Tensor rng_state = gen.get_state();
    const std::shared_ptr<nn::ZooModel> net = nn::make_model(spec);
    gen.set_state(rng_state);
    const Graph graph = nn::model_to_graph(*net);
    CostOracle oracle(graph, config_, cache_);
    try {
      const Report& r = oracle.whole_mapping(make_preset_mapping(MappingPreset::kAllAnalog, graph));
      return WideningCost{r.latency_ns, r.energy_pj, r.tiles_used};
    } catch (const PlacementError&) {
      return std::nullopt;
    }
  }

  int simulations() const { return simulations_; }

 private:
  nn::ModelSpec spec_;
  const HardwareConfig& config_;
  OracleOptions cache_;
  int simulations_ = 0;
};

nlohmann::json cost_json(const WideningCost& c) {
  return {{"latency_ns", c.latency_ns}, {"energy_pj", c.energy_pj}, {"tiles", c.tiles}};
}

}  // namespace

WideningResult choose_inner_widths(nn::ZooModel& model, const HardwareConfig& config,
                                   const WideningOptions& options) {
  if (options.tolerance < 0.0) throw Error("mpaas: --widen-tolerance must be 0 or more");
  WideningResult result;
  result.before = nn::inner_layers(model);
  if (result.before.empty()) {
    throw Error("mpaas: model '" + model.name() +
                "' has no inner layers to widen (MPAAS widens the basic blocks of "
                "resnet8/20/32, the MLPs of vit-tiny and the expansions of mobilenetv2-small)");
  }
  WidthProbe probe(model.name(), config, options.cache);
  for (const auto& b : result.before) result.widths.push_back(b.width);
  const std::optional<WideningCost> reference = probe.cost(result.widths);
  if (!reference) {
    throw Error("mpaas: " + model.name() +
                " does not fit the chip all-analog, so there are no "
                "tiles to fill");
  }
  result.cost_before = result.cost_after = *reference;
  nlohmann::json probes = nlohmann::json::array();
  auto passes = [&](std::size_t block, std::int64_t width) {
    std::vector<std::int64_t> trial = result.widths;
    trial[block] = width;
    const std::optional<WideningCost> c = probe.cost(trial);
    const bool ok = c && c->latency_ns <= reference->latency_ns * (1.0 + options.tolerance) &&
                    c->energy_pj <= reference->energy_pj * (1.0 + options.tolerance);
    probes.push_back({{"block", result.before[block].block},
                      {"width", width},
                      {"fits", c.has_value()},
                      {"accepted", ok}});
    if (c) probes.back()["cost"] = cost_json(*c);
    if (ok) result.cost_after = *c;
    return ok;
  };
  const std::int64_t cols = config.tile.numerics.tile_cols;
  nlohmann::json blocks = nlohmann::json::array();
  for (std::size_t i = 0; i < result.before.size(); ++i) {
    const std::int64_t width = result.before[i].width;
    const std::int64_t cap = (width + cols - 1) / cols * cols;
    std::int64_t lo = width;  // largest width known to pass
    if (cap > width && passes(i, width + 1)) {
      lo = width + 1;
      std::int64_t hi = cap + 1;  // smallest width known to fail (or past the cap)
      while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (passes(i, mid) ? lo : hi) = mid;
      }
    }
    result.widths[i] = lo;
    blocks.push_back({{"block", result.before[i].block},
                      {"layer", result.before[i].producer},
                      {"width_before", width},
                      {"width_cap", cap},
                      {"width_after", lo}});
  }
  // cost_after is the last accepted probe's, which holds every width chosen before it.
  result.simulations = probe.simulations();
  result.report = {{"tolerance", options.tolerance},
                   {"tile_cols", cols},
                   {"blocks", blocks},
                   {"all_analog_before", cost_json(result.cost_before)},
                   {"all_analog_after", cost_json(result.cost_after)},
                   {"probes", probes},
                   {"simulations", result.simulations}};
  return result;
}

}  // namespace aimcsim::mapping
