#include "models/units/digital_core.h"

#include "models/units/sc_clock_time.h"

namespace aimcsim {

DigitalCore::DigitalCore(const sc_core::sc_module_name& name, int index,
                         const DigitalParams& params, ActivityListener* listener)
    : sc_core::sc_module(name), index_(index), timing_(params), listener_(listener) {}

void DigitalCore::gemm(const GemmShape& gemm, DigitalPrecision precision, ActionCounts& op_counts) {
  ActionCounts c;
  timing_.count_gemm(gemm, precision, c);
  counts_ += c;
  op_counts += c;
}

void DigitalCore::vector(std::int64_t elements, ActionCounts& op_counts) {
  ActionCounts c;
  timing_.count_vector(elements, c);
  counts_ += c;
  op_counts += c;
}

Picoseconds DigitalCore::occupy(Picoseconds duration_ps, std::string_view what) {
  busy_ps_ += duration_ps;
  if (listener_ != nullptr && duration_ps > 0) {
    const Picoseconds now = now_ps();
    listener_->on_activity({UnitKind::kCore, index_}, what, now, now + duration_ps);
  }
  return duration_ps;
}

}  // namespace aimcsim
