// The checkpoints shipped in checkpoints/ (issue 3, item 2) load into their zoo
// model and still reach their recorded accuracy on the first 1000 test images; the HWA
// fine-tunes (NAME-hwa.pt) record how they were trained and which FP checkpoint they started
// from.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "nn/train/checkpoint.h"
#include "nn/train/trainer.h"

using namespace aimcsim::nn;

TEST_CASE("shipped checkpoints load and classify Fashion-MNIST") {
  const Dataset full = load_fmnist(Split::kTest);
  const Dataset subset{full.images.slice(0, 0, 1000), full.labels.slice(0, 0, 1000)};
  int found = 0;
  int found_hwa = 0;
  for (const std::string file :
       {"resnet8", "resnet20", "vit-tiny", "mobilenetv2-small", "resnet8-hwa", "resnet20-hwa",
        "vit-tiny-hwa"}) {
    const std::string path = std::string(AIMCSIM_SOURCE_DIR) + "/checkpoints/" + file + ".pt";
    if (!std::filesystem::exists(path)) continue;
    CAPTURE(path);
    const bool hwa = file.ends_with("-hwa");
    const std::string name = hwa ? file.substr(0, file.size() - 4) : file;
    ++(hwa ? found_hwa : found);
    const CheckpointMeta meta = read_checkpoint_meta(path);
    CHECK(meta.model_name == name);
    if (hwa) {
      CHECK(meta.training.starts_with("hwa mapping=all-analog gamma=0.08"));
      CHECK(meta.init_from == "checkpoints/" + name + ".pt");
    } else {
      CHECK(meta.training == "fp");
    }
    CHECK(meta.epochs_done == meta.epochs_total);
    auto model = load_model(path);
    // 1000 images: allow 2 points of sampling noise around the full-test accuracy.
    CHECK(evaluate(*model, subset) > meta.last_test_accuracy - 0.02);
  }
  CHECK(found == 4);
  CHECK(found_hwa >= 1);
}
