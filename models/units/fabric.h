// On-chip fabric (DESIGN.md s.4): the SystemC shell over MeshFabric.
//
// Node numbering (FabricParams contract): tiles 0..T-1, then digital cores
// T..T+C-1, row-major on the mesh. The shared SRAM attaches to the router at
// the centre of the mesh (node (rows/2)*cols + cols/2), an assumption of this
// model; on a bus every transfer between two different nodes is one hop.
//
// Contract: transfer() reserves the links for `bytes` from `src` to `dst`
// requested now (rule: mesh_fabric.h, cycles of the fabric clock) and returns
// the absolute arrival time [ps] of the last flit; it counts bytes x hops
// fabric_hop_byte actions to the fabric and to `op_counts`.
#pragma once

#include <string_view>
#include <systemc>

#include "models/units/actions.h"
#include "models/units/activity_listener.h"
#include "models/units/mesh_fabric.h"

namespace aimcsim {

class Fabric final : public sc_core::sc_module {
 public:
  Fabric(const sc_core::sc_module_name& name, const FabricParams& params, int tiles, int cores,
         ActivityListener* listener);

  NodeId tile_node(int tile) const { return tile; }
  NodeId core_node(int core) const { return tiles_ + core; }
  NodeId sram_node() const { return sram_node_; }
  Picoseconds transfer(NodeId src, NodeId dst, std::int64_t bytes, ActionCounts& op_counts,
                       std::string_view what);

  const MeshFabric& mesh() const { return mesh_; }
  const ActionCounts& counts() const { return counts_; }
  // Mean link utilisation over `elapsed_ps`: busy link-cycles / (links x cycles).
  double utilisation(Picoseconds elapsed_ps) const;

 private:
  FabricParams params_;
  Clock clock_;
  MeshFabric mesh_;
  int tiles_;
  NodeId sram_node_;
  ActivityListener* listener_;
  ActionCounts counts_;
};

}  // namespace aimcsim
