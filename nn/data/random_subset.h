// A seeded random subset of a dataset (epochs of a fixed number of images in searches).
#pragma once

#include <cstdint>

#include "nn/data/fmnist.h"

namespace aimcsim::nn {

// `n` distinct items of `pool` drawn by a partial Fisher-Yates shuffle seeded with `seed`
// (std::mt19937_64); all of `pool`, in order, if n >= its size.
Dataset random_subset(const Dataset& pool, std::int64_t n, std::uint64_t seed);

}  // namespace aimcsim::nn
