// Any number of simulations in one process: each simulate() (engine.h) runs in a forked
// child process, whose Report comes back through a pipe as JSON (report_io.h,
// report_json_reader.h). Mapping searches and `aimcsim compare` call this.
//
// Contract:
// - simulate_isolated(g, m, c, o) returns the same Report as simulate(g, m, c, o) run as
//   the first simulation of a fresh process, bit for bit (JSON doubles round-trip),
//   including Utilisation::per_tile/per_core.
// - No listener: the child's trace events cannot reach the parent, so a non-null
//   options.listener throws aimcsim::Error. Trace with `aimcsim run` instead.
// - Errors thrown in the child come back as the same type with the same what():
//   MappingError, PlacementError, ConfigError (as aimcsim::Error with its text),
//   GraphError, aimcsim::Error; any other std::exception becomes aimcsim::Error
//   "simulation process: internal error: ...". A child killed by a signal or exiting
//   without a result throws aimcsim::Error naming the signal / exit status, the network
//   and the mapping.
// - Fork safety: the caller may have LibTorch/OpenMP threads alive. Only the forking
//   thread exists in the child; the child runs only the simulator (no tensor, no torch
//   call, no lock another thread might hold other than glibc's malloc, which fork
//   resets), writes the result, and leaves with _exit() (no atexit handlers, no static
//   destructors, no flush of stdio buffers inherited from the parent). The child's
//   stdout is redirected to stderr so the parent's stdout stays clean, and crash signals
//   get their default action (an inherited crash handler would not run). The process must
//   not have run simulate() itself before (the child would inherit the elaborated
//   SystemC kernel): that is detected and reported as aimcsim::Error.
#pragma once

#include <functional>
#include <string>

#include "sim/engine/engine.h"

namespace aimcsim {

Report simulate_isolated(const Graph& graph, const Mapping& mapping, const HardwareConfig& config,
                         const SimulationOptions& options = {});

// The machinery of simulate_isolated(): runs `work` in a forked child and returns its
// Report (errors as above). `what` names the work in crash messages. `work` must obey the
// fork-safety rules above. Exposed for tests (a crashing child).
Report run_report_in_child(const std::function<Report()>& work, const std::string& what);

}  // namespace aimcsim
