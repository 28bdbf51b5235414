// Exact bi-objective Pareto front of layer subsets (layer_pareto.h).
#include "mapping/layer_pareto.h"

#include <algorithm>

namespace aimcsim::mapping {

std::vector<ParetoPoint> thin_front(const std::vector<ParetoPoint>& front, std::size_t points) {
  if (points == 0 || front.size() <= points) return front;
  if (points == 1) return {front.front()};
  std::vector<ParetoPoint> out;
  out.reserve(points);
  const std::size_t last = front.size() - 1;
  for (std::size_t j = 0; j < points; ++j) {
    // Evenly spaced indices over [0, last], rounded to nearest; strictly increasing because
    // last >= points - 1 + 1.
    out.push_back(front[(j * last + (points - 1) / 2) / (points - 1)]);
  }
  return out;
}

std::vector<ParetoPoint> exact_pareto_front(const std::vector<LayerObjective>& layers,
                                            std::size_t max_points) {
  std::vector<ParetoPoint> front{ParetoPoint{}};
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerObjective& l = layers[i];
    if (!(l.saving > 0.0)) continue;  // never improves a subset
    std::vector<ParetoPoint> candidates = front;
    candidates.reserve(2 * front.size());
    for (const ParetoPoint& p : front) {
      ParetoPoint q = p;
      q.sensitivity += l.sensitivity;
      q.saving += l.saving;
      q.layers.push_back(i);
      candidates.push_back(std::move(q));
    }
    // Increasing sensitivity, then decreasing saving; stable keeps "without" before "with".
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const ParetoPoint& a, const ParetoPoint& b) {
                       if (a.sensitivity != b.sensitivity) return a.sensitivity < b.sensitivity;
                       return a.saving > b.saving;
                     });
    front.clear();
    for (ParetoPoint& c : candidates) {
      // Non-dominated iff it saves strictly more than every point with lower or equal
      // sensitivity kept so far (those come first in this order).
      if (front.empty() || c.saving > front.back().saving) front.push_back(std::move(c));
    }
    if (max_points > 0) front = thin_front(front, max_points);
  }
  return front;
}

}  // namespace aimcsim::mapping
