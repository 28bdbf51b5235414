// Where weight rectangles go on the crossbars of one programming round
// (run.tile_packing, issue 14). Plain C++; placement.cpp drives it.
//
// Contract of place(op, rows, cols, grow):
// - kDiagonal: each tile keeps a cursor down its diagonal; a rectangle goes on
//   the first tile whose cursor leaves room for it (at the cursor), so every
//   rectangle of a tile owns rows and columns no other rectangle there uses.
// - kDense: each tile keeps its free space as maximal free rectangles
//   (MaxRects). A rectangle goes on the first tile with a free spot that shares
//   no row and no column with a rectangle of the same op on that tile (one op's
//   blocks on a tile stay block-diagonal, so they still run in one MVM); of the
//   spots of that tile the best short-side fit wins (ties: lowest row, then
//   column). Candidate spots are each free rectangle's corner and the point
//   right below-right of the op's blocks already there. Rectangles of different
//   ops may share rows or columns: they never run at once (the tile serves one
//   op at a time), so sharing costs turns, not correctness.
// - With no spot: grow = true opens a new tile (the rectangle at its origin),
//   grow = false returns nullopt. A rectangle larger than a tile is the caller's
//   error (tile_split.h splits layers first).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "models/params/run_params.h"

namespace aimcsim {

struct TileSpot {
  int tile = 0;
  int row = 0;  // first crossbar row
  int col = 0;  // first crossbar column
};

class TileSpace {
 public:
  TileSpace(TilePacking mode, int rows, int cols);

  std::optional<TileSpot> place(std::size_t op, int rows, int cols, bool grow);
  int tiles() const { return static_cast<int>(tiles_.size()); }

 private:
  struct Rect {
    int row = 0, col = 0, rows = 0, cols = 0;
  };
  struct Tile {
    int next_row = 0, next_col = 0;  // diagonal cursor
    std::vector<Rect> free;          // dense: maximal free rectangles
    std::map<std::size_t, std::vector<Rect>> by_op;
  };

  std::optional<TileSpot> best_spot(const Tile& t, std::size_t op, int rows, int cols) const;
  void occupy(Tile& t, std::size_t op, const Rect& r);

  TilePacking mode_;
  int rows_, cols_;
  std::vector<Tile> tiles_;
};

}  // namespace aimcsim
