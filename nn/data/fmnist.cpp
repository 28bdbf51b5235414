#include "nn/data/fmnist.h"

#include <torch/torch.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "models/error.h"

namespace aimcsim::nn {
namespace {

constexpr uint32_t kMagicImages = 0x00000803;  // IDX: ubyte data, 3 dims
constexpr uint32_t kMagicLabels = 0x00000801;  // IDX: ubyte data, 1 dim

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

// Whole decompressed content of `path`; throws on a missing file or a gzip error.
std::vector<uint8_t> read_gz(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    throw Error("Fashion-MNIST file not found: " + path + " (install the Debian package " +
                kFmnistPackage + ", e.g. `apt-get install " + kFmnistPackage + "`)");
  }
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw Error("cannot open " + path);
  std::vector<uint8_t> out;
  std::array<uint8_t, 1 << 16> chunk{};
  for (;;) {
    const int n = gzread(file.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int errnum = 0;
      const char* msg = gzerror(file.get(), &errnum);
      throw Error(path + ": corrupt gzip data (" + std::string(msg ? msg : "?") + ")");
    }
    if (n == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + n);
  }
  // zlib reports a truncated gzip stream only through gzerror after EOF.
  int errnum = 0;
  gzerror(file.get(), &errnum);
  if (errnum != Z_OK && errnum != Z_STREAM_END) {
    throw Error(path + ": truncated or corrupt gzip stream");
  }
  return out;
}

uint32_t big_endian_u32(const std::vector<uint8_t>& b, size_t offset) {
  return (uint32_t{b[offset]} << 24) | (uint32_t{b[offset + 1]} << 16) |
         (uint32_t{b[offset + 2]} << 8) | uint32_t{b[offset + 3]};
}

// Checks the header and that exactly header_bytes + payload bytes are present.
void check_idx(const std::string& path, const std::vector<uint8_t>& bytes, size_t header_bytes,
               size_t payload_bytes, const char* what) {
  if (bytes.size() < header_bytes) {
    throw Error(path + ": truncated IDX header (" + std::to_string(bytes.size()) +
                " bytes, expected at least " + std::to_string(header_bytes) + ")");
  }
  if (bytes.size() != header_bytes + payload_bytes) {
    throw Error(path + ": IDX " + what + " file has " + std::to_string(bytes.size()) +
                " bytes, expected " + std::to_string(header_bytes + payload_bytes) +
                " (header + items announced in the header); truncated or corrupt file");
  }
}

void check_magic(const std::string& path, const std::vector<uint8_t>& bytes, uint32_t expected,
                 const char* what) {
  if (bytes.size() < 4) {
    throw Error(path + ": truncated IDX header (" + std::to_string(bytes.size()) + " bytes)");
  }
  const uint32_t magic = big_endian_u32(bytes, 0);
  if (magic != expected) {
    char buf[96];
    std::snprintf(buf, sizeof buf, ": bad IDX magic number 0x%08x, expected 0x%08x (%s file)",
                  magic, expected, what);
    throw Error(path + buf);
  }
}

}  // namespace

int64_t Dataset::size() const { return labels.defined() ? labels.size(0) : 0; }

at::Tensor read_idx_images(const std::string& path) {
  const std::vector<uint8_t> bytes = read_gz(path);
  check_magic(path, bytes, kMagicImages, "image");
  if (bytes.size() < 16) throw Error(path + ": truncated IDX header (expected 16 bytes)");
  const int64_t count = big_endian_u32(bytes, 4);
  const int64_t rows = big_endian_u32(bytes, 8);
  const int64_t cols = big_endian_u32(bytes, 12);
  if (rows != kFmnistSide || cols != kFmnistSide) {
    throw Error(path + ": images are " + std::to_string(rows) + " x " + std::to_string(cols) +
                ", expected 28 x 28");
  }
  check_idx(path, bytes, 16, static_cast<size_t>(count * rows * cols), "image");
  auto images = torch::empty({count, 1, rows, cols}, torch::kUInt8);
  std::memcpy(images.data_ptr<uint8_t>(), bytes.data() + 16, bytes.size() - 16);
  return images;
}

at::Tensor read_idx_labels(const std::string& path) {
  const std::vector<uint8_t> bytes = read_gz(path);
  check_magic(path, bytes, kMagicLabels, "label");
  if (bytes.size() < 8) throw Error(path + ": truncated IDX header (expected 8 bytes)");
  const int64_t count = big_endian_u32(bytes, 4);
  check_idx(path, bytes, 8, static_cast<size_t>(count), "label");
  auto labels = torch::empty({count}, torch::kInt64);
  auto* out = labels.data_ptr<int64_t>();
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t label = bytes[8 + static_cast<size_t>(i)];
    if (label >= kFmnistClasses) {
      throw Error(path + ": label " + std::to_string(label) + " at index " + std::to_string(i) +
                  " is outside 0..9");
    }
    out[i] = label;
  }
  return labels;
}

Dataset load_fmnist(Split split, const std::string& dir) {
  const std::string prefix = split == Split::kTrain ? "train" : "t10k";
  const std::string images_path = dir + "/" + prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
  Dataset data{read_idx_images(images_path), read_idx_labels(labels_path)};
  if (data.images.size(0) != data.labels.size(0)) {
    throw Error(images_path + " holds " + std::to_string(data.images.size(0)) + " images but " +
                labels_path + " holds " + std::to_string(data.labels.size(0)) + " labels");
  }
  return data;
}

at::Tensor normalise_images(const at::Tensor& images) {
  auto x = images.scalar_type() == torch::kUInt8 ? images.to(torch::kFloat32).div_(255.0)
                                                 : images.to(torch::kFloat32);
  return x.sub_(kFmnistMean).div_(kFmnistStd);
}

}  // namespace aimcsim::nn
