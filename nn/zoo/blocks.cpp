#include "nn/zoo/blocks.h"

#include <torch/torch.h>

#include "sim/graph/graph_builder.h"

namespace aimcsim::nn {

ConvBnImpl::ConvBnImpl(const ConvGeometry& geometry) {
  conv = register_module("conv", MappableConv2d(geometry));
  bn = register_module("bn", torch::nn::BatchNorm2d(geometry.out_channels));
}

// "Same" padding for odd kernels: kernel / 2.
ConvBnImpl::ConvBnImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t groups)
    : ConvBnImpl(ConvGeometry{
          in, out, {kernel, kernel}, {stride, stride}, {kernel / 2, kernel / 2}, groups, false}) {}

torch::Tensor ConvBnImpl::forward(const torch::Tensor& x) { return bn(conv(x)); }

aimcsim::Tensor ConvBnImpl::build_graph(GraphBuilder& graph, const std::string& path,
                                        aimcsim::Tensor x) const {
  return graph.batchnorm(path + ".bn", conv->add_to_graph(graph, x));
}

}  // namespace aimcsim::nn
