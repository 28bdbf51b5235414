// Time units of the hardware models. Policies compute in integer picoseconds
// (Picoseconds) or in cycles of their own clock (Cycles), so timing rules are
// exact and testable at their boundaries; the SystemC shells convert to
// sc_time (whose default resolution is 1 ps).
#pragma once

#include <cmath>
#include <cstdint>

namespace aimcsim {

using Picoseconds = std::int64_t;
using Cycles = std::int64_t;

inline Picoseconds ns_to_ps(double ns) { return static_cast<Picoseconds>(std::llround(ns * 1e3)); }
inline double ps_to_ns(Picoseconds ps) { return static_cast<double>(ps) * 1e-3; }

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// A clock of a given frequency; the period is rounded to whole picoseconds.
class Clock {
 public:
  explicit Clock(double mhz) : period_ps_(std::llround(1e6 / mhz)) {}
  Picoseconds period_ps() const { return period_ps_; }
  Picoseconds to_ps(Cycles c) const { return c * period_ps_; }
  // The first cycle boundary at or after `t` (units start work on edges).
  Picoseconds next_edge(Picoseconds t) const { return ceil_div(t, period_ps_) * period_ps_; }
  Cycles cycle_at_or_after(Picoseconds t) const { return ceil_div(t, period_ps_); }

 private:
  Picoseconds period_ps_;
};

}  // namespace aimcsim
