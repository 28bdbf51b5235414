// Timing and action counting of one digital core (DESIGN.md s.4), without the
// SystemC kernel. Cycles are of the core clock (DigitalParams::clock_mhz).
//
// Timing rules:
// - MAC array, lane model: an op of M MACs at precision p takes
//   ceil(M / lanes_p) cycles.
// - Weight-stationary systolic array of R x C PEs (FACTS.md s.8, SCALE-Sim):
//   a GEMM with S_r = reduction length, S_c = output channels and T output
//   vectors takes ceil(S_r/R) * ceil(S_c/C) folds of (2R + C + T - 2) cycles;
//   `groups` independent GEMMs (grouped conv) run one after another.
// - Vector unit: E element-wise ops take ceil(E / vector_lanes) cycles.
// - per_mac_ns > 0 (MPS aggregate model) prices M MACs at M * per_mac_ns.
#pragma once

#include <cstdint>

#include "models/params/digital_params.h"
#include "models/units/actions.h"
#include "models/units/sim_time.h"

namespace aimcsim {

// A matrix product as the MAC array sees it: `groups` GEMMs, each reducing
// over `reduction` inputs for `outputs` output channels at `vectors` positions.
struct GemmShape {
  std::int64_t reduction = 0;  // S_r: kh*kw*C_in/groups, or in_features
  std::int64_t outputs = 0;    // S_c: C_out/groups, or out_features
  std::int64_t vectors = 0;    // T: output pixels x batch, or tokens
  std::int64_t groups = 1;
  std::int64_t macs() const { return reduction * outputs * vectors * groups; }
};

class DigitalCoreTiming final {
 public:
  explicit DigitalCoreTiming(const DigitalParams& params);

  // Time of a GEMM at `precision` [ps]. Requires params().supports(precision).
  Picoseconds gemm_time(const GemmShape& gemm, DigitalPrecision precision) const;
  Cycles lane_cycles(std::int64_t macs, DigitalPrecision precision) const;
  Cycles systolic_cycles(const GemmShape& gemm) const;
  // Time of `elements` element-wise vector ops [ps].
  Picoseconds vector_time(std::int64_t elements) const;

  void count_gemm(const GemmShape& gemm, DigitalPrecision precision, ActionCounts& counts) const;
  void count_vector(std::int64_t elements, ActionCounts& counts) const;

  const Clock& clock() const { return clock_; }
  const DigitalParams& params() const { return params_; }

 private:
  DigitalParams params_;
  Clock clock_;
};

}  // namespace aimcsim
