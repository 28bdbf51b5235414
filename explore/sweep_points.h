// The points of a sweep (issue 16 item 2): axis values expanded (lists, ranges, seeded
// random and Latin-hypercube samples), combined as a grid or zipped, times every workload
// and each of its mappings; and the key that identifies a point in the results store.
//
// Contract:
// - expand_axis_values() is deterministic: the same spec gives the same values on every
//   rank and every run (seeded mt19937_64, no std:: distributions). Random axes draw
//   `count` uniform values in [min, max]; an LHS axis draws one value in each of `count`
//   equal strata, in a seeded random order. Integer keys get rounded values.
// - Grid: every combination of the axes (the last axis varies fastest); the LHS axes of a
//   spec form one joint dimension (they are zipped), as a Latin hypercube is one design.
//   Zip: value i of every axis (all axes must have the same length; validation checks).
// - Order: workloads, then their mappings, then the axis combinations. Point indices are
//   positions in this order.
// - point_key(): 32 hex digits hashed from the point's resolved inputs: every resolved
//   config parameter (the base config with the overrides; if it does not resolve, the
//   base file's path and the override texts), the workload (model name or the trace file's
//   contents), the checkpoint path, the mapping (preset name or the file's contents),
//   samples, and the accuracy settings. Same inputs, same key; so a rerun skips them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "explore/sweep_spec.h"
#include "sim/config/config_override.h"

namespace aimcsim::explore {

struct SweepPoint {
  int index = 0;
  int workload = 0;                       // into SweepSpec::workloads
  int mapping = 0;                        // into that workload's mappings
  std::vector<RawValue> axis_values;      // one per SweepSpec::axes
  std::vector<ConfigOverride> overrides;  // every key of every axis, in axis order
};

// The values of `spec.axes[axis]` (see the contract).
std::vector<RawValue> expand_axis_values(const SweepSpec& spec, std::size_t axis);

// Every point of the sweep, in order.
std::vector<SweepPoint> expand_sweep_points(const SweepSpec& spec);

// The canonical text of the point's resolved inputs, and its hash (see the contract).
std::string point_inputs_text(const SweepSpec& spec, const SweepPoint& point);
std::string point_key(const SweepSpec& spec, const SweepPoint& point);

// 128-bit FNV-1a of `text` as 32 hex digits.
std::string hash_hex(const std::string& text);

// A scalar as text: integers and strings as is, floats shortest round-trip.
std::string raw_value_text(const RawValue& value);

}  // namespace aimcsim::explore
