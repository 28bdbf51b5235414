// Validation of a whole sweep spec before its first point runs (issue 16 item 2).
//
// Contract: validate_sweep_spec() adds one Diagnostic (FILE:LINE of the spec, or of the
// base config for its own problems) per problem found, and finds them all in one pass:
// - the base config loads (every ConfigError diagnostic is passed on);
// - every axis key is a declared parameter (else the loader's suggestion), and every axis
//   value (random / LHS: min and max) has the key's type and range, located at the value;
//   random / LHS axes need integer or float keys; axis names are unique columns;
// - zip: all axes have the same number of values;
// - every workload's model is a zoo model or its trace file reads; every mapping exists
//   and names the workload's layers (resolve_mapping against its graph);
// - [accuracy] needs model workloads with a ckpt that exists.
// Cross-field rules of a combination (e.g. tile.adcs_per_tile > tile.cols) are not
// errors here: such a point fails at run time and is stored with its error.
#pragma once

#include "explore/sweep_spec.h"

namespace aimcsim::explore {

void validate_sweep_spec(const SweepSpec& spec, Diagnostics& diagnostics);

}  // namespace aimcsim::explore
