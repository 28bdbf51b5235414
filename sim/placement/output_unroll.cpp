// Output-pixel unrolling (output_unroll.h).
#include "sim/placement/output_unroll.h"

#include <algorithm>

#include "sim/placement/op_cost.h"

namespace aimcsim {
namespace {

bool unrollable(const Op& op, const TileParams& tile) {
  if (op.kind != OpKind::kConv2d || tile.max_output_unroll <= 1) return false;
  const OpAttrs& a = op.attrs;
  if (a.groups != 1 || a.dilation != Hw{1, 1} || op.output_shape.size() != 4) return false;
  const MatrixShape m = matrix_shape_of(op);
  return m.in_features <= tile.rows() && m.out_features <= tile.cols();
}

}  // namespace

OutputUnroll choose_output_unroll(const Op& op, const TileParams& tile) {
  OutputUnroll best;
  if (op.mappable()) {
    const MatrixShape m = matrix_shape_of(op);
    best.rows = static_cast<int>(std::min<std::int64_t>(m.in_features, tile.rows()));
    best.cols = static_cast<int>(std::min<std::int64_t>(m.out_features, tile.cols()));
  }
  if (!unrollable(op, tile)) return best;
  const OpAttrs& a = op.attrs;
  const std::int64_t w_out = op.output_shape[3];
  const std::int64_t channels = std::max<std::int64_t>(a.in_channels, tile.unroll_min_channels);
  const std::int64_t limit = std::min<std::int64_t>(tile.max_output_unroll, w_out);
  for (std::int64_t u = 2; u <= limit; u *= 2) {
    const std::int64_t rows = a.kernel.h * (a.stride.w * (u - 1) + a.kernel.w) * channels;
    const std::int64_t cols = u * a.out_channels;
    if (rows > tile.rows() || cols > tile.cols()) break;
    best = {static_cast<int>(u), static_cast<int>(rows), static_cast<int>(cols)};
  }
  return best;
}

std::int64_t unrolled_positions(const Op& op, int factor) {
  if (factor <= 1) return output_positions(op);
  const Shape& s = op.output_shape;  // N x C x H x W (unrollable ops only)
  return s[0] * s[2] * ((s[3] + factor - 1) / factor);
}

}  // namespace aimcsim
