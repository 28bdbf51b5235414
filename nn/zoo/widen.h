// Widening a trained ResNet without changing what it computes (MPAAS, issue 13 item 8):
// Net2WiderNet (Chen, Goodfellow and Shlens, ICLR 2016) applied to the inner layer of each
// basic block (conv1 -> bn1 -> relu -> conv2). The residual stream (16/32/64 channels,
// option-A shortcuts) keeps its width, so no residual partner has to change with it.
//
// Contract (widen_resnet):
// - `trained` is a zoo ResNet (plain or already widened); `inner_widths` has one entry per
//   basic block, each at least the block's current conv1 width. Anything else throws
//   aimcsim::Error naming the block.
// - Returns a new model named `resnetN@inner=...` (nn/zoo/zoo.h) whose tensors are copies of
//   `trained`'s, except, per widened block: new conv1 output channel j (and bn1's weight,
//   bias, running mean and variance for j) copies existing channel g(j), drawn uniformly
//   from the old channels by a generator seeded with (seed, block index); conv2's input
//   slice of every old channel k is divided by the number of channels now carrying k's
//   copy. In eval mode (and in train mode, since batch statistics of copies are equal)
//   the widened network computes the same outputs as `trained`, up to float rounding.
// - The block layout (names, current widths) is read from `trained`'s parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

struct InnerLayer {
  std::string block;        // module path, e.g. "layer2.0"
  std::int64_t width = 0;   // conv1 output channels
  std::int64_t stream = 0;  // the block's residual-stream channels (conv2 outputs)
};

// The basic blocks of a zoo ResNet in order (empty for any other model).
std::vector<InnerLayer> resnet_inner_layers(ZooModel& model);

std::shared_ptr<ZooModel> widen_resnet(ZooModel& trained,
                                       const std::vector<std::int64_t>& inner_widths,
                                       std::uint64_t seed);

// Parameter count (weights and biases, buffers excluded).
std::int64_t parameter_count(ZooModel& model);

}  // namespace aimcsim::nn
