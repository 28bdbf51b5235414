// Even splitting of a layer's weight matrix into crossbar-sized blocks (FACTS.md s.2).
//
// Contract: a dimension of n elements on tiles holding at most `max_per_tile` of them is
// cut into ceil(n / max_per_tile) contiguous blocks whose sizes differ by at most one
// (larger blocks first): 1152 inputs on 512-row tiles -> 384, 384, 384 (not 512+512+128).
// Inputs go to tile rows, outputs to tile columns. Each (input block, output block) pair is
// one tile with its own weight scale, ADC and drift compensation; partial sums over input
// blocks are added digitally at full precision.
#pragma once

#include <cstdint>
#include <vector>

namespace aimcsim {

struct BlockRange {
  std::int64_t begin = 0;  // first index of the block
  std::int64_t size = 0;   // number of indices
  std::int64_t end() const { return begin + size; }
};

// Blocks covering [0, n) evenly; throws aimcsim::Error if n < 1 or max_per_tile < 1.
std::vector<BlockRange> even_split(std::int64_t n, std::int64_t max_per_tile);

// The tiling of one [out_features x in_features] matrix.
struct TileSplit {
  std::vector<BlockRange> in_blocks;   // over inputs (tile rows)
  std::vector<BlockRange> out_blocks;  // over outputs (tile columns)
  std::int64_t num_tiles() const {
    return static_cast<std::int64_t>(in_blocks.size() * out_blocks.size());
  }
};

TileSplit plan_tile_split(std::int64_t in_features, std::int64_t out_features, int tile_rows,
                          int tile_cols);

}  // namespace aimcsim
