#include "mapping/hilal.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

#include "mapping/search_method.h"
#include "models/error.h"

namespace aimcsim {
namespace {

// Index of the robust cluster among the centres (z units).
int pick_robust(const HilalClustering& c) {
  auto lower = [&](int a, int b) {  // is centre a more robust than centre b?
    const auto& ca = c.centres[a];
    const auto& cb = c.centres[b];
    if (ca[0] != cb[0]) return ca[0] < cb[0];
    if (ca.size() > 1 && ca[1] != cb[1]) return ca[1] < cb[1];
    return a < b;
  };
  int best = 0;
  for (int j = 1; j < static_cast<int>(c.centres.size()); ++j) {
    if (lower(j, best)) best = j;
  }
  return best;
}

}  // namespace

std::string_view hilal_variant_method(HilalVariant v) {
  switch (v) {
    case HilalVariant::kHniScr:
      return search_method_name(SearchMethod::kHilal);
    case HilalVariant::kHniOnly:
      return search_method_name(SearchMethod::kHilalHni);
    case HilalVariant::kScrOnly:
      return search_method_name(SearchMethod::kHilalScr);
  }
  return search_method_name(SearchMethod::kHilal);
}

HilalClustering cluster_hilal(const std::vector<HilalLayerFeatures>& layers, HilalVariant variant,
                              const KMeansOptions& kmeans_options) {
  if (layers.empty()) throw Error("HILAL clustering: no layers");
  HilalClustering c;
  c.variant = variant;
  for (const auto& l : layers) {
    switch (variant) {
      case HilalVariant::kHniScr:
        c.features.push_back({l.hni, l.scr});
        break;
      case HilalVariant::kHniOnly:
        c.features.push_back({l.hni});
        break;
      case HilalVariant::kScrOnly:
        c.features.push_back({l.scr});
        break;
    }
  }
  if (variant == HilalVariant::kHniScr) c.feature_names = {"hni", "scr"};
  if (variant == HilalVariant::kHniOnly) c.feature_names = {"hni"};
  if (variant == HilalVariant::kScrOnly) c.feature_names = {"scr"};
  c.z = z_score_columns(c.features, &c.column_stats);

  const bool constant = std::all_of(c.column_stats.std.begin(), c.column_stats.std.end(),
                                    [](double s) { return s == 0.0; });
  if (layers.size() < 2 || constant) {
    c.degenerate = layers.size() < 2 ? "a single layer cannot be split into two clusters"
                                     : "all layers have identical features";
    c.cluster.assign(layers.size(), 0);
    c.centres = {std::vector<double>(c.features[0].size(), 0.0)};
  } else {
    KMeansOptions o = kmeans_options;
    o.k = std::min<int>(o.k, static_cast<int>(layers.size()));
    const KMeansResult r = kmeans(c.z, o);
    c.cluster = r.labels;
    c.centres = r.centres;
    c.inertia = r.inertia;
    c.restart_inertias = r.restart_inertias;
  }
  c.robust_cluster = pick_robust(c);
  for (int label : c.cluster) c.robust.push_back(label == c.robust_cluster);

  std::vector<std::size_t> order(layers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return layers[a].hni < layers[b].hni; });
  for (std::size_t i : order) {
    if (c.robust[i]) c.laft_order.push_back(layers[i].name);
  }
  return c;
}

Mapping hilal_mapping(const HilalClustering& c, const std::vector<HilalLayerFeatures>& layers,
                      const Graph& graph, Target digital) {
  if (digital != Target::kFp16 && digital != Target::kInt8) {
    throw MappingError("HILAL mapping: the digital target must be fp16 or int8");
  }
  Mapping m(std::string(hilal_variant_method(c.variant)));
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (graph.find(layers[i].name) == std::nullopt) {
      throw MappingError("HILAL mapping: layer '" + layers[i].name + "' is not an op of the graph");
    }
    m.set(layers[i].name, c.robust[i] ? Target::kAnalog : digital);
  }
  check_mapping(m, graph);
  return m;
}

nlohmann::json hilal_clustering_json(const HilalClustering& c,
                                     const std::vector<HilalLayerFeatures>& layers) {
  nlohmann::json per_layer = nlohmann::json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    per_layer.push_back({{"name", layers[i].name},
                         {"z", c.z[i]},
                         {"cluster", c.cluster[i]},
                         {"robust", static_cast<bool>(c.robust[i])}});
  }
  return {{"method", hilal_variant_method(c.variant)},
          {"features", c.feature_names},
          {"feature_mean", c.column_stats.mean},
          {"feature_std", c.column_stats.std},
          {"layers", per_layer},
          {"centres_z", c.centres},
          {"robust_cluster", c.robust_cluster},
          {"inertia", c.inertia},
          {"restart_inertias", c.restart_inertias},
          {"degenerate", c.degenerate},
          {"laft_order", c.laft_order}};
}

}  // namespace aimcsim
