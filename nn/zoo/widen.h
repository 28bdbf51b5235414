// Widening a trained zoo model without changing what it computes (MPAAS, issue 13 item 8):
// Net2WiderNet (Chen, Goodfellow and Shlens, ICLR 2016) applied to one inner layer per block,
// a layer whose outputs feed only the block's next layer, so no residual partner has to
// change with it:
//   resnet8/20/32      basic block `layerS.B`: conv1 -> bn1 -> relu -> conv2 (the residual
//                      stream, 16/32/64 channels with option-A shortcuts, keeps its width)
//   vit-tiny           MLP of block `blocks.I`: mlp.fc1 -> GELU -> mlp.fc2 (hidden width,
//                      128 plain)
//   mobilenetv2-small  inverted residual `blocks.I` with an expansion: expand conv+BN ->
//                      ReLU6 -> depthwise conv+BN -> ReLU6 -> project conv (the expanded
//                      width; block 0, expansion 1, has no expand conv and is not listed)
//
// Contract (widen_model):
// - `trained` is one of the models above (plain or already widened); `inner_widths` has one
//   entry per inner layer of inner_layers(trained), each at least its current width.
//   Anything else throws aimcsim::Error naming the model or block.
// - Returns a new model named `BASE@inner=W1,W2,...` (nn/zoo/zoo.h) whose tensors are copies
//   of `trained`'s, except, per widened block: every tensor of the grown layers (the
//   producer's weight and bias, its batch norm's weight, bias, running mean and variance;
//   for mobilenetv2 also the depthwise conv and its batch norm) takes for new channel j a
//   copy of existing channel g(j), drawn uniformly from the old channels by a generator
//   seeded with (seed, block index); the consumer's input slice of every old channel k is
//   divided by the number of channels now carrying k's copy. In eval mode (and in train
//   mode, since batch statistics of copies are equal) the widened network computes the same
//   outputs as `trained`, up to float rounding.
// - The block layout (names, current widths) is read from `trained`'s parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

struct InnerLayer {
  std::string block;        // module path of the block, e.g. "layer2.0", "blocks.3"
  std::string producer;     // the mappable layer whose outputs grow, e.g. "blocks.3.mlp.fc1"
  std::int64_t width = 0;   // the producer's output channels (features)
  std::int64_t stream = 0;  // the block's consumer's outputs (the width that stays)
};

// The widenable inner layers of a zoo model in order (empty for a model without any).
std::vector<InnerLayer> inner_layers(ZooModel& model);

std::shared_ptr<ZooModel> widen_model(ZooModel& trained,
                                      const std::vector<std::int64_t>& inner_widths,
                                      std::uint64_t seed);

// Parameter count (weights and biases, buffers excluded).
std::int64_t parameter_count(ZooModel& model);

}  // namespace aimcsim::nn
