// Tile packing (tile_packing.h).
#include "sim/placement/tile_packing.h"

#include <algorithm>
#include <tuple>

namespace aimcsim {
namespace {

bool overlap(int a, int an, int b, int bn) { return a < b + bn && b < a + an; }

}  // namespace

TileSpace::TileSpace(TilePacking mode, int rows, int cols)
    : mode_(mode), rows_(rows), cols_(cols) {}

std::optional<TileSpot> TileSpace::best_spot(const Tile& t, std::size_t op, int rows,
                                             int cols) const {
  if (mode_ == TilePacking::kDiagonal) {
    if (t.next_row + rows <= rows_ && t.next_col + cols <= cols_)
      return TileSpot{0, t.next_row, t.next_col};
    return std::nullopt;
  }
  const auto mine = t.by_op.find(op);
  int end_row = 0, end_col = 0;
  if (mine != t.by_op.end()) {
    for (const Rect& r : mine->second) {
      end_row = std::max(end_row, r.row + r.rows);
      end_col = std::max(end_col, r.col + r.cols);
    }
  }
  auto clashes = [&](int row, int col) {
    if (mine == t.by_op.end()) return false;
    for (const Rect& r : mine->second) {
      if (overlap(row, rows, r.row, r.rows) || overlap(col, cols, r.col, r.cols)) return true;
    }
    return false;
  };
  std::optional<std::tuple<int, int, int>> best;  // (short-side leftover, row, col)
  for (const Rect& f : t.free) {
    if (f.rows < rows || f.cols < cols) continue;
    const int fit = std::min(f.rows - rows, f.cols - cols);
    const int corner[2][2] = {{f.row, f.col}, {std::max(f.row, end_row), std::max(f.col, end_col)}};
    for (const auto& c : corner) {
      if (c[0] + rows > f.row + f.rows || c[1] + cols > f.col + f.cols) continue;
      if (clashes(c[0], c[1])) continue;
      const auto score = std::make_tuple(fit, c[0], c[1]);
      if (!best || score < *best) best = score;
    }
  }
  if (!best) return std::nullopt;
  return TileSpot{0, std::get<1>(*best), std::get<2>(*best)};
}

void TileSpace::occupy(Tile& t, std::size_t op, const Rect& r) {
  t.next_row = std::max(t.next_row, r.row + r.rows);
  t.next_col = std::max(t.next_col, r.col + r.cols);
  if (mode_ == TilePacking::kDiagonal) return;
  t.by_op[op].push_back(r);
  // MaxRects: split every free rectangle the new one intersects into up to four.
  std::vector<Rect> next;
  for (const Rect& f : t.free) {
    if (!overlap(f.row, f.rows, r.row, r.rows) || !overlap(f.col, f.cols, r.col, r.cols)) {
      next.push_back(f);
      continue;
    }
    if (r.row > f.row) next.push_back({f.row, f.col, r.row - f.row, f.cols});
    if (r.row + r.rows < f.row + f.rows)
      next.push_back({r.row + r.rows, f.col, f.row + f.rows - r.row - r.rows, f.cols});
    if (r.col > f.col) next.push_back({f.row, f.col, f.rows, r.col - f.col});
    if (r.col + r.cols < f.col + f.cols)
      next.push_back({f.row, r.col + r.cols, f.rows, f.col + f.cols - r.col - r.cols});
  }
  // Drop rectangles contained in another (keep the first of equal ones).
  auto inside = [](const Rect& a, const Rect& b) {
    return b.row <= a.row && b.col <= a.col && a.row + a.rows <= b.row + b.rows &&
           a.col + a.cols <= b.col + b.cols;
  };
  t.free.clear();
  for (std::size_t i = 0; i < next.size(); ++i) {
    bool drop = false;
    for (std::size_t j = 0; j < next.size() && !drop; ++j) {
      if (i == j || !inside(next[i], next[j])) continue;
      const bool equal = inside(next[j], next[i]);
      drop = !equal || j < i;
    }
    if (!drop) t.free.push_back(next[i]);
  }
}

std::optional<TileSpot> TileSpace::place(std::size_t op, int rows, int cols, bool grow) {
  for (std::size_t i = 0; i < tiles_.size(); ++i) {
    if (auto s = best_spot(tiles_[i], op, rows, cols)) {
      s->tile = static_cast<int>(i);
      occupy(tiles_[i], op, {s->row, s->col, rows, cols});
      return s;
    }
  }
  if (!grow) return std::nullopt;
  Tile t;
  t.free.push_back({0, 0, rows_, cols_});
  tiles_.push_back(std::move(t));
  occupy(tiles_.back(), op, {0, 0, rows, cols});
  return TileSpot{static_cast<int>(tiles_.size()) - 1, 0, 0};
}

}  // namespace aimcsim
