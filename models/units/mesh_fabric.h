// Routing and link arbitration of the on-chip fabric (DESIGN.md s.4), without
// the SystemC kernel: a reservation table of every directed link, in cycles of
// the fabric clock.
//
// Topology (FabricParams contract): a bus is one shared link; every transfer
// between two different nodes takes 1 hop on it. A mesh has mesh_cols x
// mesh_rows routers, node n at (n mod cols, n div cols), XY routing (X first).
// Timing rule (cut-through): a transfer of F = ceil(bytes / link_bytes) flits
// over H hops uses hop k (k = 0..H-1) during [s + k*L, s + k*L + F), L =
// hop_latency_cycles, where s is the first cycle >= the request at which every
// hop is free for its window; it completes at s + H*L + F. A transfer to the
// same node takes no time. Requests must arrive in non-decreasing cycle order.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "models/params/fabric_params.h"
#include "models/units/sim_time.h"

namespace aimcsim {

using NodeId = int;

class MeshFabric final {
 public:
  explicit MeshFabric(const FabricParams& params);

  int hops(NodeId src, NodeId dst) const;
  // Reserves the links of a transfer requested at `cycle`; returns the cycle
  // its last flit arrives.
  Cycles transfer(Cycles cycle, NodeId src, NodeId dst, std::int64_t bytes);
  Cycles contention_cycles() const { return contention_cycles_; }
  int nodes() const;
  // Busy cycles summed over all links, and the number of links (utilisation).
  Cycles link_busy_cycles() const { return link_busy_; }
  int link_count() const;

 private:
  // Directed links on the XY route (a bus has the single link {-1, -1}).
  std::vector<std::pair<NodeId, NodeId>> route(NodeId src, NodeId dst) const;

  FabricParams params_;
  std::map<std::pair<NodeId, NodeId>, Cycles> link_free_;
  Cycles contention_cycles_ = 0;
  Cycles link_busy_ = 0;
};

}  // namespace aimcsim
