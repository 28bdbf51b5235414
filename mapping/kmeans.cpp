#include "mapping/kmeans.h"

#include <cmath>
#include <limits>
#include <string>

#include "models/error.h"

namespace aimcsim {
namespace {

// splitmix64: a tiny, fully specified generator (same stream on every platform).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * n); }

 private:
  std::uint64_t state_;
};

void check_points(const FeatureRows& rows) {
  if (rows.empty()) throw Error("k-means: no points");
  const std::size_t dims = rows[0].size();
  if (dims == 0) throw Error("k-means: points have no features");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != dims) {
      throw Error("k-means: point " + std::to_string(i) + " has " + std::to_string(rows[i].size()) +
                  " features, expected " + std::to_string(dims));
    }
    for (double v : rows[i]) {
      if (!std::isfinite(v)) throw Error("k-means: point " + std::to_string(i) + " is not finite");
    }
  }
}

double dist2(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t j = 0; j < a.size(); ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
  return s;
}

FeatureRows init_centres(const FeatureRows& p, int k, KMeansInit init, SplitMix64& rng) {
  FeatureRows c;
  if (init == KMeansInit::kRandom) {
    std::vector<std::size_t> idx(p.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    for (int j = 0; j < k; ++j) {  // partial Fisher-Yates: k distinct points
      std::swap(idx[j], idx[j + rng.below(idx.size() - j)]);
      c.push_back(p[idx[j]]);
    }
    return c;
  }
  c.push_back(p[rng.below(p.size())]);
  std::vector<double> d2(p.size(), std::numeric_limits<double>::infinity());
  while (static_cast<int>(c.size()) < k) {
    double total = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      d2[i] = std::min(d2[i], dist2(p[i], c.back()));
      total += d2[i];
    }
    std::size_t pick = p.size() - 1;
    if (total > 0.0) {  // D^2 weighting
      double u = rng.uniform() * total;
      for (std::size_t i = 0; i < p.size(); ++i) {
        if ((u -= d2[i]) < 0.0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = rng.below(p.size());  // all points coincide with a centre
    }
    c.push_back(p[pick]);
  }
  return c;
}

// Lloyd's algorithm from `c`; returns the iteration count.
int lloyd(const FeatureRows& p, FeatureRows& c, std::vector<int>& labels, int max_iterations) {
  const std::size_t k = c.size();
  const std::size_t dims = p[0].size();
  labels.assign(p.size(), -1);
  int it = 0;
  for (; it < max_iterations; ++it) {
    bool changed = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      int best = 0;
      double best_d = dist2(p[i], c[0]);
      for (std::size_t j = 1; j < k; ++j) {
        const double d = dist2(p[i], c[j]);
        if (d < best_d) {
          best_d = d;
          best = static_cast<int>(j);
        }
      }
      if (labels[i] != best) changed = true;
      labels[i] = best;
    }
    if (!changed) break;
    FeatureRows sum(k, std::vector<double>(dims, 0.0));
    std::vector<std::size_t> n(k, 0);
    for (std::size_t i = 0; i < p.size(); ++i) {
      ++n[labels[i]];
      for (std::size_t d = 0; d < dims; ++d) sum[labels[i]][d] += p[i][d];
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (n[j] == 0) {  // re-seed with the point farthest from its centre
        std::size_t far = 0;
        double far_d = -1.0;
        for (std::size_t i = 0; i < p.size(); ++i) {
          const double d = dist2(p[i], c[labels[i]]);
          if (d > far_d) {
            far_d = d;
            far = i;
          }
        }
        c[j] = p[far];
        labels[far] = static_cast<int>(j);
        continue;
      }
      for (std::size_t d = 0; d < dims; ++d) c[j][d] = sum[j][d] / static_cast<double>(n[j]);
    }
  }
  return it;
}

}  // namespace

std::string_view kmeans_init_name(KMeansInit init) {
  return init == KMeansInit::kPlusPlus ? "k-means++" : "random";
}

FeatureRows z_score_columns(const FeatureRows& rows, ColumnStats* stats) {
  check_points(rows);
  const std::size_t dims = rows[0].size();
  const auto n = static_cast<double>(rows.size());
  ColumnStats s{std::vector<double>(dims, 0.0), std::vector<double>(dims, 0.0)};
  for (const auto& r : rows) {
    for (std::size_t j = 0; j < dims; ++j) s.mean[j] += r[j] / n;
  }
  for (const auto& r : rows) {
    for (std::size_t j = 0; j < dims; ++j) s.std[j] += (r[j] - s.mean[j]) * (r[j] - s.mean[j]) / n;
  }
  for (auto& v : s.std) v = std::sqrt(v);
  FeatureRows z = rows;
  for (auto& r : z) {
    for (std::size_t j = 0; j < dims; ++j)
      r[j] = s.std[j] > 0.0 ? (r[j] - s.mean[j]) / s.std[j] : 0.0;
  }
  if (stats != nullptr) *stats = std::move(s);
  return z;
}

double kmeans_inertia(const FeatureRows& points, const FeatureRows& centres,
                      const std::vector<int>& labels) {
  double s = 0.0;
  for (std::size_t i = 0; i < points.size(); ++i) s += dist2(points[i], centres[labels[i]]);
  return s;
}

KMeansResult kmeans(const FeatureRows& points, const KMeansOptions& o) {
  check_points(points);
  if (o.k < 1 || static_cast<std::size_t>(o.k) > points.size()) {
    throw Error("k-means: k must be in 1.." + std::to_string(points.size()) +
                " (the number of "
                "points), got " +
                std::to_string(o.k));
  }
  if (o.restarts < 1 || o.max_iterations < 1) {
    throw Error("k-means: restarts and max_iterations must be >= 1");
  }
  KMeansResult best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (int r = 0; r < o.restarts; ++r) {
    SplitMix64 rng(o.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(r) + 1);
    FeatureRows c = init_centres(points, o.k, o.init, rng);
    std::vector<int> labels;
    const int it = lloyd(points, c, labels, o.max_iterations);
    const double inertia = kmeans_inertia(points, c, labels);
    best.restart_inertias.push_back(inertia);
    if (inertia < best.inertia) {
      best.labels = std::move(labels);
      best.centres = std::move(c);
      best.inertia = inertia;
      best.best_restart = r;
      best.iterations = it;
    }
  }
  return best;
}

}  // namespace aimcsim
