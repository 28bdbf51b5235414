#include "models/units/sram.h"

#include "models/units/sc_clock_time.h"

namespace aimcsim {

Sram::Sram(const sc_core::sc_module_name& name, const SramParams& params,
           ActivityListener* listener)
    : sc_core::sc_module(name),
      params_(params),
      clock_(params.clock_mhz),
      banks_(params),
      listener_(listener) {}

Picoseconds Sram::read(std::int64_t address, std::int64_t bytes, ActionCounts& op_counts,
                       std::string_view what) {
  return access(Action::kSramReadByte, address, bytes, op_counts, what);
}

Picoseconds Sram::write(std::int64_t address, std::int64_t bytes, ActionCounts& op_counts,
                        std::string_view what) {
  return access(Action::kSramWriteByte, address, bytes, op_counts, what);
}

Picoseconds Sram::access(Action action, std::int64_t address, std::int64_t bytes,
                         ActionCounts& op_counts, std::string_view what) {
  const Picoseconds now = now_ps();
  if (bytes <= 0) return now;
  counts_.add(action, bytes);
  op_counts.add(action, bytes);
  const Cycles start = clock_.cycle_at_or_after(now);
  const Picoseconds done = clock_.to_ps(banks_.access(start, address % params_.size_bytes, bytes));
  if (listener_ != nullptr) listener_->on_activity({UnitKind::kSram, 0}, what, now, done);
  return done;
}

double Sram::utilisation(Picoseconds elapsed_ps) const {
  const Cycles cycles = elapsed_ps / clock_.period_ps();
  if (cycles <= 0) return 0.0;
  Cycles busy = 0;
  for (int b = 0; b < params_.banks; ++b) busy += banks_.busy_cycles(b);
  return static_cast<double>(busy) /
         (static_cast<double>(cycles) * params_.banks * params_.ports_per_bank);
}

}  // namespace aimcsim
