// Target executors for mappable layers (layer_numerics.h).
#include "nn/eval/layer_numerics.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "models/analog/analog_mvm.h"
#include "models/digital/quantize.h"
#include "models/error.h"
#include "sim/config/hardware_config.h"

namespace aimcsim::nn {
namespace {

// Runs a linear-layer function over [.., in] by flattening the leading dimensions.
template <typename Fn>
torch::Tensor over_rows(const torch::Tensor& x, Fn&& fn) {
  if (x.dim() == 2) return fn(x);
  auto sizes = x.sizes().vec();
  torch::Tensor y = fn(x.reshape({-1, sizes.back()}));
  sizes.back() = y.size(1);
  return y.view(sizes);
}

c10::optional<at::Tensor> optional_bias(const MappableLayer& layer) {
  return layer.bias().defined() ? c10::optional<at::Tensor>(layer.bias()) : c10::nullopt;
}

}  // namespace

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

at::Generator seeded_generator(std::uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

AnalogSetup analog_setup_of(const HardwareConfig& config) {
  return AnalogSetup{config.device, config.tile.numerics};
}

Conv2dGeometry conv_geometry_of(const MappableConv2dImpl& conv) {
  const ConvGeometry& g = conv.geometry();
  Conv2dGeometry geom;
  geom.kernel = g.kernel;
  geom.stride = g.stride;
  geom.padding = g.padding;
  geom.groups = g.groups;
  return geom;
}

MappableLayer::Executor fp16_executor() {
  return [](const MappableLayer& layer, const torch::Tensor& x) {
    const torch::Tensor w = round_fp16(layer.weight());
    const torch::Tensor b = layer.bias().defined() ? round_fp16(layer.bias()) : torch::Tensor();
    const torch::Tensor xh = round_fp16(x);
    torch::Tensor y;
    if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
      const ConvGeometry& g = conv->geometry();
      y = torch::conv2d(xh, w, b, {g.stride[0], g.stride[1]}, {g.padding[0], g.padding[1]}, {1, 1},
                        g.groups);
    } else {
      y = torch::linear(xh, w, b);
    }
    return round_fp16(y);
  };
}

MappableLayer::Executor int8_executor(double input_scale) {
  return [input_scale](const MappableLayer& layer, const torch::Tensor& x) {
    const torch::Tensor w = fake_quant_int8_per_channel(layer.weight());
    const torch::Tensor xq = fake_quant_int8_per_tensor(x, input_scale);
    if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
      const ConvGeometry& g = conv->geometry();
      return torch::conv2d(xq, w, layer.bias(), {g.stride[0], g.stride[1]},
                           {g.padding[0], g.padding[1]}, {1, 1}, g.groups);
    }
    return torch::linear(xq, w, layer.bias());  // bias stays at INT32/FP precision
  };
}

AnalogLayerRuntime::AnalogLayerRuntime(const MappableLayer& layer, AnalogSetup setup)
    : layer_(&layer), setup_(setup), gen_(seeded_generator(0)) {
  if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
    conv_ = conv_geometry_of(*conv);
  }
}

void AnalogLayerRuntime::program(std::uint64_t seed) {
  at::Generator gen = seeded_generator(seed);
  torch::NoGradGuard no_grad;
  const torch::Tensor w =
      conv_ ? conv_weight_to_matrices(layer_->weight(), conv_->groups) : layer_->weight();
  programmed_.emplace(w, setup_.pcm, setup_.numerics, gen);
  weights_.reset();
}

void AnalogLayerRuntime::read_at(double t_s, std::uint64_t seed) {
  if (!programmed_) {
    throw Error("analog layer '" + layer_->name() + "': read_at() before program()");
  }
  at::Generator gen = seeded_generator(seed);
  torch::NoGradGuard no_grad;
  weights_ = programmed_->weights_at(t_s, gen);
  gen_ = seeded_generator(mix_seed(seed, 0xA7A1));
}

torch::Tensor AnalogLayerRuntime::forward(const MappableLayer& layer, const torch::Tensor& x) {
  if (!weights_) {
    throw Error("analog layer '" + layer.name() + "': forward before read_at()");
  }
  if (conv_) {
    return analog_conv2d(*weights_, x, optional_bias(layer), *conv_, setup_.numerics, gen_);
  }
  return over_rows(x, [&](const torch::Tensor& rows) {
    return analog_linear(*weights_, rows, optional_bias(layer), setup_.numerics, gen_);
  });
}

MappableLayer::Executor analog_executor(std::shared_ptr<AnalogLayerRuntime> runtime) {
  return [runtime = std::move(runtime)](const MappableLayer& layer, const torch::Tensor& x) {
    return runtime->forward(layer, x);
  };
}

MappableLayer::Executor hwa_executor(const AnalogNumericsParams& numerics, const HwaParams& hwa,
                                     std::shared_ptr<at::Generator> gen) {
  return [numerics, hwa, gen = std::move(gen)](const MappableLayer& layer, const torch::Tensor& x) {
    if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
      return hwa_analog_conv2d(x, layer.weight(), optional_bias(layer), conv_geometry_of(*conv),
                               numerics, hwa, *gen);
    }
    return over_rows(x, [&](const torch::Tensor& rows) {
      return hwa_analog_linear(rows, layer.weight(), optional_bias(layer), numerics, hwa, *gen);
    });
  };
}

}  // namespace aimcsim::nn
