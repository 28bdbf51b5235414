// Reading a sweep's results (issue 16 item 5): counts, CSV, Pareto rows, per-axis effects.
// Works on the store alone (no spec needed), so any results file can be inspected.
//
// Contract:
// - resolve_objectives("latency_ns,energy_pj,accuracy"): each name is a metric column,
//   or the unique column that starts with NAME_ and ends with _mean_pct (accuracy ->
//   accuracy_1d_mean_pct), or the unique column starting with NAME; "+name" maximises,
//   "-name" minimises; without a sign accuracy*, throughput*, analog_mac_ratio and util_*
//   are maximised and everything else minimised. Unknown or ambiguous names throw
//   aimcsim::Error listing the metric columns.
// - pareto_rows(): the 'ok' rows having every objective, that no other such row dominates
//   (pareto.h), in row order.
// - axis_effects(): per workload, per axis column (and the mapping column) with at least
//   two values, per metric: the mean of the metric over the 'ok' rows at each value, and
//   the spread (max mean - min mean) in percent of the workload's mean: how much moving
//   that axis alone moves the metric on average over the other axes. An axis with more
//   than kMaxEffectLevels distinct numeric values in those rows (random or Latin-hypercube
//   samples) is grouped into kEffectBins bins of equal row count by value, labelled
//   "[lo, hi]" (the bin's smallest and largest value), in ascending order.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "explore/result_store.h"

namespace aimcsim::explore {

struct SweepSummary {
  std::int64_t total_points = -1;  // from sweep_meta; -1 if unknown
  std::int64_t stored = 0, ok = 0, failed = 0;
  std::map<std::string, std::int64_t> by_rank_host;  // "rank R on HOST" -> points
  double point_wall_s = 0.0;                         // sum of the points' wall times
  std::vector<std::string> axes, metrics;
  std::map<std::string, std::int64_t> errors;  // error text -> count (failed points)
};

SweepSummary summarise_sweep(const ResultStore& store, const ResultTable& table);

// Every column of the given rows (all rows if `rows` is empty and `all` is true).
void write_results_csv(const ResultTable& table, const std::vector<std::size_t>& rows,
                       std::ostream& out);

struct Objective {
  std::string column;
  bool maximise = false;
};
std::vector<Objective> resolve_objectives(const ResultTable& table,
                                          const std::vector<std::string>& metric_columns,
                                          const std::string& comma_list);
std::vector<std::size_t> pareto_rows(const ResultTable& table,
                                     const std::vector<Objective>& objectives);

inline constexpr std::size_t kMaxEffectLevels = 8;
inline constexpr std::size_t kEffectBins = 5;

struct AxisEffect {
  std::string workload, axis, metric;
  std::vector<std::pair<std::string, double>> mean_by_value;  // first-seen order, or bins
  double spread_pct = 0.0;
};
std::vector<AxisEffect> axis_effects(const ResultTable& table, const std::vector<std::string>& axes,
                                     const std::vector<std::string>& metrics);

// Splits "a,b,c" (empty items dropped).
std::vector<std::string> split_list(const std::string& text);

}  // namespace aimcsim::explore
