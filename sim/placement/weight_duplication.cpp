// Greedy weight replicas on spare tiles (weight_duplication.h).
#include "sim/placement/weight_duplication.h"

#include <algorithm>
#include <map>
#include <vector>

#include "models/units/aimc_tile_timing.h"
#include "sim/placement/op_cost.h"
#include "sim/placement/output_unroll.h"

namespace aimcsim {
namespace {

struct Candidate {
  std::size_t op = 0;
  std::int64_t positions = 0;
  Picoseconds slowest_mvm_ps = 0;
};

// positions_a / ra * mvm_a > positions_b / rb * mvm_b, exactly.
bool slower(const Candidate& a, int ra, const Candidate& b, int rb) {
  __extension__ using Wide = __int128;  // products reach ~1e21
  return Wide(a.positions) * a.slowest_mvm_ps * rb > Wide(b.positions) * b.slowest_mvm_ps * ra;
}

std::vector<int> spare_tiles(const std::vector<TileId>& used, int count) {
  std::vector<int> spare;
  for (int t = 0; t < count; ++t) {
    if (std::find(used.begin(), used.end(), TileId{t}) == used.end()) spare.push_back(t);
  }
  return spare;
}

// Copies replica 0 of `op` onto tiles spare[first..], returns the replica's shares.
std::vector<TileShare> copy_replica(Placement& p, std::size_t op, int replica,
                                    const std::vector<int>& spare, std::size_t first) {
  const AnalogPlacement& ap = p.analog.at(op);
  std::map<int, int> to;  // original tile id -> replica tile id
  std::vector<TileShare> shares = ap.tiles;
  for (std::size_t j = 0; j < shares.size(); ++j) {
    to[shares[j].tile.value] = spare[first + j];
    shares[j].tile = TileId{spare[first + j]};
  }
  std::vector<PlacedBlock> copies;
  for (const auto& b : p.blocks) {
    if (b.op.value != op || b.replica != 0) continue;
    PlacedBlock c = b;
    c.tile = TileId{to.at(b.tile.value)};
    c.replica = replica;
    copies.push_back(c);
  }
  p.blocks.insert(p.blocks.end(), copies.begin(), copies.end());
  return shares;
}

}  // namespace

void add_weight_replicas(const Graph& graph, const HardwareConfig& config, Placement& p) {
  if (config.run.weight_duplication == WeightDuplication::kOff) return;
  const AimcTileTiming timing(config.tile);
  for (int round = 0; round < static_cast<int>(p.round_tiles.size()); ++round) {
    std::vector<Candidate> ops;
    for (const auto& [id, ap] : p.analog) {  // ascending id = topological order
      if (ap.round != round) continue;
      Candidate c{id, unrolled_positions(graph.op(OpId{id}), ap.output_unroll), 0};
      for (const auto& s : ap.tiles) {
        c.slowest_mvm_ps =
            std::max(c.slowest_mvm_ps, timing.mvm(s.active_rows, s.active_cols).total_ps);
      }
      ops.push_back(c);
    }
    auto& used = p.round_tiles[round];
    const std::vector<int> spare = spare_tiles(used, p.tiles_available);
    std::size_t next = 0;
    while (!ops.empty()) {
      const Candidate* top = &ops.front();
      for (const auto& c : ops) {
        if (slower(c, p.analog.at(c.op).replicas(), *top, p.analog.at(top->op).replicas())) {
          top = &c;
        }
      }
      AnalogPlacement& ap = p.analog.at(top->op);
      const int r = ap.replicas();
      if (r >= top->positions || next + ap.tiles.size() > spare.size()) break;
      ap.replica_tiles.push_back(copy_replica(p, top->op, r, spare, next));
      for (std::size_t j = 0; j < ap.tiles.size(); ++j) used.push_back(TileId{spare[next + j]});
      next += ap.tiles.size();
    }
    std::sort(used.begin(), used.end());
  }
}

}  // namespace aimcsim
