// test-links: aimcsim_nn
// MPS phase-1 strict fairness (nn/supernet/fairness_sampler.h): within every window of K
// steps each candidate of each K-candidate layer is active exactly once; layers with fewer
// candidates stay balanced within one; the sequence is seeded and random access.
#include <doctest/doctest.h>

#include <algorithm>

#include "models/error.h"
#include "nn/supernet/fairness_sampler.h"

using aimcsim::nn::FairnessSampler;
using aimcsim::nn::fairness_counts;

TEST_CASE("fairness: every candidate exactly once per window of K steps") {
  const FairnessSampler sampler({4, 4, 4, 3, 4}, 7);
  CHECK(sampler.window() == 4);
  for (std::int64_t w = 0; w < 25; ++w) {
    const auto counts = fairness_counts(sampler, w * 4, 4);
    for (std::size_t l : {0u, 1u, 2u, 4u}) {
      for (int k = 0; k < 4; ++k) CHECK(counts[l][k] == 1);
    }
    // The 3-candidate layer: each once, plus one extra slot.
    int total = 0;
    for (int k = 0; k < 3; ++k) {
      CHECK(counts[3][k] >= 1);
      total += static_cast<int>(counts[3][k]);
    }
    CHECK(total == 4);
    CHECK(counts[3][3] == 0);
  }
}

TEST_CASE("fairness: a smaller layer stays balanced within one over whole windows") {
  const FairnessSampler sampler({4, 3, 2}, 11);
  for (std::int64_t windows : {1, 2, 3, 7, 12, 30}) {
    const auto counts = fairness_counts(sampler, 0, windows * 4);
    for (std::size_t l : {1u, 2u}) {
      const int k = l == 1 ? 3 : 2;
      const auto [lo, hi] = std::minmax_element(counts[l].begin(), counts[l].begin() + k);
      CHECK(*hi - *lo <= 1);
    }
  }
}

TEST_CASE("fairness: seeded, random access equals the sequence, windows differ") {
  const FairnessSampler a({4, 4, 4}, 3), b({4, 4, 4}, 3), c({4, 4, 4}, 4);
  bool differs_from_other_seed = false, windows_differ = false;
  for (std::int64_t s = 0; s < 40; ++s) {
    CHECK(a.subnet(s) == b.subnet(s));
    CHECK(a.subnet(s) == a.window_subnets(s / 4)[static_cast<std::size_t>(s % 4)]);
    differs_from_other_seed = differs_from_other_seed || a.subnet(s) != c.subnet(s);
    if (s >= 4) windows_differ = windows_differ || a.subnet(s) != a.subnet(s - 4);
  }
  CHECK(differs_from_other_seed);
  CHECK(windows_differ);  // a fresh permutation per window, not one repeated
}

TEST_CASE("fairness: bad inputs") {
  CHECK_THROWS_AS(FairnessSampler({}, 1), aimcsim::Error);
  CHECK_THROWS_AS(FairnessSampler({3, 0}, 1), aimcsim::Error);
  CHECK_THROWS_AS(FairnessSampler({3}, 1).subnet(-1), aimcsim::Error);
}
