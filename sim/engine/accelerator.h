// The SystemC top level (DESIGN.md s.4): the chip's units plus one OpPipeline
// per op with work, wired to their producers, and (with several programming
// rounds) the weight-reload processes.
//
// Contract: constructing it elaborates everything; sc_start() then runs the
// stream of `samples` inferences to completion (the kernel stops when no
// event is pending). With placement.rounds > 1 the stream runs round by round:
// the tiles of round r are programmed (row by row, tiles in parallel, the
// tile held meanwhile) once every analog op of round r-1 finished all samples;
// round 0 is programmed at t = 0. With one round the weights are resident and
// programming is not simulated.
#pragma once

#include <memory>
#include <systemc>
#include <vector>

#include "sim/engine/op_pipeline.h"
#include "sim/engine/op_plan.h"
#include "sim/engine/units.h"

namespace aimcsim {

class Accelerator final : public sc_core::sc_module {
 public:
  Accelerator(const sc_core::sc_module_name& name, const std::vector<OpPlan>& plans,
              const Placement& placement, const HardwareConfig& config, int samples,
              ActivityListener* listener);

  Units& units() { return units_; }
  // By OpId value; nullptr for alias ops.
  const std::vector<std::unique_ptr<OpPipeline>>& pipelines() const { return pipelines_; }
  Picoseconds programming_ps() const {
    return programming_ps_;
  }  // sum over rounds of the longest tile

 private:
  void program_tile(int round, TileId tile);

  const Placement& placement_;
  int samples_;
  Units units_;
  RoundGates gates_;
  std::vector<std::unique_ptr<OpPipeline>> pipelines_;
  std::vector<Picoseconds> round_longest_ps_;
  Picoseconds programming_ps_ = 0;
};

}  // namespace aimcsim
