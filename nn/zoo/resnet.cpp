#include "nn/zoo/resnet.h"

#include <torch/torch.h>

#include "models/error.h"
#include "nn/zoo/blocks.h"
#include "sim/graph/graph_builder.h"

namespace aimcsim::nn {
namespace {

// Basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).
class BasicBlockImpl : public torch::nn::Module {
 public:
  BasicBlockImpl(int64_t in, int64_t inner, int64_t out, int64_t stride)
      : stride_(stride), pad_channels_(out - in) {
    conv1_ = register_module("conv1", MappableConv2d(in, inner, 3, stride, 1));
    bn1_ = register_module("bn1", torch::nn::BatchNorm2d(inner));
    conv2_ = register_module("conv2", MappableConv2d(inner, out, 3, 1, 1));
    bn2_ = register_module("bn2", torch::nn::BatchNorm2d(out));
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto y = torch::relu(bn1_(conv1_(x)));
    y = bn2_(conv2_(y));
    return torch::relu(y + shortcut(x));
  }

  // forward() as graph ops; `path` is the block's module path (`layer2.0`).
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    auto y = g.relu(path + ".relu1", g.batchnorm(path + ".bn1", conv1_->add_to_graph(g, x)));
    y = g.batchnorm(path + ".bn2", conv2_->add_to_graph(g, y));
    return g.relu(path + ".relu2", g.add(path + ".add", {y, shortcut_graph(g, path, x)}));
  }

 private:
  // Option A: subsample by the stride, zero-pad the new channels (half each side).
  torch::Tensor shortcut(const torch::Tensor& x) const {
    if (stride_ == 1 && pad_channels_ == 0) return x;
    auto s = x.slice(2, 0, x.size(2), stride_).slice(3, 0, x.size(3), stride_);
    const int64_t lo = pad_channels_ / 2;
    return torch::constant_pad_nd(s, {0, 0, 0, 0, lo, pad_channels_ - lo});
  }

  aimcsim::Tensor shortcut_graph(GraphBuilder& g, const std::string& path,
                                 aimcsim::Tensor x) const {
    const std::string p = path + ".shortcut.";
    if (stride_ != 1) {
      x = g.slice(p + "subsample_h", x, 2, 0, g.shape(x)[2], stride_);
      x = g.slice(p + "subsample_w", x, 3, 0, g.shape(x)[3], stride_);
    }
    const int64_t lo = pad_channels_ / 2;
    return pad_channels_ == 0 ? x : g.pad(p + "pad", x, 1, lo, pad_channels_ - lo);
  }

  int64_t stride_;
  int64_t pad_channels_;
  MappableConv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
};
TORCH_MODULE(BasicBlock);

class CifarResNet final : public ZooModel {
 public:
  CifarResNet(int blocks_per_stage, std::vector<int64_t> inner_widths)
      : blocks_per_stage_(blocks_per_stage), inner_widths_(std::move(inner_widths)) {
    stem_ = register_module("stem", ConvBn(1, 16, 3));
    int64_t in = 16;
    const int64_t widths[3] = {16, 32, 64};
    for (int s = 0; s < 3; ++s) {
      torch::nn::ModuleList stage;
      for (int b = 0; b < blocks_per_stage; ++b) {
        const int64_t stride = (s > 0 && b == 0) ? 2 : 1;
        const std::size_t block = static_cast<std::size_t>(s * blocks_per_stage + b);
        const int64_t inner = inner_widths_.empty() ? widths[s] : inner_widths_[block];
        stage->push_back(BasicBlock(in, inner, widths[s], stride));
        in = widths[s];
      }
      stages_.push_back(register_module("layer" + std::to_string(s + 1), stage));
    }
    head_ = register_module("head", MappableLinear(64, kNumClasses));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = torch::relu(stem_(x));
    for (auto& stage : stages_) {
      for (auto& block : *stage) y = block->as<BasicBlockImpl>()->forward(y);
    }
    return head_(y.mean({2, 3}));
  }

  aimcsim::Tensor build_graph(GraphBuilder& g, aimcsim::Tensor x) const override {
    auto y = g.relu("stem.relu", stem_->build_graph(g, "stem", x));
    for (size_t s = 0; s < stages_.size(); ++s) {
      for (size_t b = 0; b < stages_[s]->size(); ++b) {
        const std::string path = "layer" + std::to_string(s + 1) + "." + std::to_string(b);
        y = stages_[s]->at<BasicBlockImpl>(b).build_graph(g, path, y);
      }
    }
    return head_->add_to_graph(g, g.flatten("flatten", g.global_avgpool("pool", y)));
  }

  // ReLU/ReLU6, pooling, batch norm and adds only (zoo_model.h).
  bool hessian_blocks_are_gauss_newton() const override { return true; }
  std::string hyper_parameters() const override {
    return "arch=cifar_resnet depth=" + std::to_string(6 * blocks_per_stage_ + 2) +
           " blocks_per_stage=" + std::to_string(blocks_per_stage_) + " widths=16,32,64" +
           inner_text() + " shortcut=A input=1x28x28 classes=10";
  }

 private:
  std::string inner_text() const {
    if (inner_widths_.empty()) return "";
    std::string s = " inner_widths=";
    for (std::size_t i = 0; i < inner_widths_.size(); ++i) {
      s += (i ? "," : "") + std::to_string(inner_widths_[i]);
    }
    return s;
  }

  int blocks_per_stage_;
  std::vector<int64_t> inner_widths_;
  ConvBn stem_{nullptr};
  std::vector<torch::nn::ModuleList> stages_;
  MappableLinear head_{nullptr};
};

}  // namespace

std::shared_ptr<ZooModel> make_resnet(int blocks_per_stage,
                                      const std::vector<int64_t>& inner_widths) {
  const std::size_t blocks = static_cast<std::size_t>(3 * blocks_per_stage);
  if (!inner_widths.empty() && inner_widths.size() != blocks) {
    throw Error("resnet with " + std::to_string(blocks) + " basic blocks: inner widths list has " +
                std::to_string(inner_widths.size()) + " entries");
  }
  for (int64_t w : inner_widths) {
    if (w < 1) throw Error("resnet inner width " + std::to_string(w) + ": expected 1 or more");
  }
  return std::make_shared<CifarResNet>(blocks_per_stage, inner_widths);
}

}  // namespace aimcsim::nn
