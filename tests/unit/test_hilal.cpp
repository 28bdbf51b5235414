// test-links: aimcsim_mapping
// mapping/hilal: the robust (analog) cluster is the low-HNI one; the ablations; LAFT order;
// degenerate inputs; the Mapping covers a real graph's mappable ops.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "mapping/hilal.h"
#include "models/error.h"
#include "sim/graph/trace_reader.h"

using namespace aimcsim;

namespace {

// Layers a..f: a, c, e low HNI (robust), b, d, f high; SCR opposite for b/d/f.
std::vector<HilalLayerFeatures> hand_made() {
  return {{"a", 0.3e-6, 0.9}, {"b", 5.0e-6, 0.1}, {"c", 0.1e-6, 0.8},
          {"d", 6.0e-6, 0.2}, {"e", 0.2e-6, 0.7}, {"f", 5.5e-6, 0.15}};
}

std::vector<std::string> robust_names(const HilalClustering& c,
                                      const std::vector<HilalLayerFeatures>& l) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (c.robust[i]) out.push_back(l[i].name);
  }
  return out;
}

}  // namespace

TEST_CASE("hilal picks the low-HNI cluster and orders it by increasing HNI") {
  const auto layers = hand_made();
  const HilalClustering c = cluster_hilal(layers, HilalVariant::kHniScr, KMeansOptions{});
  CHECK(c.degenerate.empty());
  CHECK(robust_names(c, layers) == std::vector<std::string>{"a", "c", "e"});
  CHECK(c.laft_order == std::vector<std::string>{"c", "e", "a"});
  REQUIRE(c.centres.size() == 2);
  CHECK(c.centres[c.robust_cluster][0] < c.centres[1 - c.robust_cluster][0]);
  CHECK(c.z[0].size() == 2);
  const auto j = hilal_clustering_json(c, layers);
  CHECK(j.at("laft_order").size() == 3);
  CHECK(j.at("layers").at(1).at("robust") == false);

  const HilalClustering hni = cluster_hilal(layers, HilalVariant::kHniOnly, KMeansOptions{});
  CHECK(robust_names(hni, layers) == std::vector<std::string>{"a", "c", "e"});
  CHECK(hni.z[0].size() == 1);
}

TEST_CASE("hilal-scr: the low-SCR cluster is robust, laft order still by HNI") {
  const auto layers = hand_made();
  const HilalClustering c = cluster_hilal(layers, HilalVariant::kScrOnly, KMeansOptions{});
  CHECK(robust_names(c, layers) == std::vector<std::string>{"b", "d", "f"});
  CHECK(c.laft_order == std::vector<std::string>{"b", "f", "d"});
}

TEST_CASE("hilal: equal HNI centres fall back to the lower SCR") {
  std::vector<HilalLayerFeatures> l = {
      {"a", 1.0, 0.1}, {"b", 1.0, 0.9}, {"c", 1.0, 0.15}, {"d", 1.0, 0.95}};
  const HilalClustering c = cluster_hilal(l, HilalVariant::kHniScr, KMeansOptions{});
  CHECK(robust_names(c, l) == std::vector<std::string>{"a", "c"});
}

TEST_CASE("hilal degenerate inputs: one layer, identical features, none") {
  const std::vector<HilalLayerFeatures> one = {{"only", 1e-6, 0.5}};
  const HilalClustering c1 = cluster_hilal(one, HilalVariant::kHniScr, KMeansOptions{});
  CHECK_FALSE(c1.degenerate.empty());
  CHECK(c1.robust == std::vector<bool>{true});
  const std::vector<HilalLayerFeatures> same = {
      {"a", 2e-6, 0.5}, {"b", 2e-6, 0.5}, {"c", 2e-6, 0.5}};
  const HilalClustering c2 = cluster_hilal(same, HilalVariant::kHniScr, KMeansOptions{});
  CHECK(c2.degenerate.find("identical") != std::string::npos);
  CHECK(c2.laft_order == std::vector<std::string>{"a", "b", "c"});
  CHECK_THROWS_AS(cluster_hilal({}, HilalVariant::kHniScr, KMeansOptions{}), Error);
}

TEST_CASE("hilal_mapping: robust -> analog, the rest -> the digital target, checked") {
  const Graph g = read_trace_file(std::string(AIMCSIM_SOURCE_DIR) + "/traces/tiny_cnn.trace");
  std::vector<HilalLayerFeatures> layers;
  int i = 0;
  for (OpId id : g.ids()) {
    if (!g.op(id).mappable()) continue;
    const bool low = (i++ % 2) == 0;
    layers.push_back({g.op(id).name, low ? 1e-7 * i : 1e-5 * i, 0.5});
  }
  REQUIRE(layers.size() >= 2);
  const HilalClustering c = cluster_hilal(layers, HilalVariant::kHniOnly, KMeansOptions{});
  const Mapping m = hilal_mapping(c, layers, g, Target::kInt8);
  for (std::size_t k = 0; k < layers.size(); ++k) {
    CHECK(m.at(layers[k].name) == (k % 2 == 0 ? Target::kAnalog : Target::kInt8));
  }
  auto missing = layers;
  missing.pop_back();
  const HilalClustering cm = cluster_hilal(missing, HilalVariant::kHniOnly, KMeansOptions{});
  CHECK_THROWS_AS(hilal_mapping(cm, missing, g, Target::kFp16), MappingError);
  auto extra = layers;
  extra.push_back({"ghost", 1.0, 1.0});
  const HilalClustering ce = cluster_hilal(extra, HilalVariant::kHniOnly, KMeansOptions{});
  CHECK_THROWS_WITH_AS(hilal_mapping(ce, extra, g, Target::kFp16), doctest::Contains("ghost"),
                       MappingError);
}
