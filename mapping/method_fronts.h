// Hypervolume of each method's points in a comparison (issue 13: "the hypervolume of each
// method's front in (test error, latency, energy), each normalised by all-digital's value").
//
// Contract:
// - method_family(label): the method a compare row belongs to: the label up to " (" (file
//   rows are "METHOD (FILE_STEM)"), without a trailing " front" (front points of a search
//   share its family). "mps front (x.front-2)" -> "mps"; "all-digital" -> "all-digital".
// - family_hypervolumes(points, reference_point): points are (family, test error, latency,
//   energy) in absolute units; the all-digital row (family "all-digital") gives the
//   normaliser of each objective (an error of 0 is taken as 1e-6). Per family, in order of
//   first appearance: its points' non-dominated subset and the hypervolume of that subset
//   (pareto.h) with every objective divided by all-digital's, against `reference` (in those
//   normalised units, e.g. {2, 1, 1}: twice all-digital's error, its latency and energy).
//   Without an all-digital point it throws aimcsim::Error.
#pragma once

#include <string>
#include <vector>

#include "mapping/pareto.h"

namespace aimcsim::mapping {

std::string method_family(const std::string& label);

struct MethodPoint {
  std::string family;
  double error = 0.0, latency_ns = 0.0, energy_pj = 0.0;
};

struct FamilyHypervolume {
  std::string family;
  int points = 0;        // rows of the family
  int front_points = 0;  // of them non-dominated
  double hypervolume = 0.0;
};

std::vector<FamilyHypervolume> family_hypervolumes(const std::vector<MethodPoint>& points,
                                                   const Objectives& reference);

}  // namespace aimcsim::mapping
