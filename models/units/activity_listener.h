// Listener interface through which units report their activity (STYLE.md 8:
// tracing is a listener that units notify; units never print).
//
// Contract: on_activity() is called once per busy interval [start_ps, end_ps)
// of a unit, at or before start_ps in simulated time, with the op (or other
// work) it serves. Intervals of one tile or core never overlap; SRAM and
// fabric intervals (transfers) may overlap each other.
#pragma once

#include <string_view>

#include "models/units/sim_time.h"

namespace aimcsim {

enum class UnitKind { kTile, kCore, kSram, kFabric };

struct UnitRef {
  UnitKind kind = UnitKind::kTile;
  int index = 0;  // tile or core index; 0 for the single SRAM and fabric
};

class ActivityListener {
 public:
  virtual ~ActivityListener() = default;
  virtual void on_activity(UnitRef unit, std::string_view what, Picoseconds start_ps,
                           Picoseconds end_ps) = 0;
};

}  // namespace aimcsim
