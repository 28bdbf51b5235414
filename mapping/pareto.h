// Pareto tools over objective vectors, every objective to be MINIMISED (negate one to be
// maximised): non-dominated sorting into fronts and the hypervolume of a point set.
// Used by MPS (issue 13 items 6-7) and by the front reports of the searches.
//
// Contract:
// - a dominates b iff a_i <= b_i for every i and a_j < b_j for some j. Equal vectors do not
//   dominate each other (they share a front).
// - non_dominated_ranks(points): rank[i] = 0 for points no other point dominates; rank k for
//   the points that only points of ranks < k dominate (NSGA-II fronts). All points must
//   have the same number of objectives (else aimcsim::Error). O(n^2 d).
// - pareto_front_indices(points): the indices of rank 0, in input order.
// - hypervolume(points, reference): the volume of the union of the boxes [p, reference]
//   over the points that are strictly better than the reference in every objective (others
//   contribute nothing). Exact, by slicing along the first objective and recursing
//   (HSO, While et al. 2006): fine for fronts of a few hundred points in d <= 4.
#pragma once

#include <cstddef>
#include <vector>

namespace aimcsim::mapping {

using Objectives = std::vector<double>;

bool dominates(const Objectives& a, const Objectives& b);
std::vector<int> non_dominated_ranks(const std::vector<Objectives>& points);
std::vector<std::size_t> pareto_front_indices(const std::vector<Objectives>& points);
double hypervolume(const std::vector<Objectives>& points, const Objectives& reference);

}  // namespace aimcsim::mapping
