// A digital layer split over several digital cores (run.digital_split, issue 14).
//
// Contract:
// - Only ops with a GEMM (conv2d, linear, matmul) split; every other digital op
//   is one part on one core.
// - Axis kOutputs: the output channels (grouped conv: its groups) go in s
//   near-equal parts; every part reads the whole input, 1/s of the weights and
//   writes 1/s of the output. Axis kVectors: the output positions / tokens go in
//   s parts; every part reads ~1/s of the input (halo ignored), all the weights
//   and writes 1/s of the output. A matmul's dynamic operands count as input.
// - A part's time is gemm_time(part's GEMM) + vector_time(its share of the op's
//   vector ops) on an idle core (digital_core_timing.h). The parts run at once,
//   one per core; the op takes its slowest part.
// - Timing rule of a split (what `auto` minimises): slowest part + gather, where
//   gather = fabric cycles to move every part's operands in and outputs out:
//   ceil(bytes / link_bytes_per_cycle) at the fabric clock, summed over the parts
//   on a bus (one shared link), the largest part's on a mesh (parts move in
//   parallel). s = 1 pays the same rule, so the choice is fair.
// - choose_split(kOff) is one part; kAuto tries s = 1..cores on both axes and
//   takes the lowest estimate (ties: fewer cores, then kOutputs).
#pragma once

#include <cstdint>
#include <vector>

#include "models/params/fabric_params.h"
#include "models/params/run_params.h"
#include "models/units/digital_core_timing.h"
#include "sim/graph/op.h"

namespace aimcsim {

enum class SplitAxis { kNone, kOutputs, kVectors };

// One core's part of a digital op (fractions of the op's totals).
struct DigitalPart {
  int core = 0;
  bool has_gemm = false;
  GemmShape gemm;  // valid iff has_gemm
  std::int64_t vector_ops = 0;
  Picoseconds compute_ps = 0;  // on an idle core
  double input_fraction = 1.0;
  double weight_fraction = 1.0;
  double output_fraction = 1.0;
};

struct DigitalSplitChoice {
  SplitAxis axis = SplitAxis::kNone;
  std::vector<DigitalPart> parts;  // cores not yet assigned
  Picoseconds estimate_ps = 0;     // timing rule above
};

// The op as `parts` parts along `axis` (parts >= 1; kNone means 1 part).
std::vector<DigitalPart> split_parts(const Op& op, DigitalPrecision precision,
                                     const DigitalCoreTiming& core, SplitAxis axis, int parts);

// Timing rule estimate of running `parts` at once [ps]; element_bytes per value.
Picoseconds split_estimate_ps(const Op& op, const std::vector<DigitalPart>& parts,
                              int element_bytes, const FabricParams& fabric);

DigitalSplitChoice choose_split(const Op& op, DigitalPrecision precision,
                                const DigitalCoreTiming& core, const FabricParams& fabric,
                                int cores, DigitalSplit mode);

}  // namespace aimcsim
