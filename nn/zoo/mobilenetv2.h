// mobilenetv2-small: MobileNetV2 (Sandler et al., CVPR 2018) shrunk for
// 28x28x1 input. 3x3 stem conv 1->16, inverted-residual blocks
// (expansion t, channels c, repeats n, first stride s):
//   (1,16,1,1) (4,24,2,2) (4,32,3,2) (4,64,2,1)   spatial 28 -> 14 -> 7
// each = [1x1 expand conv+BN+ReLU6 if t>1] -> 3x3 depthwise conv+BN+ReLU6 ->
// 1x1 project conv+BN (linear bottleneck), residual when stride 1 and
// in == out; then a 1x1 conv 64->256 + BN + ReLU6, global average pooling and
// a linear head.
//
// Layer names: stem.conv, blocks.{i}.expand.conv, blocks.{i}.dw.conv
// (groups = channels), blocks.{i}.project.conv, last.conv, head.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

// Widened variants (MPAAS, nn/zoo/widen.h): `hidden_widths` gives, per block with an
// expansion (blocks 1-7) in order, its expanded width (expand conv outputs, depthwise
// channels, project conv inputs); empty = the plain network (input channels x t).
std::shared_ptr<ZooModel> make_mobilenetv2_small(const std::vector<int64_t>& hidden_widths = {});

}  // namespace aimcsim::nn
