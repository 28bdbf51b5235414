// Output-pixel unrolling of small convolutions on one tile (tile.max_output_unroll;
// DIANA's "output unrolling", Ueyoshi et al., ISSCC 2022; ODiMO's DIANA model,
// eml-eda/odimo-journal hw_models.py). Plain C++; placement.cpp applies it.
//
// Contract of choose_output_unroll(op, tile):
// - Applies to a conv2d with groups = 1 and dilation 1 whose weight matrix
//   [C_out, C_in kh kw] is one block (C_in kh kw <= rows, C_out <= cols); any other
//   op, or tile.max_output_unroll = 1, gets factor 1 (rows x cols = its block).
// - Factor u holds u copies of the kernel, each shifted by one output pixel along
//   the width, so that one MVM computes u adjacent output pixels of a row. The copies
//   share input rows: the crossbar rectangle is
//     rows(u) = kh x (stride_w (u - 1) + kw) x max(C_in, tile.unroll_min_channels)
//     cols(u) = u x C_out.
// - The factor is the largest power of two u <= min(max_output_unroll, W_out) whose
//   rectangle fits one tile (u = 1 always fits: the plain block).
// - unrolled_positions(op, u): MVMs per sample = N x H_out x ceil(W_out / u); u = 1
//   gives output_positions(op).
#pragma once

#include <cstdint>

#include "models/params/tile_params.h"
#include "sim/graph/op.h"

namespace aimcsim {

struct OutputUnroll {
  int factor = 1;
  int rows = 0;  // crossbar rows of the rectangle (the block's rows if factor = 1)
  int cols = 0;  // crossbar columns of the rectangle
};

OutputUnroll choose_output_unroll(const Op& op, const TileParams& tile);
std::int64_t unrolled_positions(const Op& op, int factor);

}  // namespace aimcsim
