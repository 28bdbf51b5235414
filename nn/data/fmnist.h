// Fashion-MNIST from the Debian package `dataset-fashion-mnist` (FACTS.md s.10).
//
// Contract: read_idx_images()/read_idx_labels() read one gzipped IDX file (the
// plain, uncompressed form is read too: zlib passes it through) and validate
// the magic number (0x00000803 images, 0x00000801 labels), the dimensions
// (28 x 28) and that the payload holds exactly the announced number of items.
// Any problem (missing file, bad magic, truncation, trailing bytes, labels
// outside 0..9) throws aimcsim::Error naming the file and what was expected.
// A missing file names the Debian package to install.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace aimcsim::nn {

inline constexpr const char* kFmnistDir = "/usr/share/datasets/fashion-mnist";
inline constexpr const char* kFmnistPackage = "dataset-fashion-mnist";
inline constexpr int64_t kFmnistSide = 28;  // pixels
inline constexpr int64_t kFmnistClasses = 10;
// Mean and std of the training pixels scaled to [0, 1] (computed over all
// 60,000 training images; used by normalise_images()).
inline constexpr double kFmnistMean = 0.2860;
inline constexpr double kFmnistStd = 0.3530;

enum class Split { kTrain, kTest };

// Images as uint8 [N, 1, 28, 28] (0 = background), labels as int64 [N] in 0..9.
struct Dataset {
  at::Tensor images;
  at::Tensor labels;
  int64_t size() const;
};

// One IDX3 image file -> uint8 [N, 1, rows, cols]; requires rows = cols = 28.
at::Tensor read_idx_images(const std::string& path);
// One IDX1 label file -> int64 [N], each in 0..9.
at::Tensor read_idx_labels(const std::string& path);

// Both files of one split from `dir` (train-* or t10k-*), with counts checked
// against each other.
Dataset load_fmnist(Split split, const std::string& dir = kFmnistDir);

// uint8 or float-in-[0,1] images -> float32 (x - mean) / std.
at::Tensor normalise_images(const at::Tensor& images);

}  // namespace aimcsim::nn
