// What the engine does for each op of the graph, decided before simulation
// (plain C++, no kernel): how it executes, what it reads and writes in SRAM,
// how its work splits into chunks, and which ops it waits for.
//
// Contract:
// - kAlias ops (input, constant, output, data movement with no vector work,
//   skipped layers) take no time; consumers wait on their nearest non-alias
//   producers instead (`producers`). Inputs are in SRAM at t = 0.
// - Work of a sample splits into `chunks` parts along the output rows (dim
//   -2 for rank >= 3 outputs, capped at kMaxChunks); chunk_share() splits any
//   total so that the parts sum to it exactly.
// - Activations are 1 byte (analog, INT8) or 2 bytes (FP16) per element, at
//   the executing op's precision; partial sums of row-split analog layers
//   travel as kPartialSumBytes per element (FP32, full precision, FACTS.md s.2).
// - producer_chunks_needed[i][k]: chunks of producers[i] (same sample) that
//   must have drained before chunk k is fetched (chunk_deps.h); with
//   run.layer_pipelining = false every entry is the producer's chunk count.
// - chunk_min_ps[k]: chunk k's compute alone (no transfer, no contention; an
//   analog chunk's MVMs split over the op's replicas, the slowest tile's
//   stream of replica 0 counts, LDPU pipelined; a split digital op's slowest
//   part); min_duration_ps is their sum.
// - critical_path_ps(): longest path through the chunk DAG whose nodes are
//   (op, chunk k) weighted by chunk_min_ps[k] and whose edges are
//   (op, k-1) -> (op, k) (an op computes its chunks one after another) and
//   (producer, m-1) -> (op, k) for m = producer_chunks_needed[i][k] > 0. Every
//   chunk's compute starts after its compute predecessors end (the producer's
//   chunk still drains, the consumer's still fetches) and lasts at least
//   chunk_min_ps, so this is a lower bound of sample 0's latency with or
//   without pipelining; without it the bound equals the op-level longest path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/units/digital_core_timing.h"
#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"
#include "sim/placement/placement.h"

namespace aimcsim {

inline constexpr int kMaxChunks = 16;
inline constexpr int kPartialSumBytes = 4;

enum class OpExec { kAlias, kAnalog, kDigital };

struct SramSpan {
  std::int64_t address = 0;
  std::int64_t bytes = 0;  // per sample
};

struct OpPlan {
  OpId id;
  std::string name;
  OpExec exec = OpExec::kAlias;
  Target target = Target::kSkip;
  std::vector<std::size_t> producers;  // indices (= OpId values) of non-alias ops waited for
  std::vector<std::vector<int>> producer_chunks_needed;  // [producer][chunk]
  int chunks = 1;
  std::vector<SramSpan> reads;     // activation operands
  SramSpan weights;                // digital GEMM weights, read once per sample (per chunk if
  bool weights_per_chunk = false;  // a core's share exceeds its local buffer)
  SramSpan output;
  // Analog
  std::int64_t positions = 0;  // MVMs per tile per sample (output pixels / output_unroll)
  const AnalogPlacement* analog = nullptr;
  std::int64_t output_elements = 0;
  // Digital (`parts`: one per core it runs on, run.digital_split; core = parts[0].core)
  int core = -1;
  std::vector<DigitalPart> parts;
  std::optional<GemmShape> gemm;
  DigitalPrecision precision = DigitalPrecision::kFp16;
  std::int64_t vector_ops = 0;
  Picoseconds compute_ps = 0;             // whole sample on idle cores (the slowest part)
  std::vector<Picoseconds> chunk_min_ps;  // per chunk
  Picoseconds min_duration_ps = 0;
};

// Part k of an analog chunk of `mvms` MVMs on replica `replica` of `replicas`.
inline std::int64_t replica_share(std::int64_t mvms, int replicas, int replica) {
  return mvms / replicas + (replica < mvms % replicas ? 1 : 0);
}

// Part k (0-based) of `total` split over `parts`; the parts sum to total.
std::int64_t chunk_share(std::int64_t total, int parts, int k);

// One plan per op, indexed by OpId value.
std::vector<OpPlan> build_plans(const Graph& graph, const Placement& placement,
                                const HardwareConfig& config);

// Longest path through the chunk DAG weighted by chunk_min_ps [ps] (see above).
Picoseconds critical_path_ps(const std::vector<OpPlan>& plans);

}  // namespace aimcsim
