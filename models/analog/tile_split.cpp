// Even tile split (FACTS.md s.2).
#include "models/analog/tile_split.h"

#include <string>

#include "models/error.h"

namespace aimcsim {

std::vector<BlockRange> even_split(std::int64_t n, std::int64_t max_per_tile) {
  if (n < 1 || max_per_tile < 1) {
    throw Error("even_split: need n >= 1 and max_per_tile >= 1, got n=" + std::to_string(n) +
                ", max_per_tile=" + std::to_string(max_per_tile));
  }
  const std::int64_t blocks = (n + max_per_tile - 1) / max_per_tile;
  const std::int64_t base = n / blocks;
  const std::int64_t larger = n % blocks;  // this many blocks get base + 1
  std::vector<BlockRange> out;
  out.reserve(static_cast<std::size_t>(blocks));
  std::int64_t begin = 0;
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::int64_t size = base + (b < larger ? 1 : 0);
    out.push_back({begin, size});
    begin += size;
  }
  return out;
}

TileSplit plan_tile_split(std::int64_t in_features, std::int64_t out_features, int tile_rows,
                          int tile_cols) {
  return {even_split(in_features, tile_rows), even_split(out_features, tile_cols)};
}

}  // namespace aimcsim
