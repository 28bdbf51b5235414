// Serial and Open MPI sweep drivers (sweep_driver.h).
#include "explore/sweep_driver.h"

#include <mpi.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "explore/mpi_world.h"
#include "explore/point_runner.h"
#include "explore/result_store.h"
#include "explore/spec_validation.h"
#include "models/error.h"

namespace aimcsim::explore {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

constexpr int kTagResult = 1;  // worker -> 0: a result (empty: first request for work)
constexpr int kTagWork = 2;    // 0 -> worker: a point index
constexpr int kTagStop = 3;    // 0 -> worker: no more points

// Pending point indices, handed out in order to whoever asks (thread-safe).
class Dispenser {
 public:
  explicit Dispenser(std::vector<int> pending) : pending_(std::move(pending)) {}
  std::optional<int> next() {
    std::lock_guard lock(mutex_);
    if (next_ >= pending_.size()) return std::nullopt;
    return pending_[next_++];
  }

 private:
  std::mutex mutex_;
  std::vector<int> pending_;
  std::size_t next_ = 0;
};

// Rank 0's (or the serial process's) side: the store, the keys, the progress.
class Recorder {
 public:
  Recorder(const SweepSpec& spec, const std::vector<SweepPoint>& points, ResultStore& store,
           SweepOutcome& outcome, const ProgressFn& progress)
      : spec_(spec), points_(points), store_(store), out_(outcome), progress_(progress) {}

  // The pending indices (points without a stored key); computes every key.
  std::vector<int> prepare() {
    const auto t0 = Clock::now();
    const std::set<std::string> finished = store_.finished_keys();
    keys_.reserve(points_.size());
    std::vector<int> pending;
    for (const SweepPoint& p : points_) {
      keys_.push_back(point_key(spec_, p));
      if (finished.count(keys_.back())) {
        ++out_.skipped;
      } else {
        pending.push_back(p.index);
      }
    }
    out_.total = static_cast<std::int64_t>(points_.size());
    state_ = {out_.skipped, out_.total, 0, 0, static_cast<std::int64_t>(pending.size())};
    out_.key_s = seconds_since(t0);
    return pending;
  }

  void record(const PointResult& r) {
    const auto t0 = Clock::now();
    store_.insert(spec_, points_.at(r.index), keys_.at(r.index), r);
    out_.db_write_s += seconds_since(t0);
    ++out_.db_writes;
    ++out_.ran;
    if (!r.ok) ++out_.failed;
    ++state_.done;
    ++state_.ran;
    state_.failed = out_.failed;
    if (progress_) progress_(state_);
  }

 private:
  const SweepSpec& spec_;
  const std::vector<SweepPoint>& points_;
  ResultStore& store_;
  SweepOutcome& out_;
  const ProgressFn& progress_;
  std::vector<std::string> keys_;
  SweepProgress state_;
};

void open_meta(ResultStore& store, const SweepOptions& o, const SweepSpec& spec) {
  store.set_meta("spec", o.spec_file);
  store.set_meta("total_points", std::to_string(expand_sweep_points(spec).size()));
  std::string axes;
  for (const auto& a : spec.axes) axes += (axes.empty() ? "" : ",") + a.name;
  store.set_meta("axes", axes);
  std::string metrics;
  for (const auto& m : metric_columns(spec)) metrics += (metrics.empty() ? "" : ",") + m;
  store.set_meta("metrics", metrics);
}

void run_serial(const SweepOptions& o, const ProgressFn& progress, SweepOutcome& out) {
  const SweepSpec spec = load_sweep_spec(o.spec_file);
  const std::vector<SweepPoint> points = expand_sweep_points(spec);
  ResultStore store(o.db_path, spec);
  open_meta(store, o, spec);
  Recorder recorder(spec, points, store, out, progress);
  const std::vector<int> pending = recorder.prepare();
  PointRunner runner(spec, 0);
  const auto t0 = Clock::now();
  for (int index : pending) recorder.record(runner.run(points[index]));
  out.wall_s = seconds_since(t0);
}

void run_rank0(const MpiWorld& world, const SweepOptions& o, const SweepSpec& spec,
               const ProgressFn& progress, SweepOutcome& out) {
  const std::vector<SweepPoint> points = expand_sweep_points(spec);
  ResultStore store(o.db_path, spec);
  open_meta(store, o, spec);
  Recorder recorder(spec, points, store, out, progress);
  Dispenser dispenser(recorder.prepare());
  const auto t0 = Clock::now();

  // Rank 0's own points: a thread that never calls MPI; results wait in `local`.
  std::mutex mutex;
  std::deque<PointResult> local;
  std::atomic<bool> local_running = o.rank0_runs_points;
  std::thread worker;
  if (o.rank0_runs_points) {
    worker = std::thread([&] {
      PointRunner runner(spec, 0);
      while (const auto index = dispenser.next()) {
        PointResult r = runner.run(points[*index]);
        std::lock_guard lock(mutex);
        local.push_back(std::move(r));
      }
      local_running = false;
    });
  }
  int active = world.size() - 1;
  for (;;) {
    bool busy = false;
    const auto tm = Clock::now();
    if (auto m = world.poll_any()) {
      busy = true;
      ++out.messages;
      out.message_s += seconds_since(tm);
      if (!m->bytes.empty()) recorder.record(PointResult::from_json(m->bytes));
      const auto ts = Clock::now();
      if (const auto index = dispenser.next()) {
        world.send(m->source, kTagWork, std::to_string(*index));
      } else {
        world.send(m->source, kTagStop, "");
        --active;
      }
      out.message_s += seconds_since(ts);
    }
    std::deque<PointResult> mine;
    {
      std::lock_guard lock(mutex);
      mine.swap(local);
    }
    for (const auto& r : mine) recorder.record(r);
    busy = busy || !mine.empty();
    if (active == 0 && !local_running) {
      std::lock_guard lock(mutex);
      if (local.empty()) break;
    }
    if (!busy) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  if (worker.joinable()) worker.join();
  out.wall_s = seconds_since(t0);
}

void run_worker(const MpiWorld& world, const SweepSpec& spec) {
  const std::vector<SweepPoint> points = expand_sweep_points(spec);
  PointRunner runner(spec, world.rank());
  world.send(0, kTagResult, "");
  for (;;) {
    const MpiWorld::Message m = world.recv_from(0);
    if (m.tag == kTagStop) break;
    const int index = std::stoi(m.bytes);
    world.send(0, kTagResult, runner.run(points.at(index)).to_json());
  }
}

}  // namespace

SweepOutcome run_sweep(const SweepOptions& o, const ProgressFn& progress) {
  SweepOutcome out;
  if (!launched_by_mpirun()) {
    run_serial(o, progress, out);
    return out;
  }
  MpiWorld world;
  out.ranks = world.size();
  out.is_rank0 = world.rank() == 0;
  if (!out.is_rank0) {
    if (world.broadcast(0) == 0) {
      out.validation_failed = true;
      return out;
    }
    Diagnostics ignored;  // rank 0 validated the same file
    run_worker(world, read_sweep_spec(o.spec_file, ignored));
    return out;
  }
  SweepSpec spec;
  try {
    spec = load_sweep_spec(o.spec_file);
  } catch (const Error&) {
    world.broadcast(0);
    throw;
  }
  world.broadcast(1);
  try {
    run_rank0(world, o, spec, progress, out);
  } catch (const std::exception& e) {
    // The other ranks wait for work that will not come: end them all.
    std::cerr << "aimcsim: error: " << e.what() << std::endl;
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  return out;
}

}  // namespace aimcsim::explore
