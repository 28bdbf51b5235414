// Small building blocks shared by the zoo models.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/pimpl.h>

#include <string>

#include "nn/zoo/mappable.h"

namespace aimcsim::nn {

// conv -> batchnorm (no activation); children named `conv` and `bn`.
class ConvBnImpl : public torch::nn::Module {
 public:
  explicit ConvBnImpl(const ConvGeometry& geometry);
  ConvBnImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t groups = 1);
  torch::Tensor forward(const torch::Tensor& x);
  // forward() as graph ops: the conv, then batchnorm `<path>.bn`, where
  // `path` is this module's dotted path in its model.
  aimcsim::Tensor build_graph(GraphBuilder& graph, const std::string& path,
                              aimcsim::Tensor x) const;

  MappableConv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
};
TORCH_MODULE(ConvBn);

}  // namespace aimcsim::nn
