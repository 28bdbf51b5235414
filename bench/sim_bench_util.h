// Shared by the bench_sim_* benchmarks: a timed simulation, and the issue-14
// before/after comparison of the digital layer split and dense tile packing.
// Header-only (each bench is one executable); never used by tests.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/isolated_simulation.h"

namespace aimcsim {

// Every simulation runs in a forked child (SystemC elaborates once per process), so the
// wall time includes a fork and the report's JSON round trip (milliseconds).
struct TimedRun {
  Report report;
  double wall_s = 0.0;  // host wall time of simulate()
};

inline TimedRun timed_simulate(const Graph& g, const Mapping& m, const HardwareConfig& c,
                               int samples) {
  const auto t0 = std::chrono::steady_clock::now();
  TimedRun run{simulate_isolated(g, m, c, {.samples = samples, .listener = nullptr}), 0.0};
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

// simulate() in this process: only once per process, and no simulate_isolated()
// after it (the child would inherit the elaborated kernel).
inline TimedRun timed_simulate_in_process(const Graph& g, const Mapping& m, const HardwareConfig& c,
                                          int samples) {
  const auto t0 = std::chrono::steady_clock::now();
  TimedRun run{simulate(g, m, c, {.samples = samples, .listener = nullptr}), 0.0};
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

// Runs (g, m) on `c` twice: "before" = one core per digital layer and diagonal
// packing (the simulator before issue 14), "after" = run.digital_split = auto and
// run.tile_packing = dense. Prints wall time, simulated latency, energy and tiles
// of both and the after/before ratios (same process, so the ratio is robust to a
// noisy machine). Each run is repeated until it has taken >= 0.5 s in total.
inline void print_split_packing_comparison(std::ostream& os, const std::string& what,
                                           const Graph& g, const Mapping& m, HardwareConfig c,
                                           int samples) {
  const auto measure = [&](DigitalSplit split, TilePacking packing) {
    c.run.digital_split = split;
    c.run.tile_packing = packing;
    TimedRun total{};
    int repeats = 0;
    while (total.wall_s < 0.5 || repeats == 0) {
      const TimedRun one = timed_simulate(g, m, c, samples);
      total.report = one.report;
      total.wall_s += one.wall_s;
      ++repeats;
    }
    total.wall_s /= repeats;
    return total;
  };
  const TimedRun before = measure(DigitalSplit::kOff, TilePacking::kDiagonal);
  const TimedRun after = measure(DigitalSplit::kAuto, TilePacking::kDense);
  const auto row = [&](const char* name, const TimedRun& r) {
    os << "  " << name << " wall " << r.wall_s << " s, latency " << r.report.latency_ns
       << " ns, energy " << r.report.energy_pj << " pJ, tiles " << r.report.tiles_used
       << ", programming rounds " << r.report.programming_rounds << "\n";
  };
  os << what << ", " << m.source() << ", " << samples << " sample(s): "
     << "split off + diagonal packing (before) vs split auto + dense packing (after)\n";
  row("before", before);
  row("after ", after);
  os << "  after/before: wall " << after.wall_s / before.wall_s << "x, latency "
     << after.report.latency_ns / before.report.latency_ns << "x, energy "
     << after.report.energy_pj / before.report.energy_pj << "x\n";
}

}  // namespace aimcsim
