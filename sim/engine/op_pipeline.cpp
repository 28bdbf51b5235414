// Chunk pipeline of one op (op_pipeline.h).
#include "sim/engine/op_pipeline.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/units/sc_clock_time.h"

namespace aimcsim {

namespace {
constexpr int kThreadStackBytes = 64 * 1024;
}  // namespace

OpPipeline::OpPipeline(const OpPlan& plan, Units& units, RoundGates& gates, int samples)
    : plan_(plan), units_(units), gates_(gates), samples_(samples), done_ps_(samples, 0) {}

void OpPipeline::spawn() {
  // SystemC object names may not contain '.', which op names do: name by id.
  // Shallow call chains: a small stack keeps thread creation cheap.
  const std::string base = "op" + std::to_string(plan_.id.value);
  sc_core::sc_spawn_options opts;
  opts.set_stack_size(kThreadStackBytes);
  sc_core::sc_spawn([this] { fetch_thread(); }, (base + "_fetch").c_str(), &opts);
  sc_core::sc_spawn([this] { compute_thread(); }, (base + "_compute").c_str(), &opts);
  sc_core::sc_spawn([this] { drain_thread(); }, (base + "_drain").c_str(), &opts);
}

void OpPipeline::wait_inputs(int sample, int k) {
  for (std::size_t i = 0; i < producers_.size(); ++i) {
    OpPipeline* p = producers_[i];
    const int chunks = plan_.producer_chunks_needed[i][k];
    const std::int64_t need = static_cast<std::int64_t>(sample) * p->plan().chunks + chunks;
    // A whole sample: wake on sample_done (notified after its last chunk drained).
    sc_core::sc_event& ev = chunks == p->plan().chunks ? p->sample_done() : p->chunk_drained();
    while (p->drained() < need) sc_core::wait(ev);
  }
}

template <class F>
void OpPipeline::for_each_replica_share(int k, F f) const {
  const std::int64_t mvms = chunk_share(plan_.positions, plan_.chunks, k);
  const AnalogPlacement& ap = *plan_.analog;
  for (int r = 0; r < ap.replicas(); ++r) {
    const std::int64_t m = replica_share(mvms, ap.replicas(), r);
    if (m == 0) continue;
    for (const auto& share : r == 0 ? ap.tiles : ap.replica_tiles[r - 1]) f(share, m);
  }
}

void OpPipeline::fetch_thread() {
  const int n = plan_.chunks;
  for (int s = 0; s < samples_; ++s) {
    for (int k = 0; k < n; ++k) {
      wait_inputs(s, k);
      if (s == 0 && k == 0) start0_ps_ = now_ps();
      const std::int64_t seq = static_cast<std::int64_t>(s) * n + k;
      while (seq - computed_ >= 2) sc_core::wait(computed_ev_);
      const Picoseconds begin = now_ps();
      wait_until_ps(fetch_chunk(k));
      if (s == 0) stages0_ps_ += now_ps() - begin;
      ++fetched_;
      fetched_ev_.notify();
    }
  }
}

void OpPipeline::compute_thread() {
  const int n = plan_.chunks;
  if (plan_.analog != nullptr) gates_.wait_open(plan_.analog->round);
  for (std::int64_t seq = 0; seq < static_cast<std::int64_t>(samples_) * n; ++seq) {
    while (fetched_ <= seq) sc_core::wait(fetched_ev_);
    while (seq - drained_ >= 2) sc_core::wait(drained_ev_);
    const Picoseconds begin = now_ps();
    compute_chunk(static_cast<int>(seq % n));
    if (seq < n) {
      stages0_ps_ += now_ps() - begin;
      compute0_ps_ += now_ps() - begin;
    }
    ++computed_;
    computed_ev_.notify();
  }
}

void OpPipeline::drain_thread() {
  const int n = plan_.chunks;
  for (std::int64_t seq = 0; seq < static_cast<std::int64_t>(samples_) * n; ++seq) {
    while (computed_ <= seq) sc_core::wait(computed_ev_);
    const Picoseconds begin = now_ps();
    drain_chunk(static_cast<int>(seq % n));
    if (seq < n) stages0_ps_ += now_ps() - begin;
    ++drained_;
    drained_ev_.notify();
    if (seq % n == n - 1) {
      done_ps_[completed_] = now_ps();
      ++completed_;
      sample_done_.notify();
    }
  }
}

Picoseconds OpPipeline::fetch_chunk(int k) {
  const int n = plan_.chunks;
  Sram& sram = *units_.sram;
  Fabric& fabric = *units_.fabric;
  Picoseconds done = now_ps();
  std::int64_t bytes = 0;
  for (const auto& r : plan_.reads) {
    const std::int64_t b = chunk_share(r.bytes, n, k);
    done = std::max(done, sram.read(r.address + r.bytes * k / n, b, counts_, plan_.name));
    bytes += b;
  }
  if (plan_.exec == OpExec::kAnalog) {
    const std::int64_t mvms = chunk_share(plan_.positions, n, k);
    for_each_replica_share(k, [&](const TileShare& share, std::int64_t m) {
      const double part = m == mvms ? 1.0 : static_cast<double>(m) / static_cast<double>(mvms);
      const auto b = static_cast<std::int64_t>(std::llround(share.input_fraction * bytes * part));
      done = std::max(done, fabric.transfer(fabric.sram_node(), fabric.tile_node(share.tile.value),
                                            b, counts_, plan_.name));
    });
    return done;
  }
  const bool weights = plan_.weights.bytes > 0 && (k == 0 || plan_.weights_per_chunk);
  if (plan_.parts.size() == 1) {
    if (weights) {
      done = std::max(done, sram.read(plan_.weights.address, plan_.weights.bytes, counts_,
                                      plan_.name + " weights"));
      bytes += plan_.weights.bytes;
    }
    return std::max(done, fabric.transfer(fabric.sram_node(), fabric.core_node(plan_.core), bytes,
                                          counts_, plan_.name));
  }
  // Split op: every part gets its share of the operands (the input read above once
  // more per extra copy a part needs, since the fabric has no multicast).
  double in_copies = 0.0;
  for (const auto& part : plan_.parts) in_copies += part.input_fraction;
  const auto extra_in = static_cast<std::int64_t>(std::llround(bytes * (in_copies - 1.0)));
  if (extra_in > 0) {
    done = std::max(done, sram.read(plan_.reads.front().address, extra_in, counts_, plan_.name));
  }
  for (const auto& part : plan_.parts) {
    auto b = static_cast<std::int64_t>(std::llround(bytes * part.input_fraction));
    if (weights) {
      const auto w =
          static_cast<std::int64_t>(std::llround(plan_.weights.bytes * part.weight_fraction));
      done = std::max(done, sram.read(plan_.weights.address, w, counts_, plan_.name + " weights"));
      b += w;
    }
    done = std::max(done, fabric.transfer(fabric.sram_node(), fabric.core_node(part.core), b,
                                          counts_, plan_.name));
  }
  return done;
}

void OpPipeline::compute_chunk(int k) {
  const int n = plan_.chunks;
  if (plan_.exec == OpExec::kAnalog) {
    for_each_replica_share(k, [&](const TileShare& share, std::int64_t) {
      units_.tiles[share.tile.value]->lock().acquire();
    });
    Picoseconds longest = 0;
    for_each_replica_share(k, [&](const TileShare& share, std::int64_t m) {
      longest =
          std::max(longest, units_.tiles[share.tile.value]->mvm_stream(
                                share.active_rows, share.active_cols, m, counts_, plan_.name));
      mvms_ += m;
    });
    sc_core::wait(ps_time(longest));
    for_each_replica_share(k, [&](const TileShare& share, std::int64_t) {
      units_.tiles[share.tile.value]->lock().release();
    });
    return;
  }
  // Every part's core, taken in ascending id (parts are gang-scheduled; a fixed
  // order keeps two split ops from holding each other's cores).
  std::vector<int> cores;
  for (const auto& part : plan_.parts) cores.push_back(part.core);
  std::sort(cores.begin(), cores.end());
  for (int c : cores) units_.cores[c]->lock().acquire();
  Picoseconds longest = 0;
  for (const auto& part : plan_.parts) {
    DigitalCore& core = *units_.cores[part.core];
    if (part.has_gemm) {
      GemmShape g = part.gemm;
      g.vectors = chunk_share(g.vectors, n, k);
      core.gemm(g, plan_.precision, counts_);
    }
    core.vector(chunk_share(part.vector_ops, n, k), counts_);
    longest = std::max(longest, core.occupy(chunk_share(part.compute_ps, n, k), plan_.name));
  }
  sc_core::wait(ps_time(longest));
  for (int c : cores) units_.cores[c]->lock().release();
}

void OpPipeline::drain_chunk(int k) {
  const int n = plan_.chunks;
  Sram& sram = *units_.sram;
  Fabric& fabric = *units_.fabric;
  const std::int64_t out_bytes = chunk_share(plan_.output.bytes, n, k);
  const std::int64_t out_addr = plan_.output.address + plan_.output.bytes * k / n;
  if (plan_.exec == OpExec::kDigital) {  // every part's output gathered in SRAM
    Picoseconds done = sram.write(out_addr, out_bytes, counts_, plan_.name);
    for (const auto& part : plan_.parts) {
      const auto b =
          plan_.parts.size() == 1
              ? out_bytes
              : static_cast<std::int64_t>(std::llround(out_bytes * part.output_fraction));
      done = std::max(done, fabric.transfer(fabric.core_node(part.core), fabric.sram_node(), b,
                                            counts_, plan_.name));
    }
    wait_until_ps(done);
    return;
  }
  if (plan_.analog->in_blocks > 1 && !plan_.analog->reduce_core) {
    drain_over_links(k, out_addr, out_bytes);
    return;
  }
  const bool reduce = plan_.analog->reduce_core.has_value();
  const NodeId dst = reduce ? fabric.core_node(plan_.core) : fabric.sram_node();
  const std::int64_t bytes_per_value = reduce ? kPartialSumBytes : 1;
  Picoseconds done = now_ps();
  for_each_replica_share(k, [&](const TileShare& share, std::int64_t m) {
    done = std::max(done,
                    fabric.transfer(fabric.tile_node(share.tile.value), dst,
                                    m * share.active_cols * bytes_per_value, counts_, plan_.name));
  });
  if (!reduce) {
    wait_until_ps(std::max(done, sram.write(out_addr, out_bytes, counts_, plan_.name)));
    return;
  }
  wait_until_ps(done);
  DigitalCore& core = *units_.cores[plan_.core];
  core.lock().acquire();
  const std::int64_t adds =
      chunk_share(plan_.output_elements, n, k) * (plan_.analog->in_blocks - 1);
  core.vector(adds, counts_);
  sc_core::wait(ps_time(core.occupy(core.timing().vector_time(adds), plan_.name + " psum")));
  core.lock().release();
  wait_until_ps(std::max(fabric.transfer(fabric.core_node(plan_.core), fabric.sram_node(),
                                         out_bytes, counts_, plan_.name),
                         sram.write(out_addr, out_bytes, counts_, plan_.name)));
}

// tile.psum_reduction = links: per replica, the partial sums pass a chain of
// in_blocks - 1 links (aimc_tile_timing.h chain_ps; out_blocks chains run side by
// side, each with its share of the outputs), then the replica's last tile sends
// the finished outputs (1 byte each) to SRAM.
void OpPipeline::drain_over_links(int k, std::int64_t out_addr, std::int64_t out_bytes) {
  const AnalogPlacement& ap = *plan_.analog;
  const std::int64_t mvms = chunk_share(plan_.positions, plan_.chunks, k);
  const std::int64_t per_position = plan_.output_elements / plan_.positions;
  const AimcTileTiming& timing = units_.tiles[ap.tiles.front().tile.value]->timing();
  Fabric& fabric = *units_.fabric;
  Picoseconds chain = 0;
  for (int r = 0; r < ap.replicas(); ++r) {
    const std::int64_t m = replica_share(mvms, ap.replicas(), r);
    if (m == 0) continue;
    const std::int64_t values = m * per_position;
    chain = std::max(chain, timing.chain_ps(ap.in_blocks - 1, ceil_div(values, ap.out_blocks)));
    timing.count_chain(ap.in_blocks - 1, values, counts_);
  }
  sc_core::wait(ps_time(chain));
  Picoseconds done = units_.sram->write(out_addr, out_bytes, counts_, plan_.name);
  for (int r = 0; r < ap.replicas(); ++r) {
    const std::int64_t m = replica_share(mvms, ap.replicas(), r);
    if (m == 0) continue;
    const auto& shares = r == 0 ? ap.tiles : ap.replica_tiles[r - 1];
    done =
        std::max(done, fabric.transfer(fabric.tile_node(shares.back().tile.value),
                                       fabric.sram_node(), m * per_position, counts_, plan_.name));
  }
  wait_until_ps(done);
}

}  // namespace aimcsim
