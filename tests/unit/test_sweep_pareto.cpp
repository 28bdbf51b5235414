// test-links: aimcsim_explore
// Pareto extraction (explore/pareto.h) against the brute-force definition.
#include <doctest/doctest.h>

#include <random>

#include "explore/pareto.h"

using namespace aimcsim::explore;

namespace {

// The definition: i is on the front iff no j dominates it.
std::vector<std::size_t> brute_force(const std::vector<std::vector<double>>& p,
                                     const std::vector<bool>& maximise) {
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < p.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < p.size() && !dominated; ++j) {
      bool all_ge = true, some_gt = false;
      for (std::size_t k = 0; k < p[i].size(); ++k) {
        const double a = maximise[k] ? p[j][k] : -p[j][k], b = maximise[k] ? p[i][k] : -p[i][k];
        all_ge = all_ge && a >= b;
        some_gt = some_gt || a > b;
      }
      dominated = all_ge && some_gt;
    }
    if (!dominated) front.push_back(i);
  }
  return front;
}

}  // namespace

TEST_CASE("pareto_front equals brute force on random sets with ties, 1 to 4 objectives") {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t d = 1 + trial % 4;
    const std::size_t n = 1 + rng() % 60;
    std::vector<std::vector<double>> p(n, std::vector<double>(d));
    for (auto& x : p) {
      for (auto& v : x) v = static_cast<double>(rng() % 8);  // small range: many ties
    }
    std::vector<bool> maximise(d);
    for (std::size_t k = 0; k < d; ++k) maximise[k] = (rng() & 1) != 0;
    CHECK(pareto_front(p, maximise) == brute_force(p, maximise));
  }
}

TEST_CASE("pareto_front: a known 2-D case, minimise latency and maximise accuracy") {
  // (latency, accuracy)
  const std::vector<std::vector<double>> p = {{10, 90}, {12, 95}, {11, 89},
                                              {10, 90}, {20, 96}, {20, 95}};
  CHECK(pareto_front(p, {false, true}) == std::vector<std::size_t>{0, 1, 3, 4});
}
