// Tile packing and core assignment (placement.h).
#include "sim/placement/placement.h"

#include <algorithm>
#include <string>

#include "sim/placement/op_cost.h"
#include "sim/placement/output_unroll.h"
#include "sim/placement/tile_packing.h"
#include "sim/placement/weight_duplication.h"

namespace aimcsim {
namespace {

struct BlockRequest {
  std::int64_t group;
  BlockRange in, out;
};

std::vector<BlockRequest> blocks_of(const Op& op, int rows, int cols) {
  const MatrixShape m = matrix_shape_of(op);
  const TileSplit split = plan_tile_split(m.in_features, m.out_features, rows, cols);
  std::vector<BlockRequest> out;
  for (std::int64_t g = 0; g < m.groups; ++g) {
    for (const auto& in : split.in_blocks) {
      for (const auto& o : split.out_blocks) out.push_back({g, in, o});
    }
  }
  return out;
}

// Rectangles the packer places: one per block, except that in dense packing the
// groups of a grouped conv whose group matrix is one block go as diagonal runs
// of up to min(rows / block rows, cols / block cols) groups (one rectangle each).
struct PackUnit {
  int rows = 0, cols = 0;
  std::vector<BlockRequest> blocks;  // down the unit's diagonal
};

std::vector<PackUnit> pack_units(const std::vector<BlockRequest>& reqs, const Op& op, int rows,
                                 int cols, TilePacking mode) {
  std::vector<PackUnit> units;
  const MatrixShape m = matrix_shape_of(op);
  const bool runs =
      mode == TilePacking::kDense && m.groups > 1 && reqs.size() == std::size_t(m.groups);
  const std::size_t per_unit =
      runs ? std::size_t(std::min(rows / reqs.front().in.size, cols / reqs.front().out.size)) : 1;
  for (std::size_t i = 0; i < reqs.size(); i += per_unit) {
    PackUnit u;
    for (std::size_t j = i; j < std::min(reqs.size(), i + per_unit); ++j) {
      u.rows += static_cast<int>(reqs[j].in.size);
      u.cols += static_cast<int>(reqs[j].out.size);
      u.blocks.push_back(reqs[j]);
    }
    units.push_back(std::move(u));
  }
  return units;
}

// Places every unit in `space`; false (space unchanged in part) when one does not fit.
bool place_units(TileSpace& space, std::size_t op, const std::vector<PackUnit>& units,
                 bool reprogram, int available, std::vector<TileSpot>& where) {
  where.clear();
  for (const auto& u : units) {
    const auto s = space.place(op, u.rows, u.cols, !reprogram || space.tiles() < available);
    if (!s) return false;
    where.push_back(*s);
  }
  return true;
}

DigitalPrecision precision_of(Target t) {
  return t == Target::kInt8 ? DigitalPrecision::kInt8 : DigitalPrecision::kFp16;
}

void check_lanes(const Op& op, Target t, const HardwareConfig& config, const Mapping& mapping) {
  if (!has_gemm(op) || t == Target::kAnalog || t == Target::kSkip) return;
  if (config.digital.supports(precision_of(t))) return;
  const std::string key = t == Target::kInt8 ? "digital.int8_mac_lanes" : "digital.fp16_mac_lanes";
  const std::string why =
      op.mappable() ? "is mapped to " + std::string(target_name(t)) + " by " + mapping.source()
                    : "runs at run.digital_precision = " + std::string(target_name(t));
  throw PlacementError("op '" + op.name + "' " + why + " but config '" + config.source_file +
                       "' has " + key + " = 0; expected a precision the digital cores support");
}

CoreId least_loaded(std::vector<Picoseconds>& load, Picoseconds cost) {
  const auto it = std::min_element(load.begin(), load.end());
  *it += cost;
  return CoreId{static_cast<int>(it - load.begin())};
}

}  // namespace

int programmed_rows(const Placement& placement, TileId tile, int round) {
  int rows = 0;
  for (const auto& b : placement.blocks) {
    if (b.tile == tile && b.round == round) rows += static_cast<int>(b.in.size);
  }
  return rows;
}

namespace {

Placement place_packed(const Graph& graph, const Mapping& mapping, const HardwareConfig& config,
                       TilePacking mode) {
  const int rows = config.tile.rows();
  const int cols = config.tile.cols();
  const Target default_digital =
      config.run.digital_precision == DigitalPrecision::kInt8 ? Target::kInt8 : Target::kFp16;
  Placement p;
  p.tiles_available = config.tile.count;
  const bool reprogram = config.run.allow_reprogramming;

  // Pack analog blocks. Without reprogramming the tile list grows freely and
  // is checked against the chip at the end (so the error states the need).
  TileSpace tiles(mode, rows, cols);
  int round = 0;
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    if (!op.mappable() && op.stats.vector_ops == 0 && !has_gemm(op)) continue;
    const Target t = target_of(op, mapping, default_digital);
    p.target[id.value] = t;
    check_lanes(op, t, config, mapping);
    if (t != Target::kAnalog) continue;
    const OutputUnroll unroll = choose_output_unroll(op, config.tile);
    auto units = pack_units(blocks_of(op, rows, cols), op, rows, cols, mode);
    if (unroll.factor > 1) {  // one block: pack the rectangle of it and its copies
      units.front().rows = unroll.rows;
      units.front().cols = unroll.cols;
    }
    TileSpace trial = tiles;
    std::vector<TileSpot> where;
    if (!place_units(trial, id.value, units, reprogram, p.tiles_available, where)) {
      ++round;  // reprogramming: start a new round for this op
      trial = TileSpace(mode, rows, cols);
      place_units(trial, id.value, units, false, p.tiles_available, where);
      if (trial.tiles() > p.tiles_available) {
        throw PlacementError("placement: analog op '" + op.name + "' alone needs " +
                             std::to_string(trial.tiles()) + " tiles of " + std::to_string(rows) +
                             " x " + std::to_string(cols) + " but config '" + config.source_file +
                             "' has tile.count = " + std::to_string(p.tiles_available) +
                             "; map it to int8/fp16");
      }
    }
    AnalogPlacement ap;
    ap.round = round;
    const MatrixShape m = matrix_shape_of(op);
    const TileSplit split = plan_tile_split(m.in_features, m.out_features, rows, cols);
    ap.in_blocks = static_cast<std::int64_t>(split.in_blocks.size());
    ap.out_blocks = static_cast<std::int64_t>(split.out_blocks.size());
    std::map<int, TileShare> shares;
    for (std::size_t i = 0; i < units.size(); ++i) {
      const int tile = where[i].tile;
      int row = where[i].row, col = where[i].col;
      for (const auto& r : units[i].blocks) {
        p.blocks.push_back({id, r.group, r.in, r.out, TileId{tile}, round, 0, row, col});
        row += static_cast<int>(r.in.size);
        col += static_cast<int>(r.out.size);
        auto& share = shares[tile];
        share.tile = TileId{tile};
        share.active_rows += static_cast<int>(r.in.size);
        share.active_cols += static_cast<int>(r.out.size);
        share.blocks += 1;
        share.input_fraction +=
            static_cast<double>(r.in.size) / static_cast<double>(m.in_features * m.groups);
      }
    }
    tiles = trial;
    if (unroll.factor > 1) {
      ap.output_unroll = unroll.factor;
      auto& share = shares.begin()->second;
      share.active_rows = unroll.rows;
      share.active_cols = unroll.cols;
    }
    for (auto& [tile, share] : shares) ap.tiles.push_back(share);
    p.analog[id.value] = std::move(ap);
    if (int(p.round_tiles.size()) <= round) p.round_tiles.resize(round + 1);
    for (const auto& [tile, share] : shares) {
      auto& rt = p.round_tiles[round];
      if (std::find(rt.begin(), rt.end(), TileId{tile}) == rt.end()) rt.push_back(TileId{tile});
    }
  }
  auto tiles_in_busiest_round = [&p] {
    int most = 0;
    for (auto& rt : p.round_tiles) {
      std::sort(rt.begin(), rt.end());
      most = std::max(most, static_cast<int>(rt.size()));
    }
    return most;
  };
  p.tiles_used = tiles_in_busiest_round();
  p.rounds = std::max<int>(1, static_cast<int>(p.round_tiles.size()));
  if (p.tiles_used > p.tiles_available) {
    throw PlacementError("placement: the analog ops of graph '" + graph.name() + "' need " +
                         std::to_string(p.tiles_used) + " tiles of " + std::to_string(rows) +
                         " x " + std::to_string(cols) + " but config '" + config.source_file +
                         "' has tile.count = " + std::to_string(p.tiles_available) +
                         "; map fewer layers to analog or set run.allow_reprogramming = true");
  }
  add_weight_replicas(graph, config, p);
  p.tiles_used = tiles_in_busiest_round();

