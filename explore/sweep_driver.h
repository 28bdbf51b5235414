// Runs a sweep (issue 16 item 4): serially without mpirun, or on Open MPI where rank 0
// hands out points one at a time as ranks ask for work (fast and slow points mix) and
// alone writes the results store; the other ranks run points.
//
// Contract:
// - Rank 0 (or the serial process) loads and validates the whole spec before any point
//   runs; on a problem it throws ConfigError and, under MPI, tells the other ranks to stop
//   (their outcome has validation_failed set; they print nothing).
// - Points whose key is already in the store are skipped (resume); every other point is
//   run exactly once and stored exactly once, failed points included (status 'failed',
//   their error text), and the sweep goes on.
// - With MPI and rank0_runs_points, rank 0 also runs points on a second thread (which
//   never calls MPI), so 2 ranks use 2 cores; without it rank 0 only dispatches and writes.
// - The progress callback runs on rank 0 after every stored point.
// - Outcome counters on rank 0 measure the dispatcher: MPI messages handled and the time
//   spent in them, database writes and the time spent in them (docs/scaling.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace aimcsim::explore {

struct SweepProgress {
  std::int64_t done = 0;    // stored, this run and earlier ones
  std::int64_t total = 0;   // points in the sweep
  std::int64_t failed = 0;  // stored as failed in this run
  std::int64_t ran = 0;     // stored in this run
  std::int64_t to_run = 0;  // pending at the start of this run
};
using ProgressFn = std::function<void(const SweepProgress&)>;

struct SweepOptions {
  std::string spec_file;
  std::string db_path;
  bool rank0_runs_points = true;
};

struct SweepOutcome {
  bool is_rank0 = true;
  bool validation_failed = false;
  int ranks = 1;
  std::int64_t total = 0, skipped = 0, ran = 0, failed = 0;
  double wall_s = 0.0;  // handing out the first point to storing the last
  double key_s = 0.0;   // hashing every point's resolved inputs (before the first point)
  std::int64_t messages = 0;
  double message_s = 0.0;  // rank 0 in MPI calls (poll, receive, send)
  std::int64_t db_writes = 0;
  double db_write_s = 0.0;  // rank 0 in ResultStore::insert
};

SweepOutcome run_sweep(const SweepOptions& options, const ProgressFn& progress);

}  // namespace aimcsim::explore
