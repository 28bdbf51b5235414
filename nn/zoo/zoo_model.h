// Base class of every model in the zoo (nn/zoo/zoo.h builds them).
//
// Contract: forward() takes normalised Fashion-MNIST images float32
// [N, 1, 28, 28] (nn/data/fmnist.h normalise_images) and returns logits
// [N, 10]. All convolutions and linear layers are MappableLayers
// (nn/zoo/mappable.h) with names assigned. name() is the canonical zoo name
// (e.g. `resnet20`, `nasbench201:|nor_conv_3x3~0|+...`); hyper_parameters()
// is a one-line description of every architecture hyper-parameter
// ("key=value ..."). Both are stored in checkpoints and must match on load.
//
// build_graph() describes forward() in eval mode as workload-graph ops
// (sim/graph/graph_builder.h): it appends to `graph` every op forward() runs
// on `x` (an input op of shape [N, 1, 28, 28]), in forward()'s order, and
// returns the logits [N, 10]. Each MappableLayer becomes one conv2d/linear op
// named MappableLayer::name(); the other ops are named after their module
// path. nn/export/model_graph.h wraps it into a whole Graph; its test checks
// the result against list_mappable_layers() (nn/zoo/layer_info.h).
#pragma once

#include <torch/nn/module.h>

#include <string>

namespace aimcsim {
class GraphBuilder;
struct Tensor;
}  // namespace aimcsim

namespace aimcsim::nn {

inline constexpr int64_t kNumClasses = 10;

class ZooModel : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  virtual std::string hyper_parameters() const = 0;
  virtual aimcsim::Tensor build_graph(GraphBuilder& graph, aimcsim::Tensor x) const = 0;
  // True when, in eval mode, the logits are piecewise linear in each single mappable
  // layer's weight (only ReLU/ReLU6, pooling, batch norm, residual adds between a weight
  // and the logits): the Hessian's diagonal blocks then equal the Gauss-Newton blocks
  // (nn/hessian/ggn.h). False unless a model states it.
  virtual bool hessian_blocks_are_gauss_newton() const { return false; }

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 private:
  std::string name_;
};

}  // namespace aimcsim::nn
