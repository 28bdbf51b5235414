// Parsing and printing of drift times (drift_time.h).
#include "models/device/drift_time.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

#include "models/error.h"

namespace aimcsim {
namespace {

// Largest unit first, so that format_drift_time picks the coarsest whole unit.
constexpr std::array<std::pair<std::string_view, double>, 6> kUnits{{
    {"y", kSecondsPerYear},
    {"w", 7.0 * 86400.0},
    {"d", 86400.0},
    {"h", 3600.0},
    {"min", 60.0},
    {"s", 1.0},
}};

[[noreturn]] void bad_time(std::string_view text, const std::string& why) {
  throw Error("drift time '" + std::string(text) + "': " + why +
              "; expected a number >= 0 with a unit s, min, h, d, w or y (e.g. 1s, 1h, 1d, "
              "30d, 1y)");
}

}  // namespace

double parse_drift_time(std::string_view text) {
  if (text == "0") return 0.0;
  std::size_t split = 0;
  while (split < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[split])) || text[split] == '.' ||
          text[split] == '-' || text[split] == '+' || text[split] == 'e' || text[split] == 'E')) {
    // 'e' only belongs to the number if a digit or sign follows (1e3s), not in "1d"
    if ((text[split] == 'e' || text[split] == 'E') &&
        (split + 1 >= text.size() || !(std::isdigit(static_cast<unsigned char>(text[split + 1])) ||
                                       text[split + 1] == '-' || text[split + 1] == '+'))) {
      break;
    }
    ++split;
  }
  double value = 0.0;
  const char* begin = text.data();
  const auto [end, ec] = std::from_chars(begin, begin + split, value);
  if (split == 0 || ec != std::errc() || end != begin + split) bad_time(text, "no number");
  if (!(value >= 0.0) || !std::isfinite(value)) bad_time(text, "negative or not finite");
  const std::string_view unit = text.substr(split);
  for (const auto& [name, seconds] : kUnits) {
    if (unit == name) return value * seconds;
  }
  bad_time(text, unit.empty() ? "missing unit" : "unknown unit '" + std::string(unit) + "'");
}

std::vector<double> parse_drift_times(std::string_view list) {
  std::vector<double> times;
  std::size_t begin = 0;
  while (true) {
    const std::size_t comma = list.find(',', begin);
    const std::string_view item =
        list.substr(begin, comma == std::string_view::npos ? list.size() - begin : comma - begin);
    if (item.empty()) {
      throw Error("drift time list '" + std::string(list) + "': empty item");
    }
    times.push_back(parse_drift_time(item));
    if (comma == std::string_view::npos) return times;
    begin = comma + 1;
  }
}

std::string format_drift_time(double seconds) {
  if (seconds == 0.0) return "0s";
  for (const auto& [name, unit_s] : kUnits) {
    if (name == "w" || name == "min") continue;  // printed as days / seconds
    const double n = seconds / unit_s;
    if (n >= 1.0 && std::abs(n - std::round(n)) < 1e-9 * n) {
      return std::to_string(static_cast<long long>(std::llround(n))) + std::string(name);
    }
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", seconds);
  return buf;
}

}  // namespace aimcsim
