// Per-op execution plans (op_plan.h).
#include "sim/engine/op_plan.h"

#include <algorithm>
#include <optional>

#include "models/units/aimc_tile_timing.h"
#include "sim/engine/chunk_deps.h"
#include "sim/placement/op_cost.h"
#include "sim/placement/output_unroll.h"

namespace aimcsim {
namespace {

int chunk_count(const Op& op) {
  const auto& s = op.output_shape;
  if (s.size() < 3) return 1;
  return static_cast<int>(std::clamp<std::int64_t>(s[s.size() - 2], 1, kMaxChunks));
}

int element_bytes(Target t) { return t == Target::kFp16 ? 2 : 1; }

// Bump allocator over the SRAM address space (wraps); 4 KiB aligned so that
// tensors start on different banks in a deterministic pattern.
class AddressAllocator {
 public:
  explicit AddressAllocator(std::int64_t size) : size_(size) {}
  std::int64_t take(std::int64_t bytes) {
    const std::int64_t at = next_ % size_;
    next_ += (bytes + 4095) / 4096 * 4096 + 96;  // +96: stagger bank alignment
    return at;
  }

 private:
  std::int64_t size_;
  std::int64_t next_ = 0;
};

// Per chunk: the slowest tile's MVM stream (LDPU pipelined) of the largest replica share.
std::vector<Picoseconds> analog_chunk_min_ps(const OpPlan& plan, const AimcTileTiming& tile) {
  std::vector<Picoseconds> out;
  for (int k = 0; k < plan.chunks; ++k) {
    const std::int64_t n = chunk_share(plan.positions, plan.chunks, k);
    const std::int64_t m = replica_share(n, plan.analog->replicas(), 0);
    Picoseconds slowest = 0;
    for (const auto& share : plan.analog->tiles) {
      slowest = std::max(slowest, tile.stream_ps(share.active_rows, share.active_cols, m));
    }
    out.push_back(slowest);
  }
  return out;
}

// Nearest non-alias ops upstream of `op`; `direct` marks those that are an
// operand themselves (with its index), the others were reached through aliases.
struct Upstream {
  std::size_t op;
  std::optional<std::size_t> operand;  // set: a direct operand, row-local rules apply
};

std::vector<Upstream> upstream_of(const Graph& graph, const Op& op,
                                  const std::vector<OpPlan>& plans) {
  std::vector<Upstream> out;
  for (std::size_t i = 0; i < op.inputs.size(); ++i) {
    const OpId in = op.inputs[i];
    if (plans[in.value].exec != OpExec::kAlias) {
      out.push_back({in.value, i});
      continue;
    }
    std::vector<OpId> stack(graph.op(in).inputs.begin(), graph.op(in).inputs.end());
    while (!stack.empty()) {
      const OpId up = stack.back();
      stack.pop_back();
      if (plans[up.value].exec != OpExec::kAlias) {
        out.push_back({up.value, std::nullopt});
        continue;
      }
      for (OpId u : graph.op(up).inputs) stack.push_back(u);
    }
  }
  return out;
}

// producers and producer_chunks_needed of `p` (its chunks already known).
void wire_producers(const Graph& graph, const Op& op, const std::vector<OpPlan>& plans,
                    bool pipelining, OpPlan& p) {
  const auto up = upstream_of(graph, op, plans);
  for (const auto& u : up) {
    if (std::find(p.producers.begin(), p.producers.end(), u.op) == p.producers.end()) {
      p.producers.push_back(u.op);
    }
  }
  std::sort(p.producers.begin(), p.producers.end());
  if (p.exec == OpExec::kAlias) return;
  for (std::size_t prod : p.producers) {
    const OpPlan& q = plans[prod];
    std::vector<int> need(p.chunks, 0);
    for (const auto& u : up) {
      if (u.op != prod) continue;
      std::optional<RowWindow> w;
      if (pipelining && u.operand) w = row_window(op, *u.operand);
      const std::int64_t q_rows = chunk_rows(graph.op(q.id).output_shape);
      for (int k = 0; k < p.chunks; ++k) {
        need[k] = std::max(need[k], producer_chunks_needed(w, chunk_rows(op.output_shape), p.chunks,
                                                           k, q_rows, q.chunks));
      }
    }
    p.producer_chunks_needed.push_back(std::move(need));
  }
}

}  // namespace

std::int64_t chunk_share(std::int64_t total, int parts, int k) {
  return total / parts + (k < total % parts ? 1 : 0);
}

std::vector<OpPlan> build_plans(const Graph& graph, const Placement& placement,
                                const HardwareConfig& config) {
  std::vector<OpPlan> plans(graph.size());
  AddressAllocator alloc(config.sram.size_bytes);
  const AimcTileTiming tile(config.tile);
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    OpPlan& p = plans[id.value];
    p.id = id;
    p.name = op.name;
    const auto t = placement.target.find(id.value);
    p.target = t == placement.target.end() ? Target::kSkip : t->second;
    p.exec = p.target == Target::kSkip     ? OpExec::kAlias
             : p.target == Target::kAnalog ? OpExec::kAnalog
                                           : OpExec::kDigital;
    if (p.exec == OpExec::kAlias) {
      wire_producers(graph, op, plans, config.run.layer_pipelining, p);
      continue;
    }
    const int eb = element_bytes(p.target);
    p.chunks = chunk_count(op);
    for (const auto& shape : op.input_shapes) {
      const std::int64_t bytes = numel(shape) * eb;
      p.reads.push_back({alloc.take(bytes), bytes});
    }
    p.output_elements = numel(op.output_shape);
    p.output = {alloc.take(p.output_elements * eb), p.output_elements * eb};
    if (p.exec == OpExec::kAnalog) {
      p.analog = &placement.analog.at(id.value);
      p.positions = unrolled_positions(op, p.analog->output_unroll);
      p.chunks = static_cast<int>(std::min<std::int64_t>(p.chunks, p.positions));
      wire_producers(graph, op, plans, config.run.layer_pipelining, p);
      p.chunk_min_ps = analog_chunk_min_ps(p, tile);
      for (Picoseconds c : p.chunk_min_ps) p.min_duration_ps += c;
      if (p.analog->reduce_core) p.core = p.analog->reduce_core->value;
      continue;
    }
    wire_producers(graph, op, plans, config.run.layer_pipelining, p);
    p.core = placement.core.at(id.value).value;
    p.precision = p.target == Target::kInt8 ? DigitalPrecision::kInt8 : DigitalPrecision::kFp16;
    if (has_gemm(op)) {
      p.gemm = gemm_shape_of(op);
      if (op.mappable()) {
        const std::int64_t wbytes = op.weight_bytes(8 * eb);
        p.weights = {alloc.take(wbytes), wbytes};
        // A split op's core holds only its part of the weights.
        double part = 0.0;
        for (const auto& d : placement.digital.at(id.value).parts)
          part = std::max(part, d.weight_fraction);
        p.weights_per_chunk = wbytes * part > config.digital.local_buffer_bytes;
      }
    }
    p.vector_ops = op.stats.vector_ops;
    p.parts = placement.digital.at(id.value).parts;
    p.compute_ps = 0;
    for (const auto& part : p.parts) p.compute_ps = std::max(p.compute_ps, part.compute_ps);
    for (int k = 0; k < p.chunks; ++k)
      p.chunk_min_ps.push_back(chunk_share(p.compute_ps, p.chunks, k));
    p.min_duration_ps = p.compute_ps;
  }
  return plans;
}

Picoseconds critical_path_ps(const std::vector<OpPlan>& plans) {
  std::vector<std::vector<Picoseconds>> finish(plans.size());
  Picoseconds longest = 0;
  for (std::size_t i = 0; i < plans.size(); ++i) {  // plans are in topological order
    const OpPlan& p = plans[i];
    if (p.exec == OpExec::kAlias) continue;  // no work; nobody waits on an alias
    finish[i].assign(p.chunks, 0);
    for (int k = 0; k < p.chunks; ++k) {
      Picoseconds start = k > 0 ? finish[i][k - 1] : 0;
      for (std::size_t j = 0; j < p.producers.size(); ++j) {
        const int m = p.producer_chunks_needed[j][k];
        if (m > 0) start = std::max(start, finish[p.producers[j]][m - 1]);
      }
      finish[i][k] = start + p.chunk_min_ps[k];
    }
    longest = std::max(longest, finish[i].back());
  }
  return longest;
}

}  // namespace aimcsim
