// Digital layer split over cores (digital_split.h).
#include "sim/placement/digital_split.h"

#include <algorithm>
#include <cmath>

#include "sim/placement/op_cost.h"

namespace aimcsim {
namespace {

std::int64_t share(std::int64_t total, int parts, int k) {
  return total / parts + (k < total % parts ? 1 : 0);
}

// Largest useful part count along `axis` (a part needs at least one unit of it).
std::int64_t axis_extent(const GemmShape& g, SplitAxis axis) {
  if (axis == SplitAxis::kVectors) return g.vectors;
  return g.groups > 1 ? g.groups : g.outputs;
}

}  // namespace

std::vector<DigitalPart> split_parts(const Op& op, DigitalPrecision precision,
                                     const DigitalCoreTiming& core, SplitAxis axis, int parts) {
  if (axis == SplitAxis::kNone || !has_gemm(op)) parts = 1;
  std::vector<DigitalPart> out(static_cast<std::size_t>(parts));
  const GemmShape whole = has_gemm(op) ? gemm_shape_of(op) : GemmShape{};
  for (int k = 0; k < parts; ++k) {
    DigitalPart& p = out[k];
    p.has_gemm = has_gemm(op);
    p.gemm = whole;
    p.vector_ops = share(op.stats.vector_ops, parts, k);
    if (parts > 1) {
      const double f = 1.0 / parts;
      if (axis == SplitAxis::kVectors) {
        p.gemm.vectors = share(whole.vectors, parts, k);
        p.input_fraction = f;
      } else {
        if (whole.groups > 1) {
          p.gemm.groups = share(whole.groups, parts, k);
        } else {
          p.gemm.outputs = share(whole.outputs, parts, k);
        }
        p.weight_fraction = f;
      }
      p.output_fraction = f;
    }
    p.compute_ps = core.vector_time(p.vector_ops);
    if (p.has_gemm) p.compute_ps += core.gemm_time(p.gemm, precision);
  }
  return out;
}

Picoseconds split_estimate_ps(const Op& op, const std::vector<DigitalPart>& parts,
                              int element_bytes, const FabricParams& fabric) {
  std::int64_t in_bytes = 0;
  for (const auto& s : op.input_shapes) in_bytes += numel(s) * element_bytes;
  const std::int64_t w_bytes = op.mappable() ? op.weight_bytes(8 * element_bytes) : 0;
  const std::int64_t out_bytes = numel(op.output_shape) * element_bytes;
  Picoseconds slowest = 0;
  std::int64_t sum_flits = 0, max_flits = 0;
  for (const auto& p : parts) {
    slowest = std::max(slowest, p.compute_ps);
    const auto bytes = static_cast<std::int64_t>(std::llround(
        in_bytes * p.input_fraction + w_bytes * p.weight_fraction + out_bytes * p.output_fraction));
    const std::int64_t flits = ceil_div(bytes, fabric.link_bytes_per_cycle);
    sum_flits += flits;
    max_flits = std::max(max_flits, flits);
  }
  const Clock clock(fabric.clock_mhz);
  const std::int64_t cycles = fabric.topology == FabricTopology::kBus ? sum_flits : max_flits;
  return slowest + clock.to_ps(cycles);
}

DigitalSplitChoice choose_split(const Op& op, DigitalPrecision precision,
                                const DigitalCoreTiming& core, const FabricParams& fabric,
                                int cores, DigitalSplit mode) {
  const int eb = precision == DigitalPrecision::kFp16 ? 2 : 1;
  DigitalSplitChoice best;
  best.parts = split_parts(op, precision, core, SplitAxis::kNone, 1);
  best.estimate_ps = split_estimate_ps(op, best.parts, eb, fabric);
  if (mode == DigitalSplit::kOff || !has_gemm(op) || cores <= 1) return best;
  const GemmShape g = gemm_shape_of(op);
  for (int s = 2; s <= cores; ++s) {
    for (SplitAxis axis : {SplitAxis::kOutputs, SplitAxis::kVectors}) {
      if (axis_extent(g, axis) < s) continue;
      auto parts = split_parts(op, precision, core, axis, s);
      const Picoseconds t = split_estimate_ps(op, parts, eb, fabric);
      if (t < best.estimate_ps) best = {axis, std::move(parts), t};
    }
  }
  return best;
}

}  // namespace aimcsim
