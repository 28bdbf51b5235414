#include "nn/train/augment.h"

#include <torch/torch.h>

#include <numeric>

#include "nn/data/fmnist.h"

namespace aimcsim::nn {

std::vector<int64_t> shuffled_indices(int64_t n, std::mt19937_64& rng) {
  std::vector<int64_t> idx(static_cast<size_t>(n));
  std::iota(idx.begin(), idx.end(), int64_t{0});
  for (int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(rng() % static_cast<uint64_t>(i + 1));
    std::swap(idx[static_cast<size_t>(i)], idx[static_cast<size_t>(j)]);
  }
  return idx;
}

at::Tensor augment_batch(const at::Tensor& images_u8, std::mt19937_64& rng, int64_t pad) {
  const int64_t b = images_u8.size(0), h = images_u8.size(2), w = images_u8.size(3);
  auto padded = torch::constant_pad_nd(images_u8, {pad, pad, pad, pad}, 0);
  auto out = torch::empty_like(images_u8);
  for (int64_t i = 0; i < b; ++i) {
    const auto dy = static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * pad + 1));
    const auto dx = static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * pad + 1));
    const bool flip = (rng() & 1U) != 0;
    auto crop = padded[i].slice(1, dy, dy + h).slice(2, dx, dx + w);
    out[i].copy_(flip ? crop.flip({2}) : crop);
  }
  return normalise_images(out);
}

}  // namespace aimcsim::nn
