// AIMC tile (DESIGN.md s.4): the SystemC shell over AimcTileTiming.
//
// Contract: the tile serves one op at a time (lock(), FCFS). mvm_stream()
// times `mvms` MVMs of active_rows x active_cols back to back starting now, the
// LDPU stage pipelined (timing rule: aimc_tile_timing.h, stream_ps()), adds their actions to the tile's counts
// and to `op_counts`, records the busy interval and returns its duration [ps];
// the caller waits that long. program() does the same for reloading `rows`
// rows x `cols` columns of weights (row-by-row program-and-verify).
#pragma once

#include <string>
#include <string_view>
#include <systemc>

#include "models/units/activity_listener.h"
#include "models/units/aimc_tile_timing.h"
#include "models/units/fcfs_lock.h"

namespace aimcsim {

class AimcTile final : public sc_core::sc_module {
 public:
  AimcTile(const sc_core::sc_module_name& name, int index, const TileParams& params,
           ActivityListener* listener);

  FcfsLock& lock() { return lock_; }
  Picoseconds mvm_stream(int active_rows, int active_cols, std::int64_t mvms,
                         ActionCounts& op_counts, std::string_view what);
  Picoseconds program(int rows, int cols, ActionCounts& op_counts, std::string_view what);

  const AimcTileTiming& timing() const { return timing_; }
  const ActionCounts& counts() const { return counts_; }
  Picoseconds busy_ps() const { return busy_ps_; }
  std::int64_t mvms() const { return mvms_; }
  int index() const { return index_; }

 private:
  void mark_busy(Picoseconds duration, std::string_view what);

  int index_;
  AimcTileTiming timing_;
  ActivityListener* listener_;
  FcfsLock lock_;
  ActionCounts counts_;
  Picoseconds busy_ps_ = 0;
  std::int64_t mvms_ = 0;
};

}  // namespace aimcsim
