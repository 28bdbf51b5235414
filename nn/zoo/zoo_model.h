// Base class of every model in the zoo (nn/zoo/zoo.h builds them).
//
// Contract: forward() takes normalised Fashion-MNIST images float32
// [N, 1, 28, 28] (nn/data/fmnist.h normalise_images) and returns logits
// [N, 10]. All convolutions and linear layers are MappableLayers
// (nn/zoo/mappable.h) with names assigned. name() is the canonical zoo name
// (e.g. `resnet20`, `nasbench201:|nor_conv_3x3~0|+...`); hyper_parameters()
// is a one-line description of every architecture hyper-parameter
// ("key=value ..."). Both are stored in checkpoints and must match on load.
#pragma once

#include <torch/nn/module.h>

#include <string>

namespace aimcsim::nn {

inline constexpr int64_t kNumClasses = 10;

class ZooModel : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  virtual std::string hyper_parameters() const = 0;

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 private:
  std::string name_;
};

}  // namespace aimcsim::nn
