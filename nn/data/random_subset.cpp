// Seeded random subsets (random_subset.h).
#include "nn/data/random_subset.h"

#include <torch/torch.h>

#include <numeric>
#include <random>
#include <vector>

namespace aimcsim::nn {

Dataset random_subset(const Dataset& pool, std::int64_t n, std::uint64_t seed) {
  const std::int64_t size = pool.size();
  if (n >= size) return pool;
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> index(static_cast<std::size_t>(size));
  std::iota(index.begin(), index.end(), std::int64_t{0});
  for (std::int64_t i = 0; i < n; ++i) {
    std::uniform_int_distribution<std::int64_t> pick(i, size - 1);
    std::swap(index[static_cast<std::size_t>(i)], index[static_cast<std::size_t>(pick(rng))]);
  }
  auto chosen = torch::from_blob(index.data(), {n}, torch::kInt64).clone();
  return Dataset{pool.images.index_select(0, chosen), pool.labels.index_select(0, chosen)};
}

}  // namespace aimcsim::nn
