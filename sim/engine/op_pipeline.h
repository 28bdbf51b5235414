// The SystemC processes of one op (DESIGN.md s.4 scheduler): a three-stage
// chunk pipeline, fetch -> compute -> drain, per sample of the stream.
//
// Contract:
// - fetch: chunk k of sample s waits until every producer i drained its first
//   plan.producer_chunks_needed[i][k] chunks of sample s (all of them without
//   run.layer_pipelining: the whole sample), then reads the operands from
//   SRAM and moves them over the fabric to the op's tiles/core (SRAM and
//   fabric stream concurrently; the chunk is ready when both finish). At most
//   two chunks are fetched ahead of compute (double buffering).
// - compute: takes the op's units FCFS (tiles in ascending id, replica 0
//   first), runs the chunk (analog: its MVMs split over the op's replicas,
//   replica_share(); one MVM per output position on every tile of a replica
//   holding a block, all tiles in parallel; digital: the chunk's share of the
//   op's time on its core, or with a split op (run.digital_split) every part's
//   share on its own core, all cores taken in ascending id, the chunk lasting
//   as long as its slowest part), releases them. At most two computed chunks wait
//   for drain. Each replica receives and returns only its share of the data.
// - drain: moves outputs to SRAM (a split op: each part's share from its core;
//   with tile.psum_reduction = links the partial sums first pass tile to tile,
//   aimc_tile_timing.h chain_ps); for row-split analog ops partial sums go to
//   the reduce core first, which adds them on its vector unit.
// - After the last chunk of sample s: completed() = s + 1, done_ps()[s] set,
//   sample_done() notified.
#pragma once

#include <cstdint>
#include <vector>

#include "models/units/actions.h"
#include "sim/engine/op_plan.h"
#include "sim/engine/units.h"

namespace aimcsim {

class OpPipeline final {
 public:
  OpPipeline(const OpPlan& plan, Units& units, RoundGates& gates, int samples);

  void add_producer(OpPipeline* producer) { producers_.push_back(producer); }
  void spawn();  // during elaboration or at the start of simulation

  const OpPlan& plan() const { return plan_; }
  int completed() const { return completed_; }
  std::int64_t drained() const { return drained_; }  // chunks drained, all samples
  sc_core::sc_event& chunk_drained() { return drained_ev_; }
  sc_core::sc_event& sample_done() { return sample_done_; }
  const std::vector<Picoseconds>& done_ps() const { return done_ps_; }
  Picoseconds start0_ps() const { return start0_ps_; }      // sample 0: inputs ready
  Picoseconds stages0_ps() const { return stages0_ps_; }    // sample 0: sum of stage times
  Picoseconds compute0_ps() const { return compute0_ps_; }  // sample 0: compute time
  std::int64_t mvms() const { return mvms_; }               // all samples
  ActionCounts& counts() { return counts_; }                // all samples

 private:
  void fetch_thread();
  void compute_thread();
  void drain_thread();
  Picoseconds fetch_chunk(int k);
  void compute_chunk(int k);
  void drain_chunk(int k);
  void drain_over_links(int k, std::int64_t out_addr, std::int64_t out_bytes);
  void wait_inputs(int sample, int k);
  // Calls f(share, mvms) for every tile share of every replica with work in chunk k.
  template <class F>
  void for_each_replica_share(int k, F f) const;

  const OpPlan& plan_;
  Units& units_;
  RoundGates& gates_;
  int samples_;
  std::vector<OpPipeline*> producers_;
  std::int64_t fetched_ = 0, computed_ = 0, drained_ = 0;  // chunk sequence numbers
  sc_core::sc_event fetched_ev_, computed_ev_, drained_ev_, sample_done_;
  int completed_ = 0;
  std::vector<Picoseconds> done_ps_;
  Picoseconds start0_ps_ = 0, stages0_ps_ = 0, compute0_ps_ = 0;
  std::int64_t mvms_ = 0;
  ActionCounts counts_;
};

}  // namespace aimcsim
