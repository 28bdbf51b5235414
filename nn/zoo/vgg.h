// vgg-small: a VGG-style CNN for 28x28x1 input. Six 3x3 conv+BN+ReLU blocks
// (32, 32, pool, 64, 64, pool, 128, 128, pool: 28 -> 14 -> 7 -> 3), then a
// 1152 -> 256 linear + ReLU + dropout 0.3 and a 256 -> 10 head.
//
// Layer names: block{1..6}.conv, fc, head.
#pragma once

#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

std::shared_ptr<ZooModel> make_vgg_small();

}  // namespace aimcsim::nn
