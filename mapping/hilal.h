// HILAL layer allocation (FACTS.md s.4): per-layer sensitivity features -> z-score ->
// k-means (k = 2, seeded restarts, lowest inertia) -> the robust cluster goes analog, the
// rest stays digital. LAFT (mapping/laft.h, written separately) then takes laft_order.
//
// Contract:
// - Features by variant: kHniScr uses (HNI, SCR), kHniOnly HNI, kScrOnly SCR.
// - Robust cluster: kHniScr and kHniOnly: the centre with the lower HNI (ties, possible
//   when the HNI column is constant: the lower SCR); kScrOnly: the centre with the lower
//   SCR. Why low SCR is robust: under weight noise dW ~ N(0, sigma^2 I) the second-order
//   loss change dW^T H dW / 2 has mean sigma^2 Tr / 2 whatever the spectrum, but variance
//   sigma^4 sum(lambda_i^2) / 2 >= sigma^4 lambda_max^2 / 2, so for a given trace a
//   concentrated spectrum (high SCR) gives the larger, heavier-tailed loss excursions.
// - Degenerate inputs: one layer, or all layers with identical features (every z-score
//   0), cannot be split; then every layer is one cluster, declared robust (analog), and
//   `degenerate` says why. An empty feature list throws aimcsim::Error.
// - laft_order: the robust layers by increasing HNI (ties: execution order).
// - hilal_mapping(): robust layers -> kAnalog, the others -> `digital` (kFp16 or kInt8);
//   the graph's mappable ops must be exactly the analysed layers (else MappingError naming
//   the layer).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "mapping/kmeans.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"

namespace aimcsim {

enum class HilalVariant { kHniScr, kHniOnly, kScrOnly };
std::string_view hilal_variant_method(HilalVariant v);  // "hilal", "hilal-hni", "hilal-scr"

struct HilalLayerFeatures {
  std::string name;  // mappable layer, execution order
  double hni = 0.0;
  double scr = 0.0;
};

struct HilalClustering {
  HilalVariant variant = HilalVariant::kHniScr;
  std::vector<std::string> feature_names;  // columns of z and centres
  FeatureRows features;                    // raw, per layer
  FeatureRows z;                           // z-scored, per layer
  ColumnStats column_stats;
  std::vector<int> cluster;  // per layer
  std::vector<bool> robust;  // per layer
  int robust_cluster = 0;
  FeatureRows centres;  // in z units
  double inertia = 0.0;
  std::vector<double> restart_inertias;
  std::string degenerate;               // empty unless the split was impossible
  std::vector<std::string> laft_order;  // robust layers, increasing HNI
};

HilalClustering cluster_hilal(const std::vector<HilalLayerFeatures>& layers, HilalVariant variant,
                              const KMeansOptions& kmeans_options);

Mapping hilal_mapping(const HilalClustering& clustering,
                      const std::vector<HilalLayerFeatures>& layers, const Graph& graph,
                      Target digital);

// The clustering part of the `map` report: per-layer features, z, cluster, robust flag;
// centres, inertia, robust cluster, laft_order, degenerate.
nlohmann::json hilal_clustering_json(const HilalClustering& clustering,
                                     const std::vector<HilalLayerFeatures>& layers);

}  // namespace aimcsim
