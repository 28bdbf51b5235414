// test-links: aimcsim_mapping
// Exact Pareto front of layer subsets (mapping/layer_pareto.h) against brute force.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include "mapping/layer_pareto.h"

using aimcsim::mapping::exact_pareto_front;
using aimcsim::mapping::LayerObjective;
using aimcsim::mapping::ParetoPoint;
using aimcsim::mapping::thin_front;

namespace {

// Every subset's (sensitivity, saving), and the non-dominated ones by definition.
std::vector<ParetoPoint> brute_force_front(const std::vector<LayerObjective>& layers) {
  std::vector<ParetoPoint> all;
  const std::uint32_t n = static_cast<std::uint32_t>(layers.size());
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    ParetoPoint p;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (mask & (1u << i)) {
        p.sensitivity += layers[i].sensitivity;
        p.saving += layers[i].saving;
        p.layers.push_back(i);
      }
    }
    all.push_back(p);
  }
  std::vector<ParetoPoint> front;
  for (const ParetoPoint& p : all) {
    bool dominated = false;
    for (const ParetoPoint& q : all) {
      const bool no_worse = q.sensitivity <= p.sensitivity && q.saving >= p.saving;
      const bool better = q.sensitivity < p.sensitivity || q.saving > p.saving;
      if (no_worse && better) dominated = true;
    }
    if (!dominated) front.push_back(p);
  }
  return front;
}

}  // namespace

TEST_CASE("exact Pareto front equals brute force on random integer layers") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> sens(0, 20), save(-5, 30);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<LayerObjective> layers;
    for (int i = 0; i < 9; ++i) {
      layers.push_back({"l" + std::to_string(i), double(sens(rng)), double(save(rng))});
    }
    const auto front = exact_pareto_front(layers);
    const auto brute = brute_force_front(layers);
    // Brute force may hold several subsets per point; compare the distinct points.
    std::vector<std::pair<double, double>> want;
    for (const auto& p : brute) want.emplace_back(p.sensitivity, p.saving);
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    REQUIRE(front.size() == want.size());
    for (std::size_t j = 0; j < front.size(); ++j) {
      CHECK(front[j].sensitivity == want[j].first);
      CHECK(front[j].saving == want[j].second);
      double s = 0, v = 0;  // the subset really has the point's objectives
      for (std::size_t i : front[j].layers) s += layers[i].sensitivity, v += layers[i].saving;
      CHECK(s == front[j].sensitivity);
      CHECK(v == front[j].saving);
    }
  }
}

TEST_CASE("front starts at the empty set, skips costly layers, keeps free savings") {
  const std::vector<LayerObjective> layers{
      {"costly", 1.0, -3.0}, {"free", 0.0, 2.0}, {"a", 1.0, 5.0}, {"b", 3.0, 4.0}};
  const auto front = exact_pareto_front(layers);
  // {} is dominated by {free}: the front starts at {free}.
  REQUIRE(front.size() == 3);
  CHECK(front[0].layers == std::vector<std::size_t>{1});
  CHECK(front[1].layers == std::vector<std::size_t>{1, 2});
  CHECK(front[2].layers == std::vector<std::size_t>{1, 2, 3});
  CHECK(front[2].saving == 11.0);
}

TEST_CASE("thin_front keeps both ends and spreads evenly") {
  std::vector<ParetoPoint> f(10);
  for (int i = 0; i < 10; ++i) f[i].sensitivity = i;
  const auto t = thin_front(f, 4);
  REQUIRE(t.size() == 4);
  CHECK(t.front().sensitivity == 0);
  CHECK(t.back().sensitivity == 9);
  CHECK(t[1].sensitivity == 3);
  CHECK(t[2].sensitivity == 6);
  CHECK(thin_front(f, 20).size() == 10);
  CHECK(thin_front(f, 1).size() == 1);
}
