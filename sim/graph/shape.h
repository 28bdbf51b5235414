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

namespace aimcsim {

using Shape = std::vector<std::int64_t>;

// Number of elements (product of the dimensions; 1 for a rank-0 shape).
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
