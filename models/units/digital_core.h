// Digital core (DESIGN.md s.4): the SystemC shell over DigitalCoreTiming.
//
// Contract: a core serves one op at a time (lock(), FCFS). gemm() and
// vector() count the actions of the given work (to the core and to
// `op_counts`); occupy() records a busy interval of `duration_ps` starting now
// and returns it, and the caller waits that long. Time comes from the policy
// (digital_core_timing.h): MAC lanes per precision, systolic folds, or the
// aggregate per-MAC model; the vector unit runs element-wise ops.
#pragma once

#include <string_view>
#include <systemc>

#include "models/units/activity_listener.h"
#include "models/units/digital_core_timing.h"
#include "models/units/fcfs_lock.h"

namespace aimcsim {

class DigitalCore final : public sc_core::sc_module {
 public:
  DigitalCore(const sc_core::sc_module_name& name, int index, const DigitalParams& params,
              ActivityListener* listener);

  FcfsLock& lock() { return lock_; }
  void gemm(const GemmShape& gemm, DigitalPrecision precision, ActionCounts& op_counts);
  void vector(std::int64_t elements, ActionCounts& op_counts);
  Picoseconds occupy(Picoseconds duration_ps, std::string_view what);

  const DigitalCoreTiming& timing() const { return timing_; }
  const ActionCounts& counts() const { return counts_; }
  Picoseconds busy_ps() const { return busy_ps_; }
  int index() const { return index_; }

 private:
  int index_;
  DigitalCoreTiming timing_;
  ActivityListener* listener_;
  FcfsLock lock_;
  ActionCounts counts_;
  Picoseconds busy_ps_ = 0;
};

}  // namespace aimcsim
