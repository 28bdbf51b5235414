// Tensor shapes of the workload graph.
//
// A Shape lists dimension sizes, outermost first (NCHW for images, N x tokens x
// features for sequences). The batch dimension is part of the shape; reference
// traces use batch 1. Every dimension is >= 1 once shape inference has run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/graph/graph_error.h"

namespace aimcsim {

using Shape = std::vector<std::int64_t>;

// A count above kMaxCount. Shape inference rethrows it as a GraphError naming the op.
class CountOverflow : public GraphError {
 public:
  using GraphError::GraphError;
};

// Every count the graph keeps (elements, weights, MACs, vector ops) stays at or below
// kMaxCount, so that bytes (x bits) and whole-network totals cannot overflow 64 bits.
// 2^50 = 1.1e15: a thousand times the MACs of any single layer of today's largest
// networks.
inline constexpr std::int64_t kMaxCount = std::int64_t{1} << 50;

// a * b for counts (a, b >= 0); throws CountOverflow if the product exceeds kMaxCount.
std::int64_t checked_mul(std::int64_t a, std::int64_t b);

// Number of elements (product of the dimensions; 1 for a rank-0 shape); throws
// CountOverflow above kMaxCount.
std::int64_t numel(const Shape& shape);

// "1x3x32x32"; a rank-0 shape prints as "scalar".
std::string format_shape(const Shape& shape);

// Parses "1x3x32x32" (also accepts -1 entries, used by reshape). Returns false
// on anything else (empty, non-numeric, zero or < -1 entries).
bool parse_shape(std::string_view text, Shape& out);

// Normalises a possibly negative axis (-1 = last) for a tensor of `rank`
// dimensions; returns -1 when out of range.
int normalise_axis(std::int64_t axis, std::size_t rank);

}  // namespace aimcsim
