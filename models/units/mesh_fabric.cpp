#include "models/units/mesh_fabric.h"

#include <algorithm>
#include <cstdlib>

namespace aimcsim {

MeshFabric::MeshFabric(const FabricParams& params) : params_(params) {}

int MeshFabric::nodes() const {
  return params_.topology == FabricTopology::kBus ? 0 : params_.nodes();
}

int MeshFabric::link_count() const {
  if (params_.topology == FabricTopology::kBus) return 1;
  const int c = params_.mesh_cols;
  const int r = params_.mesh_rows;
  return 2 * ((c - 1) * r + (r - 1) * c);
}

int MeshFabric::hops(NodeId src, NodeId dst) const {
  if (src == dst) return 0;
  if (params_.topology == FabricTopology::kBus) return 1;
  const int c = params_.mesh_cols;
  return std::abs(src % c - dst % c) + std::abs(src / c - dst / c);
}

std::vector<std::pair<NodeId, NodeId>> MeshFabric::route(NodeId src, NodeId dst) const {
  std::vector<std::pair<NodeId, NodeId>> links;
  if (src == dst) return links;
  if (params_.topology == FabricTopology::kBus) return {{-1, -1}};
  const int c = params_.mesh_cols;
  NodeId at = src;
  while (at % c != dst % c) {  // X first
    const NodeId next = at + (dst % c > at % c ? 1 : -1);
    links.emplace_back(at, next);
    at = next;
  }
  while (at != dst) {
    const NodeId next = at + (dst / c > at / c ? c : -c);
    links.emplace_back(at, next);
    at = next;
  }
  return links;
}

Cycles MeshFabric::transfer(Cycles cycle, NodeId src, NodeId dst, std::int64_t bytes) {
  const auto links = route(src, dst);
  if (links.empty() || bytes <= 0) return cycle;
  const Cycles flits = ceil_div(bytes, params_.link_bytes_per_cycle);
  const Cycles hop = params_.hop_latency_cycles;
  Cycles start = cycle;
  for (std::size_t k = 0; k < links.size(); ++k) {
    start = std::max(start, link_free_[links[k]] - static_cast<Cycles>(k) * hop);
  }
  contention_cycles_ += start - cycle;
  for (std::size_t k = 0; k < links.size(); ++k) {
    link_free_[links[k]] = start + static_cast<Cycles>(k) * hop + flits;
  }
  link_busy_ += flits * static_cast<Cycles>(links.size());
  return start + static_cast<Cycles>(links.size()) * hop + flits;
}

}  // namespace aimcsim
