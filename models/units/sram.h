// Shared SRAM (DESIGN.md s.4): the SystemC shell over SramBanks.
//
// Contract: read()/write() reserve the bank ports for a transfer of `bytes` at
// byte address `address` requested now (rule: sram_banks.h, cycles of the SRAM
// clock; a request between clock edges waits for the next edge) and return
// the absolute time [ps] at which the data is complete; the caller waits until
// then. They count sram_read_byte / sram_write_byte actions to the SRAM and to
// `op_counts`. Requests are issued at the current simulated time, so they
// arrive in non-decreasing time order as the policy requires.
#pragma once

#include <string_view>
#include <systemc>

#include "models/units/actions.h"
#include "models/units/activity_listener.h"
#include "models/units/sram_banks.h"

namespace aimcsim {

class Sram final : public sc_core::sc_module {
 public:
  Sram(const sc_core::sc_module_name& name, const SramParams& params, ActivityListener* listener);

  Picoseconds read(std::int64_t address, std::int64_t bytes, ActionCounts& op_counts,
                   std::string_view what);
  Picoseconds write(std::int64_t address, std::int64_t bytes, ActionCounts& op_counts,
                    std::string_view what);

  const SramBanks& banks() const { return banks_; }
  const Clock& clock() const { return clock_; }
  const ActionCounts& counts() const { return counts_; }
  int bank_count() const { return params_.banks; }
  // Mean bank utilisation over `elapsed_ps`: busy port-cycles / (banks x ports x cycles).
  double utilisation(Picoseconds elapsed_ps) const;

 private:
  Picoseconds access(Action action, std::int64_t address, std::int64_t bytes,
                     ActionCounts& op_counts, std::string_view what);

  SramParams params_;
  Clock clock_;
  SramBanks banks_;
  ActivityListener* listener_;
  ActionCounts counts_;
};

}  // namespace aimcsim