  // Digital cores, least-loaded first.
  const DigitalCoreTiming core(config.digital);
  p.core_load_ps.assign(static_cast<std::size_t>(config.digital.count), 0);
  for (OpId id : graph.ids()) {
    const auto it = p.target.find(id.value);
    if (it == p.target.end()) continue;
    const Op& op = graph.op(id);
    const Target t = it->second;
    if (t == Target::kSkip) continue;
    if (t == Target::kAnalog) {
      auto& ap = p.analog.at(id.value);
      if (ap.in_blocks > 1 && config.tile.psum_reduction == PsumReduction::kCore) {
        const std::int64_t adds = (ap.in_blocks - 1) * numel(op.output_shape);
        ap.reduce_core = least_loaded(p.core_load_ps, core.vector_time(adds));
      }
      continue;
    }
    DigitalSplitChoice split = choose_split(op, precision_of(t), core, config.fabric,
                                            config.digital.count, config.run.digital_split);
    std::vector<int> order(p.core_load_ps.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = static_cast<int>(c);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return p.core_load_ps[a] < p.core_load_ps[b]; });
    for (std::size_t k = 0; k < split.parts.size(); ++k) {
      split.parts[k].core = order[k];
      p.core_load_ps[order[k]] += split.parts[k].compute_ps;
    }
    p.core[id.value] = CoreId{split.parts.front().core};
    p.digital[id.value] = std::move(split);
  }
  return p;
}

}  // namespace

Placement place(const Graph& graph, const Mapping& mapping, const HardwareConfig& config) {
  if (config.run.tile_packing == TilePacking::kDiagonal)
    return place_packed(graph, mapping, config, TilePacking::kDiagonal);
  // Dense: keep the diagonal packing (no sharing of rows or columns, fewer turns)
  // when it fits the chip in one programming round; pack densely otherwise.
  try {
    Placement p = place_packed(graph, mapping, config, TilePacking::kDiagonal);
    if (p.rounds == 1) return p;
  } catch (const PlacementError&) {
  }
  return place_packed(graph, mapping, config, TilePacking::kDense);
}

}  // namespace aimcsim
