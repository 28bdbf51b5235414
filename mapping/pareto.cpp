// Non-dominated sorting and hypervolume (pareto.h).
#include "mapping/pareto.h"

#include <algorithm>
#include <string>

#include "models/error.h"

namespace aimcsim::mapping {
namespace {

void check_dimensions(const std::vector<Objectives>& points, std::size_t d) {
  for (const Objectives& p : points) {
    if (p.size() != d) {
      throw Error("pareto: points with " + std::to_string(p.size()) + " and " + std::to_string(d) +
                  " objectives");
    }
  }
}

// Hypervolume of `points` (all strictly inside the reference box) in the objectives from
// `dim` on, bounded by `reference`.
double slice_volume(std::vector<Objectives> points, const Objectives& reference, std::size_t dim) {
  if (points.empty()) return 0.0;
  if (dim + 1 == reference.size()) {
    double best = reference[dim];
    for (const Objectives& p : points) best = std::min(best, p[dim]);
    return reference[dim] - best;
  }
  std::sort(points.begin(), points.end(),
            [dim](const Objectives& a, const Objectives& b) { return a[dim] < b[dim]; });
  double volume = 0.0;
  std::vector<Objectives> active;
  for (std::size_t i = 0; i < points.size(); ++i) {
    active.push_back(points[i]);
    const double upper = i + 1 < points.size() ? points[i + 1][dim] : reference[dim];
    const double depth = upper - points[i][dim];
    if (depth > 0.0) volume += depth * slice_volume(active, reference, dim + 1);
  }
  return volume;
}

}  // namespace

bool dominates(const Objectives& a, const Objectives& b) {
  bool strictly = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    strictly = strictly || a[i] < b[i];
  }
  return strictly;
}

std::vector<int> non_dominated_ranks(const std::vector<Objectives>& points) {
  if (points.empty()) return {};
  check_dimensions(points, points.front().size());
  const std::size_t n = points.size();
  std::vector<int> dominated_by(n, 0);  // how many points dominate i
  std::vector<std::vector<std::size_t>> dominates_list(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j && dominates(points[i], points[j])) {
        dominates_list[i].push_back(j);
        ++dominated_by[j];
      }
    }
  }
  std::vector<int> rank(n, -1);
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < n; ++i) {
    if (dominated_by[i] == 0) front.push_back(i);
  }
  for (int r = 0; !front.empty(); ++r) {
    std::vector<std::size_t> next;
    for (std::size_t i : front) {
      rank[i] = r;
      for (std::size_t j : dominates_list[i]) {
        if (--dominated_by[j] == 0) next.push_back(j);
      }
    }
    front = std::move(next);
  }
  return rank;
}

std::vector<std::size_t> pareto_front_indices(const std::vector<Objectives>& points) {
  const std::vector<int> rank = non_dominated_ranks(points);
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < rank.size(); ++i) {
    if (rank[i] == 0) front.push_back(i);
  }
  return front;
}

double hypervolume(const std::vector<Objectives>& points, const Objectives& reference) {
  check_dimensions(points, reference.size());
  if (reference.empty()) return 0.0;
  std::vector<Objectives> inside;
  for (const Objectives& p : points) {
    bool ok = true;
    for (std::size_t i = 0; i < p.size(); ++i) ok = ok && p[i] < reference[i];
    if (ok) inside.push_back(p);
  }
  return slice_volume(std::move(inside), reference, 0);
}

}  // namespace aimcsim::mapping
