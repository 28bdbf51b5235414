// The mappable layers of a model, as the mapping file and the graph exporter
// see them: execution order, kind, shapes and MACs.
//
// Contract: list_mappable_layers() runs one FP32 forward pass of a zero input
// [1, 1, 28, 28] in eval mode without gradients (the model's train/eval mode
// and every layer's executor are restored afterwards) and records each
// MappableLayer call in execution order. MACs per sample follow FACTS.md s.7:
//   conv:   kh * kw * (C_in / groups) * C_out * H_out * W_out
//   linear: in * out * tokens (tokens = product of the input's non-feature dims)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

struct MappableLayerInfo {
  std::string name;
  LayerKind kind = LayerKind::kConv2d;
  std::vector<int64_t> input_shape;   // per sample: conv [C, H, W]; linear [tokens..., in]
  std::vector<int64_t> output_shape;  // per sample
  std::vector<int64_t> weight_shape;  // conv [Co, Ci/g, kh, kw]; linear [out, in]
  int64_t groups = 1;                 // conv only; = channels for depthwise
  int64_t stride = 1;                 // conv only (square strides in the zoo)
  bool has_bias = false;
  int64_t weight_count = 0;  // number of weights (excluding bias)
  int64_t macs = 0;          // multiply-accumulates per sample
};

std::vector<MappableLayerInfo> list_mappable_layers(ZooModel& model);

// Sum of macs over the list.
int64_t total_macs(const std::vector<MappableLayerInfo>& layers);

}  // namespace aimcsim::nn
