// Times after programming (t_inf of FACTS.md s.1) as users write them: `1s`, `60s`, `1h`,
// `1d`, `30d`, `1y`, `0`.
//
// Contract: parse_drift_time() accepts a non-negative decimal number followed by one unit
// of s, min, h, d, w or y (1 y = 365 d); a bare `0` means 0 s. Anything else (negative,
// unknown unit, empty, trailing text) throws aimcsim::Error quoting the text and the
// accepted forms. parse_drift_times() splits a comma-separated list (no empty items).
// format_drift_time() prints the coarsest whole unit among y, d, h, s (86400 -> "1d",
// 60 -> "60s", 14 d -> "14d"); other values print in seconds ("0.5s").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aimcsim {

inline constexpr double kSecondsPerYear = 365.0 * 86400.0;

double parse_drift_time(std::string_view text);
std::vector<double> parse_drift_times(std::string_view comma_separated);
std::string format_drift_time(double seconds);

}  // namespace aimcsim
