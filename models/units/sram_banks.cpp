#include "models/units/sram_banks.h"

#include <algorithm>

namespace aimcsim {

SramBanks::SramBanks(const SramParams& params)
    : params_(params),
      port_free_(params.banks, std::vector<Cycles>(params.ports_per_bank, 0)),
      busy_(params.banks, 0) {}

Cycles SramBanks::access(Cycles cycle, std::int64_t address, std::int64_t bytes) {
  const std::int64_t width = params_.bytes_per_cycle_per_bank;
  const std::int64_t first_line = address / width;
  const std::int64_t lines = ceil_div(address % width + bytes, width);
  const int banks = params_.banks;
  Cycles last_done = cycle;
  std::int64_t most_lines_in_a_bank = 0;
  for (std::int64_t k = 0; k < std::min<std::int64_t>(lines, banks); ++k) {
    const int bank = static_cast<int>((first_line + k) % banks);
    const std::int64_t bank_lines = lines / banks + (k < lines % banks ? 1 : 0);
    most_lines_in_a_bank = std::max(most_lines_in_a_bank, bank_lines);
    busy_[bank] += bank_lines;
    auto& ports = port_free_[bank];
    for (std::int64_t i = 0; i < bank_lines; ++i) {
      auto port = std::min_element(ports.begin(), ports.end());
      *port = std::max(cycle, *port) + 1;
      last_done = std::max(last_done, *port);
    }
  }
  // Conflict = delay beyond what the transfer would take on idle banks.
  const Cycles idle_done = cycle + ceil_div(most_lines_in_a_bank, params_.ports_per_bank);
  conflict_cycles_ += last_done - idle_done;
  return last_done + params_.read_latency_cycles;
}

}  // namespace aimcsim
