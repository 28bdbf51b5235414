// Pareto fronts (pareto.h).
#include "explore/pareto.h"

#include <algorithm>
#include <numeric>

namespace aimcsim::explore {

bool dominates(const std::vector<double>& a, const std::vector<double>& b,
               const std::vector<bool>& maximise) {
  bool strictly = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const double x = maximise[k] ? a[k] : -a[k];  // larger is better
    const double y = maximise[k] ? b[k] : -b[k];
    if (x < y) return false;
    if (x > y) strictly = true;
  }
  return strictly;
}

std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& points,
                                      const std::vector<bool>& maximise) {
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), 0);
  // Best first lexicographically: a point can only be dominated by one before it.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    for (std::size_t k = 0; k < maximise.size(); ++k) {
      const double x = maximise[k] ? points[i][k] : -points[i][k];
      const double y = maximise[k] ? points[j][k] : -points[j][k];
      if (x != y) return x > y;
    }
    return false;
  });
  std::vector<std::size_t> front;
  for (std::size_t i : order) {
    const bool dominated = std::any_of(front.begin(), front.end(), [&](std::size_t f) {
      return dominates(points[f], points[i], maximise);
    });
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end());
  return front;
}

}  // namespace aimcsim::explore
