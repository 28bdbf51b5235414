// Mappable layers: the convolutions and linear layers whose weights are
// stationary and can be placed on an AIMC tile or a digital core (DESIGN.md
// s.3). Every zoo model builds its conv/linear layers from these two wrappers.
//
// Contract:
//  - name(): stable dotted path of the layer in its model, e.g. `stem.conv`,
//    `layer1.0.conv1`, `blocks.2.attn.qkv`, `head` (the torch::nn submodule
//    path; assigned once by assign_layer_names() when the zoo builds the
//    model). Mapping files and the graph exporter key on this name.
//  - forward(x) runs the layer's Executor if one is set, else forward_fp(x),
//    the plain FP32 torch op (conv2d / linear).
//  - An Executor is how analog / INT8 / FP16 numerics (models/) replace a
//    layer: it receives the layer (weights, bias and geometry through the
//    accessors below) and the input, and returns the output with the same
//    shape forward_fp() would. For hardware-aware training it should keep the
//    autograd path to weight() (straight-through gradients). Example:
//      layer.set_executor([](const MappableLayer& l, const torch::Tensor& x) {
//        return torch::conv2d(x, int8_fake_quant(l.weight()), l.bias(), ...); });
//  - reset_executor() restores the FP32 op. Executors are not saved in
//    checkpoints.
//  - add_to_graph(graph, x) appends the layer as one mappable graph op
//    (conv2d / linear) named name(), with the layer's own geometry and bias;
//    the graph's shape inference rejects an operand the layer cannot take.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aimcsim {
class GraphBuilder;
struct Tensor;
}  // namespace aimcsim

namespace aimcsim::nn {

enum class LayerKind { kConv2d, kLinear };
const char* to_string(LayerKind kind);

class MappableLayer : public torch::nn::Module {
 public:
  using Executor = std::function<torch::Tensor(const MappableLayer& layer, const torch::Tensor& x)>;

  torch::Tensor forward(const torch::Tensor& x) const {
    return executor_ ? executor_(*this, x) : forward_fp(x);
  }
  // The reference FP32 computation (torch::conv2d / torch::linear).
  virtual torch::Tensor forward_fp(const torch::Tensor& x) const = 0;
  virtual LayerKind kind() const = 0;
  virtual aimcsim::Tensor add_to_graph(GraphBuilder& graph, aimcsim::Tensor x) const = 0;

  const torch::Tensor& weight() const {
    return weight_;
  }                                                    // conv [Co, Ci/g, kh, kw]; linear [out, in]
  const torch::Tensor& bias() const { return bias_; }  // [out], or undefined if no bias

  void set_executor(Executor executor) { executor_ = std::move(executor); }
  void reset_executor() { executor_ = nullptr; }
  const Executor& executor() const { return executor_; }

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 protected:
  torch::Tensor weight_;
  torch::Tensor bias_;

 private:
  Executor executor_;
  std::string name_;
};

// Geometry of a 2-D convolution (square or rectangular kernel, no dilation).
struct ConvGeometry {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  std::array<int64_t, 2> kernel{3, 3};   // kh, kw
  std::array<int64_t, 2> stride{1, 1};   // pixels
  std::array<int64_t, 2> padding{0, 0};  // zero padding, pixels
  int64_t groups = 1;                    // = in_channels for depthwise
  bool bias = false;
};

// Conv2d with Kaiming-normal (fan_out) weight init and zero bias.
class MappableConv2dImpl final : public MappableLayer {
 public:
  explicit MappableConv2dImpl(const ConvGeometry& geometry);
  // Square-kernel shorthand.
  MappableConv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1,
                     int64_t padding = 0, int64_t groups = 1, bool bias = false);
  torch::Tensor forward_fp(const torch::Tensor& x) const override;
  LayerKind kind() const override { return LayerKind::kConv2d; }
  aimcsim::Tensor add_to_graph(GraphBuilder& graph, aimcsim::Tensor x) const override;
  const ConvGeometry& geometry() const { return geometry_; }

 private:
  ConvGeometry geometry_;
};
TORCH_MODULE(MappableConv2d);

// Linear layer y = x W^T + b over the last dimension (PyTorch default init).
class MappableLinearImpl final : public MappableLayer {
 public:
  MappableLinearImpl(int64_t in_features, int64_t out_features, bool bias = true);
  torch::Tensor forward_fp(const torch::Tensor& x) const override;
  LayerKind kind() const override { return LayerKind::kLinear; }
  aimcsim::Tensor add_to_graph(GraphBuilder& graph, aimcsim::Tensor x) const override;
  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }

 private:
  int64_t in_features_;
  int64_t out_features_;
};
TORCH_MODULE(MappableLinear);

// Sets name() of every MappableLayer below `model` to its dotted submodule path.
void assign_layer_names(torch::nn::Module& model);

// Every MappableLayer below `model`, in registration order (which is
// execution order for all zoo models).
std::vector<std::shared_ptr<MappableLayer>> mappable_layers(torch::nn::Module& model);

}  // namespace aimcsim::nn
