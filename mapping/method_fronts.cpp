// Per-method hypervolumes of a comparison (method_fronts.h).
#include "mapping/method_fronts.h"

#include <algorithm>

#include "models/error.h"

namespace aimcsim::mapping {

std::string method_family(const std::string& label) {
  std::string family = label.substr(0, label.find(" ("));
  const std::string suffix = " front";
  if (family.size() > suffix.size() &&
      family.compare(family.size() - suffix.size(), suffix.size(), suffix) == 0) {
    family.resize(family.size() - suffix.size());
  }
  return family;
}

std::vector<FamilyHypervolume> family_hypervolumes(const std::vector<MethodPoint>& points,
                                                   const Objectives& reference) {
  const auto digital = std::find_if(points.begin(), points.end(),
                                    [](const MethodPoint& p) { return p.family == "all-digital"; });
  if (digital == points.end()) {
    throw Error("hypervolume: no all-digital row to normalise by (add all-digital to --methods)");
  }
  const double e0 = std::max(digital->error, 1e-6);
  std::vector<FamilyHypervolume> out;
  std::vector<std::vector<Objectives>> members;
  for (const MethodPoint& p : points) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const FamilyHypervolume& f) { return f.family == p.family; });
    if (it == out.end()) {
      out.push_back({p.family, 0, 0, 0.0});
      members.emplace_back();
      it = out.end() - 1;
    }
    ++it->points;
    members[static_cast<std::size_t>(it - out.begin())].push_back(
        {p.error / e0, p.latency_ns / digital->latency_ns, p.energy_pj / digital->energy_pj});
  }
  for (std::size_t f = 0; f < out.size(); ++f) {
    std::vector<Objectives> front;
    for (std::size_t i : pareto_front_indices(members[f])) front.push_back(members[f][i]);
    out[f].front_points = static_cast<int>(front.size());
    out[f].hypervolume = hypervolume(front, reference);
  }
  return out;
}

}  // namespace aimcsim::mapping
