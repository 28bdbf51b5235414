// test-links: aimcsim_explore
// explore/sweep_analysis.h axis_effects(): per-axis means at each discrete value, and
// equal-count bins for sampled (many-valued) axes, against hand-computed means.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "explore/sweep_analysis.h"

using namespace aimcsim::explore;

namespace {

ResultTable table_of(const std::vector<std::pair<double, double>>& axis_metric,
                     const std::vector<std::string>& mappings) {
  ResultTable t;
  t.columns = {"workload", "status", "mapping", "x", "latency_ns"};
  for (std::size_t i = 0; i < axis_metric.size(); ++i) {
    t.rows.push_back({std::string("w"), std::string(i == 0 ? "failed" : "ok"), mappings[i],
                      axis_metric[i].first, axis_metric[i].second});
  }
  return t;
}

const AxisEffect& find(const std::vector<AxisEffect>& all, const std::string& axis) {
  for (const auto& e : all)
    if (e.axis == axis) return e;
  FAIL("no effect for " << axis);
  return all.front();
}

}  // namespace

TEST_CASE("axis_effects: discrete values keep their order and means, failed rows ignored") {
  // Row 0 failed: left out. x in {2, 1}: means 20 and 11; spread (20 - 11) / mean.
  const ResultTable t =
      table_of({{9, 1000}, {2, 10}, {1, 12}, {2, 30}, {1, 10}}, {"a", "a", "a", "b", "b"});
  const auto all = axis_effects(t, {"x"}, {"latency_ns"});
  const AxisEffect& x = find(all, "x");
  REQUIRE(x.mean_by_value.size() == 2);
  CHECK(x.mean_by_value[0].first == "2");
  CHECK(x.mean_by_value[0].second == doctest::Approx(20.0));
  CHECK(x.mean_by_value[1].first == "1");
  CHECK(x.mean_by_value[1].second == doctest::Approx(11.0));
  CHECK(x.spread_pct == doctest::Approx(100.0 * 9.0 / 15.5));
  const AxisEffect& m = find(all, "mapping");
  CHECK(m.mean_by_value[0].second == doctest::Approx(11.0));  // a: 10, 12
  CHECK(m.mean_by_value[1].second == doctest::Approx(20.0));  // b: 30, 10
}

TEST_CASE("axis_effects: a sampled axis is grouped into equal-count bins by value") {
  // 20 ok rows with distinct x = 0.5 * k (k = 19 .. 0, shuffled order), metric = x^2.
  std::vector<std::pair<double, double>> rows = {{0, 0}};  // row 0: failed
  std::vector<std::string> maps = {"a"};
  for (int j = 0; j < 20; ++j) {
    const int k = (j * 7) % 20;
    rows.push_back({0.5 * k, 0.25 * k * k});
    maps.push_back("a");
  }
  const auto all = axis_effects(table_of(rows, maps), {"x"}, {"latency_ns"});
  const AxisEffect& x = find(all, "x");
  REQUIRE(x.mean_by_value.size() == kEffectBins);
  CHECK(x.mean_by_value[0].first == "[0, 1.5]");  // k = 0..3
  CHECK(x.mean_by_value[4].first == "[8, 9.5]");  // k = 16..19
  for (std::size_t b = 0; b < kEffectBins; ++b) {
    double sum = 0.0;
    for (int k = 4 * static_cast<int>(b); k < 4 * static_cast<int>(b) + 4; ++k) sum += 0.25 * k * k;
    CHECK(x.mean_by_value[b].second == doctest::Approx(sum / 4.0));
  }
}
