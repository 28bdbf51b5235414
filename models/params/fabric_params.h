// Resolved parameters of the on-chip fabric joining tiles, digital cores and
// the SRAM, as the future fabric model's constructor takes them. Filled and
// validated by sim/config from the `[fabric]` section.
//
// Timing contract (DESIGN.md s.4): a transfer of B bytes is split into
// ceil(B / link_bytes_per_cycle) flits; each hop costs hop_latency_cycles at
// clock_mhz; a bus is one shared link; a mesh uses XY routing over
// mesh_cols x mesh_rows routers (one tile or core per router, row-major:
// tiles first, then cores).
#pragma once

namespace aimcsim {

enum class FabricTopology {
  kBus,   // one shared link, one hop between any two units
  kMesh,  // 2D mesh, XY routing
};

struct FabricParams {
  FabricTopology topology = FabricTopology::kMesh;
  int mesh_cols = 0;              // routers per mesh row; 0 for a bus
  int mesh_rows = 0;              // router rows; 0 for a bus
  int link_bytes_per_cycle = 32;  // link width = flit size [bytes]
  int hop_latency_cycles = 2;     // router + link traversal per hop [cycles]
  double clock_mhz = 1000.0;      // fabric clock [MHz]

  int nodes() const { return mesh_cols * mesh_rows; }
};

}  // namespace aimcsim
