// Conversions between the kernel's sc_time and the policies' Picoseconds
// (sim_time.h). The kernel's default time resolution is 1 ps.
#pragma once

#include <systemc>

#include "models/units/sim_time.h"

namespace aimcsim {

inline Picoseconds now_ps() { return static_cast<Picoseconds>(sc_core::sc_time_stamp().value()); }
inline sc_core::sc_time ps_time(Picoseconds ps) {
  return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(ps));
}
// Waits (in an SC_THREAD) until absolute time `t_ps`; returns at once if past.
inline void wait_until_ps(Picoseconds t_ps) {
  const Picoseconds now = now_ps();
  if (t_ps > now) sc_core::wait(ps_time(t_ps - now));
}

}  // namespace aimcsim
