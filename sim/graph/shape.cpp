#include "sim/graph/shape.h"

#include <charconv>

namespace aimcsim {

std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || r > kMaxCount) {
    throw CountOverflow("count " + std::to_string(a) + " x " + std::to_string(b) +
                        " exceeds 2^50; expected dimensions whose element, weight and MAC "
                        "counts stay below 2^50 (1.1e15)");
  }
  return r;
}

std::int64_t numel(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n = checked_mul(n, d);
  return n;
}

std::string format_shape(const Shape& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += 'x';
    s += std::to_string(shape[i]);
  }
  return s;
}

bool parse_shape(std::string_view text, Shape& out) {
  out.clear();
  if (text.empty()) return false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('x', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(pos, end - pos);
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size()) return false;
    if (v == 0 || v < -1) return false;
    out.push_back(v);
    pos = end + 1;
  }
  return true;
}

int normalise_axis(std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) return -1;
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

}  // namespace aimcsim
