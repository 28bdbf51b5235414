#include "nn/zoo/vgg.h"

#include <torch/torch.h>

#include "nn/zoo/blocks.h"
#include "sim/graph/graph_builder.h"

namespace aimcsim::nn {
namespace {

constexpr int64_t kWidths[6] = {32, 32, 64, 64, 128, 128};
constexpr int64_t kHidden = 256;
constexpr double kDropout = 0.3;

class VggSmall final : public ZooModel {
 public:
  VggSmall() {
    int64_t in = 1;
    for (int i = 0; i < 6; ++i) {
      blocks_.push_back(
          register_module("block" + std::to_string(i + 1), ConvBn(in, kWidths[i], 3)));
      in = kWidths[i];
    }
    fc_ = register_module("fc", MappableLinear(128 * 3 * 3, kHidden));
    head_ = register_module("head", MappableLinear(kHidden, kNumClasses));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = x;
    for (size_t i = 0; i < blocks_.size(); ++i) {
      y = torch::relu(blocks_[i](y));
      if (i % 2 == 1) y = torch::max_pool2d(y, 2);  // 28 -> 14 -> 7 -> 3 (floor)
    }
    y = torch::relu(fc_(y.flatten(1)));
    y = torch::dropout(y, kDropout, is_training());
    return head_(y);
  }

  // Dropout is the identity in eval mode, so it has no op.
  aimcsim::Tensor build_graph(GraphBuilder& g, aimcsim::Tensor x) const override {
    auto y = x;
    for (size_t i = 0; i < blocks_.size(); ++i) {
      const std::string path = "block" + std::to_string(i + 1);
      y = g.relu(path + ".relu", blocks_[i]->build_graph(g, path, y));
      if (i % 2 == 1) y = g.maxpool("pool" + std::to_string(i / 2 + 1), y, 2, 2);
    }
    y = g.relu("fc.relu", fc_->add_to_graph(g, g.flatten("flatten", y)));
    return head_->add_to_graph(g, y);
  }

  // ReLU/ReLU6, pooling, batch norm and adds only (zoo_model.h).
  bool hessian_blocks_are_gauss_newton() const override { return true; }
  std::string hyper_parameters() const override {
    return "arch=vgg_small widths=32,32,64,64,128,128 pool_after=2,4,6 fc=1152x256 dropout=0.3 "
           "input=1x28x28 classes=10";
  }

 private:
  std::vector<ConvBn> blocks_;
  MappableLinear fc_{nullptr}, head_{nullptr};
};

}  // namespace

std::shared_ptr<ZooModel> make_vgg_small() { return std::make_shared<VggSmall>(); }

}  // namespace aimcsim::nn
