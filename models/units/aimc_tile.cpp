#include "models/units/aimc_tile.h"

#include "models/units/sc_clock_time.h"

namespace aimcsim {

AimcTile::AimcTile(const sc_core::sc_module_name& name, int index, const TileParams& params,
                   ActivityListener* listener)
    : sc_core::sc_module(name), index_(index), timing_(params), listener_(listener) {}

Picoseconds AimcTile::mvm_stream(int active_rows, int active_cols, std::int64_t mvms,
                                 ActionCounts& op_counts, std::string_view what) {
  if (mvms <= 0) return 0;
  ActionCounts c;
  timing_.count_mvms(active_rows, active_cols, mvms, c);
  counts_ += c;
  op_counts += c;
  mvms_ += mvms;
  const Picoseconds duration = timing_.stream_ps(active_rows, active_cols, mvms);
  mark_busy(duration, what);
  return duration;
}

Picoseconds AimcTile::program(int rows, int cols, ActionCounts& op_counts, std::string_view what) {
  if (rows <= 0) return 0;
  ActionCounts c;
  timing_.count_programming(rows, cols, c);
  counts_ += c;
  op_counts += c;
  const Picoseconds duration = timing_.program_time(rows);
  mark_busy(duration, what);
  return duration;
}

void AimcTile::mark_busy(Picoseconds duration, std::string_view what) {
  busy_ps_ += duration;
  if (listener_ != nullptr && duration > 0) {
    const Picoseconds now = now_ps();
    listener_->on_activity({UnitKind::kTile, index_}, what, now, now + duration);
  }
}

}  // namespace aimcsim
