#include "nn/zoo/mappable.h"

#include <torch/torch.h>

#include <cmath>

#include "sim/graph/graph_builder.h"
#include "sim/graph/op_attrs.h"

namespace aimcsim::nn {

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv2d:
      return "conv2d";
    case LayerKind::kLinear:
      return "linear";
  }
  return "?";
}

MappableConv2dImpl::MappableConv2dImpl(const ConvGeometry& geometry) : geometry_(geometry) {
  const auto& g = geometry_;
  TORCH_CHECK(g.in_channels % g.groups == 0 && g.out_channels % g.groups == 0,
              "conv channels must be divisible by groups");
  weight_ = register_parameter(
      "weight", torch::empty({g.out_channels, g.in_channels / g.groups, g.kernel[0], g.kernel[1]}));
  torch::nn::init::kaiming_normal_(weight_, 0.0, torch::kFanOut, torch::kReLU);
  if (g.bias) bias_ = register_parameter("bias", torch::zeros({g.out_channels}));
}

MappableConv2dImpl::MappableConv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                                       int64_t padding, int64_t groups, bool bias)
    : MappableConv2dImpl(ConvGeometry{
          in, out, {kernel, kernel}, {stride, stride}, {padding, padding}, groups, bias}) {}

torch::Tensor MappableConv2dImpl::forward_fp(const torch::Tensor& x) const {
  const auto& g = geometry_;
  return torch::conv2d(x, weight_, bias_, {g.stride[0], g.stride[1]}, {g.padding[0], g.padding[1]},
                       {1, 1}, g.groups);
}

aimcsim::Tensor MappableConv2dImpl::add_to_graph(GraphBuilder& graph, aimcsim::Tensor x) const {
  const auto& g = geometry_;
  OpAttrs a = default_attrs(OpKind::kConv2d);
  a.in_channels = g.in_channels;
  a.out_channels = g.out_channels;
  a.kernel = {g.kernel[0], g.kernel[1]};
  a.stride = {g.stride[0], g.stride[1]};
  a.padding = {g.padding[0], g.padding[1]};
  a.groups = g.groups;
  a.bias = bias_.defined();
  return graph.op(name(), OpKind::kConv2d, a, {x});
}

MappableLinearImpl::MappableLinearImpl(int64_t in_features, int64_t out_features, bool bias)
    : in_features_(in_features), out_features_(out_features) {
  weight_ = register_parameter("weight", torch::empty({out_features, in_features}));
  // PyTorch's nn.Linear default: kaiming_uniform(a = sqrt(5)), bias U(+-1/sqrt(in)).
  torch::nn::init::kaiming_uniform_(weight_, std::sqrt(5.0));
  if (bias) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    bias_ = register_parameter("bias", torch::empty({out_features}).uniform_(-bound, bound));
  }
}

torch::Tensor MappableLinearImpl::forward_fp(const torch::Tensor& x) const {
  return torch::linear(x, weight_, bias_);
}

aimcsim::Tensor MappableLinearImpl::add_to_graph(GraphBuilder& graph, aimcsim::Tensor x) const {
  OpAttrs a = default_attrs(OpKind::kLinear);
  a.in_features = in_features_;
  a.out_features = out_features_;
  a.bias = bias_.defined();
  return graph.op(name(), OpKind::kLinear, a, {x});
}

void assign_layer_names(torch::nn::Module& model) {
  for (const auto& item : model.named_modules("", /*include_self=*/false)) {
    if (auto layer = std::dynamic_pointer_cast<MappableLayer>(item.value())) {
      layer->set_name(item.key());
    }
  }
}

std::vector<std::shared_ptr<MappableLayer>> mappable_layers(torch::nn::Module& model) {
  std::vector<std::shared_ptr<MappableLayer>> layers;
  for (const auto& module : model.modules(/*include_self=*/false)) {
    if (auto layer = std::dynamic_pointer_cast<MappableLayer>(module)) layers.push_back(layer);
  }
  return layers;
}

}  // namespace aimcsim::nn
