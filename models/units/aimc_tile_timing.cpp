#include "models/units/aimc_tile_timing.h"

#include <algorithm>

namespace aimcsim {

AimcTileTiming::AimcTileTiming(const TileParams& params) : params_(params) {}

MvmTiming AimcTileTiming::mvm(int active_rows, int active_cols) const {
  MvmTiming t;
  const int phases = params_.phases();
  t.adc_rounds = static_cast<int>(ceil_div(active_cols, params_.adcs_per_tile));
  if (params_.per_mac_ns > 0.0) {
    t.total_ps = ns_to_ps(params_.per_mac_ns * active_rows * active_cols);
    return t;
  }
  if (params_.mvm_ns > 0.0) {
    t.total_ps = ns_to_ps(params_.mvm_latency_ns());
    return t;
  }
  const bool bit_serial = params_.input_encoding == InputEncoding::kBitSerial;
  t.drive_ps = ns_to_ps(params_.dac_ns) * (bit_serial ? params_.numerics.dac_bits : 1);
  t.integrate_ps = ns_to_ps(params_.integration_ns);
  t.convert_ps = ns_to_ps(params_.adc_conversion_ns) * t.adc_rounds;
  t.accumulate_ps = ns_to_ps(params_.accumulate_ns);
  t.total_ps = phases * (t.drive_ps + t.integrate_ps + t.convert_ps + t.accumulate_ps);
  return t;
}

Picoseconds AimcTileTiming::ldpu_ps(int active_cols) const {
  if (params_.ldpu_clock_mhz <= 0.0) return 0;
  return Clock(params_.ldpu_clock_mhz).to_ps(ceil_div(active_cols, params_.ldpu_outputs_per_cycle));
}

Picoseconds AimcTileTiming::stream_ps(int active_rows, int active_cols, std::int64_t mvms) const {
  if (mvms <= 0) return 0;
  const Picoseconds mvm_ps = mvm(active_rows, active_cols).total_ps;
  const Picoseconds ldpu = ldpu_ps(active_cols);
  return mvm_ps + (mvms - 1) * std::max(mvm_ps, ldpu) + ldpu;
}

Picoseconds AimcTileTiming::chain_ps(std::int64_t links, std::int64_t values) const {
  if (links <= 0 || values <= 0) return 0;
  const Clock link(params_.psum_link_clock_mhz);
  const Picoseconds stream =
      link.to_ps(ceil_div(values * params_.psum_bytes, params_.psum_link_bytes_per_cycle));
  const Picoseconds add =
      params_.ldpu_clock_mhz > 0.0 ? Clock(params_.ldpu_clock_mhz).period_ps() : 0;
  return stream + links * add;
}

void AimcTileTiming::count_chain(std::int64_t links, std::int64_t values,
                                 ActionCounts& counts) const {
  if (links <= 0 || values <= 0) return;
  counts.add(Action::kFabricHopByte, links * values * params_.psum_bytes);
  counts.add(Action::kTileOutput, links * values);
}

void AimcTileTiming::count_mvms(int active_rows, int active_cols, std::int64_t mvms,
                                ActionCounts& counts) const {
  const std::int64_t phases = params_.phases();
  const bool bit_serial = params_.input_encoding == InputEncoding::kBitSerial;
  const std::int64_t slots = bit_serial ? params_.numerics.dac_bits : 1;
  counts.add(Action::kDacDrive, mvms * phases * slots * active_rows);
  counts.add(Action::kCrossbarMvm, mvms * phases);
  counts.add(Action::kCrossbarMac, mvms * active_rows * static_cast<std::int64_t>(active_cols));
  counts.add(Action::kAdcConversion, mvms * phases * active_cols);
  counts.add(Action::kTileOutput, mvms * phases * active_cols);
}

Picoseconds AimcTileTiming::program_time(int rows) const {
  return ns_to_ps(params_.program_row_ns) * rows;
}

void AimcTileTiming::count_programming(int rows, int cols, ActionCounts& counts) const {
  counts.add(Action::kProgramDevice, 2 * static_cast<std::int64_t>(rows) * cols);
}

}  // namespace aimcsim
