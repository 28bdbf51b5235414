// Resolved parameters of the shared on-chip SRAM (activation and weight
// buffer), as the future SRAM model's constructor takes them. Filled and
// validated by sim/config from the `[sram]` section.
//
// Timing contract (DESIGN.md s.4): each bank serves ports_per_bank accesses per
// cycle of bytes_per_cycle_per_bank bytes each at clock_mhz; an access starts
// read_latency_cycles after it is granted; two accesses to one bank in one
// cycle beyond its ports conflict and one waits.
#pragma once

#include <cstdint>

namespace aimcsim {

struct SramParams {
  std::int64_t size_bytes = 4 << 20;  // total capacity [bytes], a multiple of banks
  int banks = 16;                     // independent banks
  int ports_per_bank = 1;             // simultaneous accesses per bank per cycle
  int bytes_per_cycle_per_bank = 32;  // width of one bank access [bytes]
  double clock_mhz = 1000.0;          // SRAM clock [MHz]
  int read_latency_cycles = 2;        // cycles from grant to data

  std::int64_t bank_bytes() const { return size_bytes / banks; }
};

}  // namespace aimcsim
