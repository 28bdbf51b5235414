// CIFAR-style ResNet (He et al., CVPR 2016, s.4.2) adapted to 28x28x1 input:
// 3x3 stem conv 1->16, three stages of `blocks_per_stage` basic blocks with
// 16/32/64 channels (stride 2 at the start of stages 2 and 3: 28 -> 14 -> 7),
// global average pooling and a linear head. Shortcuts are option A
// (parameter-free: stride-2 subsampling and zero channel padding), so every
// conv is a 3x3 and resnet20 has 19 convs + 1 linear = 20 mappable layers.
// Depth = 6 * blocks_per_stage + 2: resnet8 (1), resnet20 (3), resnet32 (5).
//
// Layer names: stem.conv, layer{1,2,3}.{i}.conv1, layer{s}.{i}.conv2, head.
//
// Widened variants (MPAAS, nn/zoo/widen.h): `inner_widths` gives, per basic block in
// order, the output channels of its conv1 (and so bn1's channels and conv2's inputs); the
// residual stream keeps 16/32/64. Empty = the plain network (each conv1 as wide as its
// stage).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

std::shared_ptr<ZooModel> make_resnet(int blocks_per_stage,
                                      const std::vector<int64_t>& inner_widths = {});

}  // namespace aimcsim::nn
