// Pareto fronts over chosen metrics (issue 16 item 5).
//
// Contract: pareto_front(points, maximise) returns, in increasing order, the indices of
// the points that no other point dominates. a dominates b when a is at least as good in
// every objective and strictly better in one (maximise[k]: larger is better, else
// smaller). Equal points do not dominate each other (both stay). O(n log n + n * f * d)
// for f front points: points are visited in lexicographic order of their objectives
// (best first), and a point is kept if nothing kept so far dominates it.
#pragma once

#include <cstddef>
#include <vector>

namespace aimcsim::explore {

std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& points,
                                      const std::vector<bool>& maximise);

// True if a dominates b (see the contract).
bool dominates(const std::vector<double>& a, const std::vector<double>& b,
               const std::vector<bool>& maximise);

}  // namespace aimcsim::explore
