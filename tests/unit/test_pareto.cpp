// test-links: aimcsim_mapping
// Pareto tools (mapping/pareto.h): non-dominated sorting against a brute-force definition,
// hypervolume against hand computations and a grid count.
#include <doctest/doctest.h>

#include <random>

#include "mapping/pareto.h"

using namespace aimcsim::mapping;

namespace {

// Brute force: rank r = points dominated only by points of rank < r, peeled front by front.
std::vector<int> brute_ranks(const std::vector<Objectives>& p) {
  std::vector<int> rank(p.size(), -1);
  for (int r = 0;; ++r) {
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (rank[i] >= 0) continue;
      bool dominated = false;
      for (std::size_t j = 0; j < p.size(); ++j) {
        if (rank[j] < 0 && j != i && dominates(p[j], p[i])) dominated = true;
      }
      if (!dominated) front.push_back(i);
    }
    if (front.empty()) return rank;
    for (std::size_t i : front) rank[i] = r;
  }
}

}  // namespace

TEST_CASE("pareto: non-dominated ranks equal brute force on random point sets") {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int> v(0, 5);  // small range: ties and equal points
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<Objectives> points(1 + trial % 17, Objectives(3));
    for (auto& p : points) {
      for (double& x : p) x = v(rng);
    }
    CHECK(non_dominated_ranks(points) == brute_ranks(points));
  }
}

TEST_CASE("pareto: dominance and fronts on a hand example") {
  CHECK(dominates({1, 2}, {1, 3}));
  CHECK_FALSE(dominates({1, 2}, {1, 2}));
  CHECK_FALSE(dominates({1, 3}, {2, 2}));
  const std::vector<Objectives> p = {{1, 3}, {2, 2}, {3, 1}, {2, 3}, {3, 3}, {1, 3}};
  CHECK(non_dominated_ranks(p) == std::vector<int>{0, 0, 0, 1, 2, 0});
  CHECK(pareto_front_indices(p) == std::vector<std::size_t>{0, 1, 2, 5});
}

TEST_CASE("pareto: hypervolume by hand in 2-D and 3-D, and against a grid count") {
  // Staircase (1,3), (2,2), (3,1) with reference (4,4): 3 + 2 + 1 = 6.
  CHECK(hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}) == doctest::Approx(6.0));
  // One box, plus a dominated point and one outside the reference: no change.
  CHECK(hypervolume({{1, 1, 1}, {2, 2, 2}, {5, 0, 0}}, {3, 3, 3}) == doctest::Approx(8.0));
  // Two boxes in 3-D: 2*2*1 + 1*1*2 - overlap 1*1*1 = 5.
  CHECK(hypervolume({{1, 1, 2}, {2, 2, 1}}, {3, 3, 3}) == doctest::Approx(5.0));
  // Grid count on integer points: unit cells covered by some box.
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> v(0, 6);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<Objectives> points(6, Objectives(3));
    for (auto& p : points) {
      for (double& x : p) x = v(rng);
    }
    int cells = 0;
    for (int a = 0; a < 7; ++a) {
      for (int b = 0; b < 7; ++b) {
        for (int c = 0; c < 7; ++c) {
          bool covered = false;
          for (const auto& p : points) covered = covered || (p[0] <= a && p[1] <= b && p[2] <= c);
          cells += covered ? 1 : 0;
        }
      }
    }
    CHECK(hypervolume(points, {7, 7, 7}) == doctest::Approx(cells));
  }
}
