// Fashion-MNIST IDX reader (nn/data/fmnist.h) on the real Debian files and on
// corrupt/truncated copies.
#include <doctest/doctest.h>
#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "models/error.h"
#include "nn/data/fmnist.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("aimcsim_test_fmnist_" + name)).string();
}

void write_gz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

std::vector<uint8_t> header(uint32_t magic, std::vector<uint32_t> dims) {
  std::vector<uint8_t> b;
  auto put = [&b](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
  };
  put(magic);
  for (auto d : dims) put(d);
  return b;
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("real Fashion-MNIST files have the right counts and shapes and labels") {
  const Dataset train = load_fmnist(Split::kTrain);
  const Dataset test = load_fmnist(Split::kTest);
  CHECK(train.size() == 60000);
  CHECK(test.size() == 10000);
  CHECK(train.images.sizes() == torch::IntArrayRef({60000, 1, 28, 28}));
  CHECK((train.images.scalar_type() == torch::kUInt8));
  CHECK(train.labels.min().item<int64_t>() == 0);
  CHECK(train.labels.max().item<int64_t>() == 9);
  // First training label of Fashion-MNIST is 9 (ankle boot); first test label is 9 too.
  CHECK(train.labels[0].item<int64_t>() == 9);
  CHECK(test.labels[0].item<int64_t>() == 9);
  CHECK(test.labels[1].item<int64_t>() == 2);
  // Balanced classes: 6000 training images per class.
  CHECK(train.labels.eq(3).sum().item<int64_t>() == 6000);
  const double mean = normalise_images(train.images.slice(0, 0, 10000)).mean().item<double>();
  CHECK(std::abs(mean) < 0.05);
}

TEST_CASE("missing file names the Debian package and the path") {
  const auto msg = error_of([] { load_fmnist(Split::kTrain, "/nonexistent/dir"); });
  CHECK(msg.find("dataset-fashion-mnist") != std::string::npos);
  CHECK(msg.find("/nonexistent/dir/train-images-idx3-ubyte.gz") != std::string::npos);
}

TEST_CASE("bad magic number is an error") {
  const auto path = temp_path("badmagic.gz");
  auto bytes = header(0x00000802, {1, 28, 28});
  bytes.resize(bytes.size() + 784);
  write_gz(path, bytes);
  const auto msg = error_of([&] { read_idx_images(path); });
  CHECK(msg.find("magic") != std::string::npos);
  CHECK(msg.find(path) != std::string::npos);
  // An image file is not a label file.
  CHECK(error_of([&] { read_idx_labels(path); }).find("magic") != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("truncated payload and wrong size and bad labels are errors") {
  const auto path = temp_path("trunc.gz");
  auto bytes = header(0x00000803, {3, 28, 28});
  bytes.resize(bytes.size() + 2 * 784);  // 2 of 3 images
  write_gz(path, bytes);
  auto msg = error_of([&] { read_idx_images(path); });
  CHECK(msg.find("truncated") != std::string::npos);

  bytes = header(0x00000803, {1, 32, 32});
  bytes.resize(bytes.size() + 1024);
  write_gz(path, bytes);
  CHECK(error_of([&] { read_idx_images(path); }).find("28 x 28") != std::string::npos);

  bytes = header(0x00000801, {2});
  bytes.push_back(3);
  bytes.push_back(12);
  write_gz(path, bytes);
  CHECK(error_of([&] { read_idx_labels(path); }).find("outside 0..9") != std::string::npos);

  bytes = header(0x00000801, {2});
  bytes.push_back(3);
  bytes.push_back(4);
  write_gz(path, bytes);
  CHECK(read_idx_labels(path).sizes() == torch::IntArrayRef({2}));
  std::filesystem::remove(path);
}

TEST_CASE("a cut-off gzip stream is an error and not a crash") {
  const auto src = std::string(kFmnistDir) + "/t10k-labels-idx1-ubyte.gz";
  std::ifstream in(src, std::ios::binary);
  std::vector<char> data((std::istreambuf_iterator<char>(in)), {});
  REQUIRE(data.size() > 100);
  const auto path = temp_path("cut.gz");
  std::ofstream(path, std::ios::binary)
      .write(data.data(), static_cast<std::streamsize>(data.size() / 2));
  const auto msg = error_of([&] { read_idx_labels(path); });
  CHECK(msg.find(path) != std::string::npos);
  CHECK((msg.find("truncated") != std::string::npos || msg.find("corrupt") != std::string::npos));
  std::filesystem::remove(path);
}
