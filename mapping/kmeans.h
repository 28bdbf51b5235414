// z-scoring of feature columns and k-means clustering, deterministic for a seed (HILAL's
// clustering step, FACTS.md s.4).
//
// Contract:
// - Points are rows of equal length (features); an empty set, ragged rows or a non-finite
//   value throw aimcsim::Error.
// - z_score_columns(): each column -> (x - mean) / std with the population std; a column
//   whose std is 0 (all values equal) becomes all 0.
// - kmeans(): `restarts` runs of Lloyd's algorithm, each from its own initialisation
//   (k-means++ or k distinct random points), until no assignment changes or
//   `max_iterations`; the run with the lowest inertia (sum of squared distances to the
//   assigned centre) is kept, the first such run on ties. Requires 1 <= k <= points.
//   An empty cluster is re-seeded with the point farthest from its centre. Ties in
//   assignment go to the lower cluster index.
// - Randomness: restart r draws from a splitmix64 stream seeded with mix(seed, r) (uniform
//   doubles from the top 53 bits), so results are bit-identical for a seed on every
//   platform (no std:: distributions, whose output is implementation-defined).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace aimcsim {

using FeatureRows = std::vector<std::vector<double>>;

struct ColumnStats {
  std::vector<double> mean;
  std::vector<double> std;  // population std; 0 for a constant column
};

FeatureRows z_score_columns(const FeatureRows& rows, ColumnStats* stats = nullptr);

enum class KMeansInit { kPlusPlus, kRandom };
std::string_view kmeans_init_name(KMeansInit init);  // "k-means++", "random"

struct KMeansOptions {
  int k = 2;
  int restarts = 10;
  int max_iterations = 100;
  KMeansInit init = KMeansInit::kPlusPlus;
  std::uint64_t seed = 0;
};

struct KMeansResult {
  std::vector<int> labels;  // cluster of each point, 0..k-1
  FeatureRows centres;      // k rows
  double inertia = 0.0;     // of the kept restart
  int best_restart = 0;     // index of the kept restart
  int iterations = 0;       // Lloyd iterations of the kept restart
  std::vector<double> restart_inertias;
};

KMeansResult kmeans(const FeatureRows& points, const KMeansOptions& options);

// Sum of squared distances of each point to the centre of its label.
double kmeans_inertia(const FeatureRows& points, const FeatureRows& centres,
                      const std::vector<int>& labels);

}  // namespace aimcsim
