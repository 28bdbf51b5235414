// Strict-fairness sampler (fairness_sampler.h).
#include "nn/supernet/fairness_sampler.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "models/error.h"

namespace aimcsim::nn {
namespace {

std::uint64_t splitmix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::vector<int> permutation(int n, std::mt19937_64& rng) {
  std::vector<int> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  std::shuffle(p.begin(), p.end(), rng);
  return p;
}

}  // namespace

FairnessSampler::FairnessSampler(std::vector<int> candidates_per_layer, std::uint64_t seed)
    : per_layer_(std::move(candidates_per_layer)), seed_(seed) {
  if (per_layer_.empty()) throw Error("fairness sampler: no layers to sample");
  for (int k : per_layer_) {
    if (k < 1) throw Error("fairness sampler: a layer with no candidate");
    window_ = std::max(window_, k);
  }
}

std::vector<std::vector<int>> FairnessSampler::window_subnets(std::int64_t w) const {
  std::vector<std::vector<int>> slots(static_cast<std::size_t>(window_),
                                      std::vector<int>(per_layer_.size()));
  for (std::size_t l = 0; l < per_layer_.size(); ++l) {
    const int k = per_layer_[l];
    std::mt19937_64 rng(splitmix(splitmix(seed_, static_cast<std::uint64_t>(w)), l));
    std::vector<int> column = permutation(k, rng);
    if (k < window_) {
      // The extra stream: permutations of 0..k-1 (seeded per layer), consumed window_-k
      // entries per window; replay the entries used by windows 0..w-1.
      const int extra = window_ - k;
      std::mt19937_64 extra_rng(splitmix(splitmix(seed_, 0xE27A), l));
      std::vector<int> cycle = permutation(k, extra_rng);
      std::size_t pos = 0;
      auto next = [&] {
        if (pos == cycle.size()) {
          cycle = permutation(k, extra_rng);
          pos = 0;
        }
        return cycle[pos++];
      };
      for (std::int64_t skip = 0; skip < w * extra; ++skip) next();
      for (int e = 0; e < extra; ++e) column.push_back(next());
      std::shuffle(column.begin(), column.end(), rng);
    }
    for (int s = 0; s < window_; ++s) slots[static_cast<std::size_t>(s)][l] = column[s];
  }
  return slots;
}

std::vector<int> FairnessSampler::subnet(std::int64_t step) const {
  if (step < 0) throw Error("fairness sampler: negative step");
  return window_subnets(step / window_)[static_cast<std::size_t>(step % window_)];
}

std::vector<std::vector<std::int64_t>> fairness_counts(const FairnessSampler& sampler,
                                                       std::int64_t first, std::int64_t count) {
  std::vector<std::vector<std::int64_t>> counts(sampler.layers(),
                                                std::vector<std::int64_t>(sampler.window(), 0));
  for (std::int64_t s = first; s < first + count; ++s) {
    const std::vector<int> net = sampler.subnet(s);
    for (std::size_t l = 0; l < net.size(); ++l) ++counts[l][static_cast<std::size_t>(net[l])];
  }
  return counts;
}

}  // namespace aimcsim::nn
