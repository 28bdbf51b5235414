#include "models/units/fabric.h"

#include "models/units/sc_clock_time.h"

namespace aimcsim {

Fabric::Fabric(const sc_core::sc_module_name& name, const FabricParams& params, int tiles,
               int cores, ActivityListener* listener)
    : sc_core::sc_module(name),
      params_(params),
      clock_(params.clock_mhz),
      mesh_(params),
      tiles_(tiles),
      sram_node_(params.topology == FabricTopology::kMesh
                     ? (params.mesh_rows / 2) * params.mesh_cols + params.mesh_cols / 2
                     : tiles + cores),
      listener_(listener) {}

Picoseconds Fabric::transfer(NodeId src, NodeId dst, std::int64_t bytes, ActionCounts& op_counts,
                             std::string_view what) {
  const Picoseconds now = now_ps();
  const int hops = mesh_.hops(src, dst);
  if (bytes <= 0 || hops == 0) return now;
  counts_.add(Action::kFabricHopByte, bytes * hops);
  op_counts.add(Action::kFabricHopByte, bytes * hops);
  const Cycles start = clock_.cycle_at_or_after(now);
  const Picoseconds done = clock_.to_ps(mesh_.transfer(start, src, dst, bytes));
  if (listener_ != nullptr) listener_->on_activity({UnitKind::kFabric, 0}, what, now, done);
  return done;
}

double Fabric::utilisation(Picoseconds elapsed_ps) const {
  const Cycles cycles = elapsed_ps / clock_.period_ps();
  if (cycles <= 0) return 0.0;
  return static_cast<double>(mesh_.link_busy_cycles()) /
         (static_cast<double>(cycles) * mesh_.link_count());
}

}  // namespace aimcsim
