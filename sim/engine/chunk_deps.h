// Intra-inference layer pipelining (run.layer_pipelining): which chunks of a
// producer must have drained before a chunk of its consumer may start.
//
// Model (op_plan.h): an op's sample splits into `chunks` parts along its
// output rows (dim -2, rank >= 3; else one chunk); chunk k holds the rows
// [chunk_first_row(rows, chunks, k), chunk_first_row(rows, chunks, k + 1)),
// the same front-loaded split as chunk_share(). Chunks drain in order, so
// "the first m chunks drained" covers rows [0, chunk_first_row(.., m)).
//
// Row-local consumers (row_window() not empty) read, for output row r, the
// input rows r * stride - padding ... r * stride - padding + (kernel - 1) *
// dilation (clamped to the input): conv2d (incl. depthwise/grouped) and
// max/avg pooling with their kernel halo; element-wise ops, batch/layer norm,
// add/mul of same-shaped operands and linear over tokens (rank >= 3) read the
// same row (kernel 1, stride 1). Everything else (global pooling, softmax,
// matmul, linear over a flat vector, concat, operands reached through
// reshape/flatten/transpose-style aliases or skipped layers) needs the
// producer's whole sample.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/graph/op.h"

namespace aimcsim {

struct RowWindow {
  std::int64_t kernel = 1;  // rows, along dim -2
  std::int64_t stride = 1;
  std::int64_t padding = 0;  // zero rows before the first input row
  std::int64_t dilation = 1;
};

// First row of chunk k of `rows` split over `chunks` (k = chunks gives rows).
std::int64_t chunk_first_row(std::int64_t rows, int chunks, int k);

// Rows along dim -2 of a shape (1 for rank < 3): the axis chunks split.
std::int64_t chunk_rows(const Shape& shape);

// How output rows of `consumer` read the rows of operand `operand` when that
// operand comes straight from a producer; nullopt = it needs the whole sample.
std::optional<RowWindow> row_window(const Op& consumer, std::size_t operand);

// Producer chunks (of the same sample, 0..producer_chunks) that must have
// drained before chunk k of the consumer starts. `window` nullopt = all.
int producer_chunks_needed(const std::optional<RowWindow>& window, std::int64_t consumer_rows,
                           int consumer_chunks, int k, std::int64_t producer_rows,
                           int producer_chunks);

}  // namespace aimcsim
