// Placement (DESIGN.md s.3): which weight block sits on which AIMC tile, and
// which digital core runs each digital op.
//
// Contract of place():
// - Each analog op's matrix (op_cost.h: conv per group [C_out/g, C_in/g*kh*kw],
//   linear [out, in]) is split evenly into blocks of at most rows x cols
//   (models/analog/tile_split.h, the same split as the numerics).
// - Blocks are packed first-fit, in topological op order then (group, input
//   block, output block) order, into tiles 0, 1, ...: inside a tile blocks go
//   down the diagonal (each block starts at the row and column after the
//   previous one), so blocks in one tile own disjoint rows and columns and all
//   of one op's blocks in a tile run in the same MVM (how depthwise convs fit).
//   run.tile_packing = "dense" keeps that packing when it fits the chip in one
//   programming round, else packs with tile_packing.h's dense rule (blocks of
//   different ops may share rows or columns; one op's blocks stay diagonal).
// - A network needing more tiles than tile.count throws PlacementError naming
//   the tiles needed and available, unless run.allow_reprogramming: then ops
//   are packed into successive programming rounds (an op never straddles two
//   rounds) and the engine reloads the tiles between rounds (timed, priced).
//   An op that alone needs more tiles than the chip has is always an error.
// - Output unrolling (tile.max_output_unroll > 1, output_unroll.h): a conv that
//   fits one tile is packed as its unrolled rectangle (copies of its block side
//   by side) and computes output_unroll pixels per MVM; its PlacedBlock is the
//   original block (the copies are written with it: programming time and
//   energy count one copy, as ODiMO's DIANA model does).
// - Weight duplication (run.weight_duplication = "auto", weight_duplication.h):
//   after packing, the tiles a programming round left empty are given to that
//   round's analog ops, greedily by the largest per-replica MVM time
//   (positions / replicas x the op's slowest tile MVM; ties to the earlier
//   op), one replica at a time: a replica is a full copy of the op's blocks
//   on fresh tiles (one per tile of the original, same blocks per tile), no
//   tile shared with any other op or replica. It stops when the op in front
//   has one replica per MVM position or its copy does not fit the spare tiles.
//   "off" leaves the placement exactly as packed.
// - Digital work goes to the least-loaded core (by the estimated time of the
//   ops already given to it, op_cost.h; ties to the lowest id), in topological
//   order: digital conv/linear/matmul, vector ops, and the partial-sum
//   reduction of analog ops split over more than one input block (unless
//   tile.psum_reduction = links: then the tiles add them on the way). With
//   run.digital_split = "auto" a GEMM op takes the split digital_split.h
//   chooses; its parts go to that many distinct cores, least-loaded first
//   (each core loaded with its part's time). `core` holds its first part's core.
// - An op mapped to int8/fp16 (or a matmul at run.digital_precision) on cores
//   without lanes of that precision throws PlacementError naming the op and key.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "models/analog/tile_split.h"
#include "models/error.h"
#include "models/units/sim_time.h"
#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"
#include "sim/placement/digital_split.h"

namespace aimcsim {

struct TileId {
  int value = 0;
  auto operator<=>(const TileId&) const = default;
};
struct CoreId {
  int value = 0;
  auto operator<=>(const CoreId&) const = default;
};

class PlacementError : public Error {
 public:
  using Error::Error;
};

struct PlacedBlock {
  OpId op;
  std::int64_t group = 0;
  BlockRange in;   // input rows of the group's matrix
  BlockRange out;  // output columns of the group's matrix
  TileId tile;
  int round = 0;       // programming round (0 unless reprogramming)
  int replica = 0;     // 0 = the packed original, >= 1 = a weight-duplication copy
  int row_offset = 0;  // first crossbar row it occupies
  int col_offset = 0;  // first crossbar column it occupies
};

// What one MVM of an op activates on one tile (all its blocks there).
struct TileShare {
  TileId tile;
  int active_rows = 0;
  int active_cols = 0;
  int blocks = 0;
  double input_fraction = 0.0;  // share of the op's input vector this tile reads
};

struct AnalogPlacement {
  int round = 0;
  std::int64_t in_blocks = 1;    // input blocks per group (> 1: partial sums reduced)
  std::int64_t out_blocks = 1;   // output blocks per group
  int output_unroll = 1;         // output pixels per MVM (output_unroll.h); > 1: the op's one block
                                 // and its shifted copies, tiles[0] holding the whole rectangle
  std::vector<TileShare> tiles;  // replica 0 (the packed original), sorted by tile id
  std::optional<CoreId> reduce_core;  // set iff in_blocks > 1 and tile.psum_reduction = core
  // Replicas 1.. (weight duplication): the same shares as `tiles` on other
  // tiles. An op's MVM positions split evenly over its replicas.
  std::vector<std::vector<TileShare>> replica_tiles;
  int replicas() const { return 1 + static_cast<int>(replica_tiles.size()); }
  int tile_count() const { return replicas() * static_cast<int>(tiles.size()); }
};

struct Placement {
  int tiles_available = 0;
  int tiles_used = 0;  // distinct tiles holding a block, replicas included (max over rounds)
  int rounds = 1;      // programming rounds; > 1 only with run.allow_reprogramming
  std::vector<PlacedBlock> blocks;
  std::map<std::size_t, Target> target;               // by OpId.value, every op with work
  std::map<std::size_t, AnalogPlacement> analog;      // by OpId.value
  std::map<std::size_t, CoreId> core;                 // digital ops, by OpId.value
  std::map<std::size_t, DigitalSplitChoice> digital;  // digital ops: parts with their cores
  std::vector<Picoseconds> core_load_ps;              // estimated busy time per core
  std::vector<std::vector<TileId>> round_tiles;       // tiles programmed in each round
};

Placement place(const Graph& graph, const Mapping& mapping, const HardwareConfig& config);

// Crossbar rows holding weights on `tile` in `round` (for programming time).
int programmed_rows(const Placement& placement, TileId tile, int round);

}  // namespace aimcsim
