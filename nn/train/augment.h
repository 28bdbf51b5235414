// Seeded data order and augmentation for training (no torch RNG involved, so
// the same seed gives the same batches on every platform).
//
// Contract: shuffled_indices() is a Fisher-Yates permutation of 0..n-1 driven
// by the given std::mt19937_64. augment_batch() takes uint8 images
// [B, 1, 28, 28] and returns float32 normalised images of the same shape after,
// per sample: a random crop of the image zero-padded by `pad` pixels (offsets
// uniform in 0..2*pad) and a horizontal flip with probability 1/2.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <random>
#include <vector>

namespace aimcsim::nn {

inline constexpr int64_t kCropPad = 2;  // pixels

std::vector<int64_t> shuffled_indices(int64_t n, std::mt19937_64& rng);

at::Tensor augment_batch(const at::Tensor& images_u8, std::mt19937_64& rng, int64_t pad = kCropPad);

}  // namespace aimcsim::nn
