#include "nn/zoo/mobilenetv2.h"

#include <torch/torch.h>

#include "models/error.h"
#include "nn/zoo/blocks.h"
#include "sim/graph/graph_builder.h"

namespace aimcsim::nn {
namespace {

struct StageSpec {
  int64_t expansion, channels, repeats, stride;
};
constexpr StageSpec kStages[] = {{1, 16, 1, 1}, {4, 24, 2, 2}, {4, 32, 3, 2}, {4, 64, 2, 1}};
constexpr int64_t kLastChannels = 256;

class InvertedResidualImpl : public torch::nn::Module {
 public:
  // hidden: the expanded width (in * expansion for the plain network).
  InvertedResidualImpl(int64_t in, int64_t hidden, int64_t out, int64_t stride, int64_t expansion)
      : residual_(stride == 1 && in == out) {
    if (expansion != 1) expand_ = register_module("expand", ConvBn(in, hidden, 1));
    dw_ = register_module("dw", ConvBn(hidden, hidden, 3, stride, hidden));
    project_ = register_module("project", ConvBn(hidden, out, 1));
  }

  torch::Tensor forward(const torch::Tensor& x) {
    auto y = expand_ ? torch::relu6(expand_(x)) : x;
    y = project_(torch::relu6(dw_(y)));
    return residual_ ? y + x : y;
  }

  // forward() as graph ops; `path` is the block's module path (`blocks.3`).
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    auto y = x;
    if (expand_) y = g.relu6(path + ".expand.relu6", expand_->build_graph(g, path + ".expand", x));
    y = g.relu6(path + ".dw.relu6", dw_->build_graph(g, path + ".dw", y));
    y = project_->build_graph(g, path + ".project", y);
    return residual_ ? g.add(path + ".add", {y, x}) : y;
  }

 private:
  bool residual_;
  ConvBn expand_{nullptr}, dw_{nullptr}, project_{nullptr};
};
TORCH_MODULE(InvertedResidual);

class MobileNetV2Small final : public ZooModel {
 public:
  explicit MobileNetV2Small(std::vector<int64_t> hidden_widths)
      : hidden_widths_(std::move(hidden_widths)) {
    stem_ = register_module("stem", ConvBn(1, 16, 3));
    int64_t in = 16;
    std::size_t expanding = 0;  // blocks with an expansion so far
    for (const auto& s : kStages) {
      for (int64_t r = 0; r < s.repeats; ++r) {
        int64_t hidden = in * s.expansion;
        if (s.expansion != 1 && !hidden_widths_.empty()) hidden = hidden_widths_[expanding];
        if (s.expansion != 1) ++expanding;
        blocks_->push_back(
            InvertedResidual(in, hidden, s.channels, r == 0 ? s.stride : 1, s.expansion));
        in = s.channels;
      }
    }
    register_module("blocks", blocks_);
    last_ = register_module("last", ConvBn(in, kLastChannels, 1));
    head_ = register_module("head", MappableLinear(kLastChannels, kNumClasses));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = torch::relu6(stem_(x));
    for (auto& block : *blocks_) y = block->as<InvertedResidualImpl>()->forward(y);
    y = torch::relu6(last_(y));
    return head_(y.mean({2, 3}));
  }

  aimcsim::Tensor build_graph(GraphBuilder& g, aimcsim::Tensor x) const override {
    auto y = g.relu6("stem.relu6", stem_->build_graph(g, "stem", x));
    for (size_t i = 0; i < blocks_->size(); ++i) {
      y = blocks_->at<InvertedResidualImpl>(i).build_graph(g, "blocks." + std::to_string(i), y);
    }
    y = g.relu6("last.relu6", last_->build_graph(g, "last", y));
    return head_->add_to_graph(g, g.flatten("flatten", g.global_avgpool("pool", y)));
  }

  // ReLU/ReLU6, pooling, batch norm and adds only (zoo_model.h).
  bool hessian_blocks_are_gauss_newton() const override { return true; }
  std::string hyper_parameters() const override {
    return "arch=mobilenetv2_small stem=16 "
           "stages(t,c,n,s)=(1,16,1,1)(4,24,2,2)(4,32,3,2)(4,64,2,1) "
           "last=256 input=1x28x28 classes=10" +
           inner_text();
  }

 private:
  // Widened expansions (nn/zoo/widen.h); nothing for the plain network.
  std::string inner_text() const {
    std::string s;
    for (std::size_t i = 0; i < hidden_widths_.size(); ++i) {
      s += (i ? "," : " inner_widths=") + std::to_string(hidden_widths_[i]);
    }
    return s;
  }

  std::vector<int64_t> hidden_widths_;
  ConvBn stem_{nullptr}, last_{nullptr};
  torch::nn::ModuleList blocks_;
  MappableLinear head_{nullptr};
};

}  // namespace

std::shared_ptr<ZooModel> make_mobilenetv2_small(const std::vector<int64_t>& hidden_widths) {
  std::size_t expanding = 0;
  for (const auto& s : kStages) expanding += s.expansion != 1 ? s.repeats : 0;
  if (!hidden_widths.empty() && hidden_widths.size() != expanding) {
    throw Error("mobilenetv2-small with " + std::to_string(expanding) +
                " expanding blocks: hidden widths list has " +
                std::to_string(hidden_widths.size()) + " entries");
  }
  for (int64_t w : hidden_widths) {
    if (w < 1) {
      throw Error("mobilenetv2-small hidden width " + std::to_string(w) + ": expected 1 or more");
    }
  }
  return std::make_shared<MobileNetV2Small>(hidden_widths);
}

}  // namespace aimcsim::nn
