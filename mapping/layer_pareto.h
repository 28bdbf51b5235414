// Pareto front of layer subsets under two additive objectives: the sensitivity a set of
// analog layers spends (to minimise) and the cost it saves (to maximise), e.g. HILAL's HNI
// against the energy or latency the simulator measures when a layer leaves the digital
// cores (issue 5, `hilal-energy`).
//
// Contract:
// - Each item is one mappable layer with sensitivity >= 0 and any saving (a negative saving
//   means going analog costs more; such a layer is never worth adding and never appears).
// - exact_pareto_front() returns every subset that no other subset dominates (lower or equal
//   sensitivity and higher or equal saving, one strictly), one subset per distinct
//   (sensitivity, saving) point, sorted by increasing sensitivity (so also increasing
//   saving). The first point is the cheapest subset (the empty set unless a layer saves at
//   no sensitivity). The merge is exact: it keeps the whole
//   non-dominated set after each layer (O(front size) per layer), so it is exponential only
//   when every subset is non-dominated; `max_points` caps the front it keeps between steps
//   (points are then thinned evenly along the sensitivity axis, keeping both ends), 0 = no cap.
// - Ties: among subsets with equal (sensitivity, saving) the one found first (layers in
//   input order, "without the layer" before "with it") is kept, so the result is
//   deterministic.
// - thin_front() picks at most `points` members spread evenly over the front's index range,
//   always keeping the first and last.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace aimcsim::mapping {

struct LayerObjective {
  std::string name;
  double sensitivity = 0.0;  // e.g. HNI (dimensionless loss increase)
  double saving = 0.0;       // e.g. pJ or ns saved per inference by going analog
};

struct ParetoPoint {
  double sensitivity = 0.0;
  double saving = 0.0;
  std::vector<std::size_t> layers;  // indices into the input, ascending
};

std::vector<ParetoPoint> exact_pareto_front(const std::vector<LayerObjective>& layers,
                                            std::size_t max_points = 0);

std::vector<ParetoPoint> thin_front(const std::vector<ParetoPoint>& front, std::size_t points);

}  // namespace aimcsim::mapping
