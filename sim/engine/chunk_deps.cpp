// Chunk dependencies of row-local consumers (chunk_deps.h).
#include "sim/engine/chunk_deps.h"

#include <algorithm>

namespace aimcsim {

std::int64_t chunk_first_row(std::int64_t rows, int chunks, int k) {
  return static_cast<std::int64_t>(k) * (rows / chunks) + std::min<std::int64_t>(k, rows % chunks);
}

std::int64_t chunk_rows(const Shape& shape) {
  return shape.size() < 3 ? 1 : shape[shape.size() - 2];
}

std::optional<RowWindow> row_window(const Op& consumer, std::size_t operand) {
  const Shape& in = consumer.input_shapes.at(operand);
  const Shape& out = consumer.output_shape;
  const auto& a = consumer.attrs;
  switch (consumer.kind) {
    case OpKind::kConv2d:
      if (in.size() != 4) return std::nullopt;
      return RowWindow{a.kernel.h, a.stride.h, a.padding.h, a.dilation.h};
    case OpKind::kMaxPool:
    case OpKind::kAvgPool:
      if (in.size() != 4) return std::nullopt;
      return RowWindow{a.kernel.h, a.stride.h, a.padding.h, 1};
    case OpKind::kLinear:  // over tokens: output row t reads input row t
      if (in.size() < 3 || chunk_rows(in) != chunk_rows(out)) return std::nullopt;
      return RowWindow{};
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kGelu:
    case OpKind::kSigmoid:
    case OpKind::kHswish:
    case OpKind::kBatchNorm:
    case OpKind::kLayerNorm:  // normalises along the last dim, inside a row
      if (in != out) return std::nullopt;
      return RowWindow{};
    default:
      return std::nullopt;
  }
}

int producer_chunks_needed(const std::optional<RowWindow>& window, std::int64_t consumer_rows,
                           int consumer_chunks, int k, std::int64_t producer_rows,
                           int producer_chunks) {
  if (!window || producer_chunks <= 1) return producer_chunks;
  const RowWindow& w = *window;
  const std::int64_t last_out = chunk_first_row(consumer_rows, consumer_chunks, k + 1) - 1;
  const std::int64_t last_in =
      std::min(producer_rows - 1, last_out * w.stride - w.padding + (w.kernel - 1) * w.dilation);
  if (last_in < 0) return 0;  // the chunk reads only padding rows
  int m = 1;
  while (m < producer_chunks && chunk_first_row(producer_rows, producer_chunks, m) <= last_in) ++m;
  return m;
}

}  // namespace aimcsim
