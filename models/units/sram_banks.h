// Bank arbitration of the shared SRAM (DESIGN.md s.4), without the SystemC
// kernel: a reservation table of every bank port, in cycles of the SRAM clock.
//
// Timing rule: a transfer of B bytes starting at byte address A is split into
// lines of bytes_per_cycle_per_bank bytes, interleaved across banks (line i goes
// to bank (A / width + i) mod banks). Each bank port serves one line per cycle;
// a line starts on the earliest-free port of its bank at or after the request
// cycle. The transfer completes read_latency_cycles after its last line.
// Two transfers touching one bank in one cycle beyond its ports conflict: the
// later request waits. Requests must arrive in non-decreasing cycle order.
#pragma once

#include <cstdint>
#include <vector>

#include "models/params/sram_params.h"
#include "models/units/sim_time.h"

namespace aimcsim {

class SramBanks final {
 public:
  explicit SramBanks(const SramParams& params);

  // Reserves the ports for a transfer requested at `cycle`; returns the cycle
  // at which its data is complete. `bytes` must be > 0.
  Cycles access(Cycles cycle, std::int64_t address, std::int64_t bytes);
  // Cycles lost to bank conflicts so far (lines that waited for a port).
  Cycles conflict_cycles() const { return conflict_cycles_; }
  // Busy port-cycles of bank b so far (for utilisation).
  Cycles busy_cycles(int bank) const { return busy_[bank]; }

 private:
  SramParams params_;
  std::vector<std::vector<Cycles>> port_free_;  // [bank][port] first free cycle
  std::vector<Cycles> busy_;
  Cycles conflict_cycles_ = 0;
};

}  // namespace aimcsim
