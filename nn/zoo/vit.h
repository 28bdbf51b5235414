// vit-tiny: a small vision transformer (Dosovitskiy et al., ICLR 2021) for
// 28x28x1 input. Patch embedding = 4x4 conv with stride 4 (1 -> 64 channels,
// 7 x 7 = 49 tokens) + learned position embedding; 6 pre-norm blocks
// (LayerNorm -> 4-head self-attention -> residual, LayerNorm -> MLP
// 64 -> 128 -> 64 with GELU -> residual); final LayerNorm, mean pooling over
// tokens (no class token), linear head. Attention QK^T and AV are dynamic
// matmuls (not mappable).
//
// Layer names: patch_embed.proj, blocks.{i}.attn.qkv (64 -> 192),
// blocks.{i}.attn.proj, blocks.{i}.mlp.fc1, blocks.{i}.mlp.fc2, head.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

struct VitParams {
  int64_t patch = 4;  // pixels; must divide 28
  int64_t dim = 64;   // embedding width
  int64_t depth = 6;  // transformer blocks
  int64_t heads = 4;  // attention heads; must divide dim
  int64_t mlp_hidden = 128;
  // Widened variants (MPAAS, nn/zoo/widen.h): per block, its MLP's hidden width; empty =
  // mlp_hidden everywhere. Otherwise `depth` entries, each at least 1.
  std::vector<int64_t> mlp_hidden_per_block;
};

std::shared_ptr<ZooModel> make_vit(const VitParams& params);

}  // namespace aimcsim::nn
