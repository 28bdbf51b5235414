// Weight duplication for throughput (placement.h, run.weight_duplication).
//
// Contract of add_weight_replicas(): with run.weight_duplication = "off" it
// changes nothing. With "auto", per programming round, it hands the tiles of
// that round not in round_tiles (ascending id) to the round's analog ops:
// repeatedly the op with the largest per-replica MVM time
//   positions / R * slowest_mvm_ps   (positions = MVMs per sample, R = its
//   replicas, slowest_mvm_ps = the MVM time of its largest tile share) [ps]
// (compared exactly; ties to the lower op id) gets one more replica, a full
// copy of its replica-0 blocks on fresh tiles, until that op already has one
// replica per MVM position or its copy needs more spare tiles than are left.
// Appends the copies to placement.blocks (replica >= 1, offsets not yet
// assigned), to AnalogPlacement::replica_tiles and to round_tiles (kept
// sorted). Never uses more tiles than tile.count.
#pragma once

#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/placement/placement.h"

namespace aimcsim {

void add_weight_replicas(const Graph& graph, const HardwareConfig& config, Placement& placement);

}  // namespace aimcsim
