// SystemC top level (accelerator.h).
#include "sim/engine/accelerator.h"

#include <algorithm>
#include <string>

#include "models/units/sc_clock_time.h"

namespace aimcsim {

Accelerator::Accelerator(const sc_core::sc_module_name& name, const std::vector<OpPlan>& plans,
                         const Placement& placement, const HardwareConfig& config, int samples,
                         ActivityListener* listener)
    : sc_core::sc_module(name), placement_(placement), samples_(samples), units_(config, listener) {
  const int rounds = placement.rounds;
  gates_.tiles_needed.assign(rounds, 0);
  gates_.tiles_programmed.assign(rounds, 0);
  if (rounds > 1) {
    for (int r = 0; r < rounds; ++r) {
      gates_.tiles_needed[r] = static_cast<int>(placement.round_tiles[r].size());
    }
  }
  round_longest_ps_.assign(rounds, 0);
  pipelines_.resize(plans.size());
  for (const auto& plan : plans) {
    if (plan.exec == OpExec::kAlias) continue;
    pipelines_[plan.id.value] = std::make_unique<OpPipeline>(plan, units_, gates_, samples);
  }
  for (const auto& plan : plans) {
    if (!pipelines_[plan.id.value]) continue;
    for (std::size_t p : plan.producers)
      pipelines_[plan.id.value]->add_producer(pipelines_[p].get());
  }
  for (auto& p : pipelines_) {
    if (p) p->spawn();
  }
  if (rounds > 1) {
    for (int r = 0; r < rounds; ++r) {
      for (TileId t : placement.round_tiles[r]) {
        sc_core::sc_spawn(
            [this, r, t] { program_tile(r, t); },
            ("program_r" + std::to_string(r) + "_t" + std::to_string(t.value)).c_str());
      }
    }
  }
}

void Accelerator::program_tile(int round, TileId tile) {
  // Wait until every analog op of the previous round has finished the stream.
  if (round > 0) {
    for (auto& p : pipelines_) {
      if (!p || p->plan().analog == nullptr || p->plan().analog->round != round - 1) continue;
      while (p->completed() < samples_) sc_core::wait(p->sample_done());
    }
    gates_.wait_open(round - 1);
  }
  AimcTile& t = *units_.tiles[tile.value];
  t.lock().acquire();
  const Picoseconds begin = now_ps();
  for (const auto& b : placement_.blocks) {
    if (b.round != round || b.tile != tile) continue;
    auto& pipeline = *pipelines_[b.op.value];
    sc_core::wait(ps_time(t.program(static_cast<int>(b.in.size), static_cast<int>(b.out.size),
                                    pipeline.counts(), pipeline.plan().name + " program")));
  }
  t.lock().release();
  const Picoseconds took = now_ps() - begin;
  if (took > round_longest_ps_[round]) {
    programming_ps_ += took - round_longest_ps_[round];
    round_longest_ps_[round] = took;
  }
  ++gates_.tiles_programmed[round];
  gates_.changed.notify();
}

}  // namespace aimcsim
