// One run (DESIGN.md s.1): (workload graph, hardware config, mapping) -> Report.
//
// Contract: simulate() checks the mapping against the graph (MappingError),
// places it (PlacementError: too few tiles, missing precision lanes), builds
// the SystemC model, runs sc_start() to completion and returns the Report
// (report.h). SystemC elaborates once per process, so simulate() may be
// called once per process (a second call throws aimcsim::Error).
// `samples` >= 1 inferences enter at t = 0 and pipeline through the layers.
#pragma once

#include "models/units/activity_listener.h"
#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"
#include "sim/report/report.h"

namespace aimcsim {

struct SimulationOptions {
  int samples = 1;
  ActivityListener* listener = nullptr;  // trace writers (sim/trace), optional
};

Report simulate(const Graph& graph, const Mapping& mapping, const HardwareConfig& config,
                const SimulationOptions& options = {});

// True once simulate() has elaborated the SystemC model in this process.
bool simulation_ran_in_process();

}  // namespace aimcsim
