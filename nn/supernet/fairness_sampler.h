// Strict-fairness sampling of supernet subnets (MPS phase 1, issue 13 item 3; FACTS.md s.6).
//
// Contract:
// - Layer l offers candidates_per_layer[l] >= 1 candidates (indices 0..K_l-1); the window
//   length is K = max_l K_l. Each step returns one subnet: a candidate index per layer.
// - Within every window of K consecutive steps (steps kK .. kK+K-1), every candidate of
//   every layer with K_l = K is active exactly once: each window draws a fresh uniform
//   permutation of 0..K-1 per layer.
// - A layer with K_l < K fills its window with one permutation of its K_l candidates plus
//   K - K_l extra slots. The extra slots continue a second, cycling stream of permutations
//   of 0..K_l-1 that carries over between windows, so over any run of whole windows each
//   of its candidates is active floor or ceil of (steps / K_l) times (never more than one
//   apart). Slot positions within the window are shuffled.
// - Deterministic: the sequence depends only on (candidates_per_layer, seed); step(i) is
//   random access (window i / K is generated from mix(seed, window), replaying the extra
//   stream from window 0, O(window) work).
#pragma once

#include <cstdint>
#include <vector>

namespace aimcsim::nn {

class FairnessSampler final {
 public:
  FairnessSampler(std::vector<int> candidates_per_layer, std::uint64_t seed);

  int window() const { return window_; }
  std::size_t layers() const { return per_layer_.size(); }
  // The subnet of step `step` (0-based): one candidate index per layer.
  std::vector<int> subnet(std::int64_t step) const;
  // All subnets of window w (steps wK .. wK+K-1), [slot][layer].
  std::vector<std::vector<int>> window_subnets(std::int64_t w) const;

 private:
  std::vector<int> per_layer_;
  std::uint64_t seed_;
  int window_ = 1;
};

// Counts of each candidate per layer over steps [first, first + count): [layer][candidate].
std::vector<std::vector<std::int64_t>> fairness_counts(const FairnessSampler& sampler,
                                                       std::int64_t first, std::int64_t count);

}  // namespace aimcsim::nn
