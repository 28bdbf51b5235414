// Per-op execution plans (op_plan.h).
#include "sim/engine/op_plan.h"

#include <algorithm>

#include "models/units/aimc_tile_timing.h"
#include "sim/placement/op_cost.h"

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

Picoseconds analog_min_ps(const OpPlan& plan, const AimcTileTiming& tile) {
  Picoseconds total = 0;
  for (int k = 0; k < plan.chunks; ++k) {
    const std::int64_t n = chunk_share(plan.positions, plan.chunks, k);
    Picoseconds longest = 0;
    for (const auto& share : plan.analog->tiles) {
      longest = std::max(longest, tile.mvm(share.active_rows, share.active_cols).total_ps * n);
    }
    total += longest;
  }
  return total;
}

}  // namespace

std::int64_t chunk_share(std::int64_t total, int parts, int k) {
  return total / parts + (k < total % parts ? 1 : 0);
}

std::vector<OpPlan> build_plans(const Graph& graph, const Placement& placement,
                                const HardwareConfig& config) {
  std::vector<OpPlan> plans(graph.size());
  AddressAllocator alloc(config.sram.size_bytes);
  const DigitalCoreTiming core(config.digital);
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
    // Producers: nearest non-alias ops upstream.
    std::vector<OpId> stack(op.inputs.begin(), op.inputs.end());
    while (!stack.empty()) {
      const OpId in = stack.back();
      stack.pop_back();
      if (plans[in.value].exec != OpExec::kAlias) {
        if (std::find(p.producers.begin(), p.producers.end(), in.value) == p.producers.end()) {
          p.producers.push_back(in.value);
        }
        continue;
      }
      for (OpId up : graph.op(in).inputs) stack.push_back(up);
    }
    std::sort(p.producers.begin(), p.producers.end());
    if (p.exec == OpExec::kAlias) continue;

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
      p.positions = output_positions(op);
      p.chunks = static_cast<int>(std::min<std::int64_t>(p.chunks, p.positions));
      p.min_duration_ps = analog_min_ps(p, tile);
      if (p.analog->reduce_core) p.core = p.analog->reduce_core->value;
      continue;
    }
    p.core = placement.core.at(id.value).value;
    p.precision = p.target == Target::kInt8 ? DigitalPrecision::kInt8 : DigitalPrecision::kFp16;
    if (has_gemm(op)) {
      p.gemm = gemm_shape_of(op);
      if (op.mappable()) {
        const std::int64_t wbytes = op.weight_bytes(8 * eb);
        p.weights = {alloc.take(wbytes), wbytes};
        p.weights_per_chunk = wbytes > config.digital.local_buffer_bytes;
      }
    }
    p.vector_ops = op.stats.vector_ops;
    p.compute_ps = digital_time_ps(op, p.precision, core);
    p.min_duration_ps = p.compute_ps;
  }
  return plans;
}

Picoseconds critical_path_ps(const std::vector<OpPlan>& plans) {
  std::vector<Picoseconds> finish(plans.size(), 0);
  Picoseconds longest = 0;
  for (std::size_t i = 0; i < plans.size(); ++i) {  // plans are in topological order
    Picoseconds start = 0;
    for (std::size_t p : plans[i].producers) start = std::max(start, finish[p]);
    finish[i] = start + (plans[i].exec == OpExec::kAlias ? 0 : plans[i].min_duration_ps);
    longest = std::max(longest, finish[i]);
  }
  return longest;
}

}  // namespace aimcsim
