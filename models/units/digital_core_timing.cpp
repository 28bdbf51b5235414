#include "models/units/digital_core_timing.h"

namespace aimcsim {

DigitalCoreTiming::DigitalCoreTiming(const DigitalParams& params)
    : params_(params), clock_(params.clock_mhz) {}

Cycles DigitalCoreTiming::lane_cycles(std::int64_t macs, DigitalPrecision precision) const {
  const int lanes =
      precision == DigitalPrecision::kInt8 ? params_.int8_mac_lanes : params_.fp16_mac_lanes;
  return ceil_div(macs, lanes);
}

Cycles DigitalCoreTiming::systolic_cycles(const GemmShape& g) const {
  const std::int64_t r = params_.systolic_rows;
  const std::int64_t c = params_.systolic_cols;
  const std::int64_t folds = ceil_div(g.reduction, r) * ceil_div(g.outputs, c);
  return g.groups * folds * (2 * r + c + g.vectors - 2);
}

Picoseconds DigitalCoreTiming::gemm_time(const GemmShape& gemm, DigitalPrecision precision) const {
  if (gemm.macs() == 0) return 0;
  if (params_.per_mac_ns > 0.0)
    return ns_to_ps(params_.per_mac_ns * static_cast<double>(gemm.macs()));
  if (params_.has_systolic_array()) return clock_.to_ps(systolic_cycles(gemm));
  return clock_.to_ps(lane_cycles(gemm.macs(), precision));
}

Picoseconds DigitalCoreTiming::vector_time(std::int64_t elements) const {
  if (elements <= 0) return 0;
  return clock_.to_ps(ceil_div(elements, params_.vector_lanes));
}

void DigitalCoreTiming::count_gemm(const GemmShape& gemm, DigitalPrecision precision,
                                   ActionCounts& counts) const {
  counts.add(
      precision == DigitalPrecision::kInt8 ? Action::kDigitalMacInt8 : Action::kDigitalMacFp16,
      gemm.macs());
}

void DigitalCoreTiming::count_vector(std::int64_t elements, ActionCounts& counts) const {
  counts.add(Action::kVectorOp, elements);
}

}  // namespace aimcsim
