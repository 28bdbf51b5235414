#include "nn/zoo/layer_info.h"

#include <torch/torch.h>

namespace aimcsim::nn {
namespace {

std::vector<int64_t> per_sample(const torch::Tensor& t) {
  auto sizes = t.sizes().vec();
  sizes.erase(sizes.begin());
  return sizes;
}

int64_t product(const std::vector<int64_t>& v, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= v[i];
  return p;
}

MappableLayerInfo describe(const MappableLayer& layer, const torch::Tensor& x,
                           const torch::Tensor& y) {
  MappableLayerInfo info;
  info.name = layer.name();
  info.kind = layer.kind();
  info.input_shape = per_sample(x);
  info.output_shape = per_sample(y);
  info.weight_shape = layer.weight().sizes().vec();
  info.has_bias = layer.bias().defined();
  info.weight_count = layer.weight().numel();
  if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
    info.groups = conv->geometry().groups;
    info.stride = conv->geometry().stride[0];
    // weight numel = Co * (Ci/g) * kh * kw; times output pixels.
    info.macs = info.weight_count * y.size(2) * y.size(3);
  } else {
    const auto& in = info.input_shape;
    info.macs = info.weight_count * product(in, 0, in.size() - 1);
  }
  return info;
}

}  // namespace

std::vector<MappableLayerInfo> list_mappable_layers(ZooModel& model) {
  std::vector<MappableLayerInfo> out;
  const auto layers = mappable_layers(model);
  std::vector<MappableLayer::Executor> saved;
  for (const auto& layer : layers) {
    saved.push_back(layer->executor());
    layer->set_executor([&out](const MappableLayer& l, const torch::Tensor& x) {
      auto y = l.forward_fp(x);
      out.push_back(describe(l, x, y));
      return y;
    });
  }
  const bool was_training = model.is_training();
  auto restore = [&] {
    model.train(was_training);
    for (size_t i = 0; i < layers.size(); ++i) layers[i]->set_executor(saved[i]);
  };
  model.eval();
  try {
    torch::NoGradGuard no_grad;
    model.forward(torch::zeros({1, 1, 28, 28}));
  } catch (...) {
    restore();
    throw;
  }
  restore();
  return out;
}

int64_t total_macs(const std::vector<MappableLayerInfo>& layers) {
  int64_t sum = 0;
  for (const auto& l : layers) sum += l.macs;
  return sum;
}

}  // namespace aimcsim::nn
