// What a sweep measures per point (issue 16 item 3): the metric columns, with units in
// their names, and how a simulated Report (and an accuracy result) fills them.
//
// Contract: metric_columns(spec) is the same list on every rank and every run of a spec;
// PointResult::metrics is aligned with it (nullopt = not measured, e.g. a failed point).
// Columns: the Report's scalars (latency_ns, throughput_inf_per_s, makespan_ns, energy_pj,
// energy_<kind>_pj per energy kind, tiles_used, tiles_available, programming_rounds,
// analog_mac_ratio, analog_macs, digital_macs, digital_weight_bytes, mvms,
// util_<unit>_frac), then per accuracy time T: accuracy_T_mean_pct, accuracy_T_std_pct; with
// [bench], the AnalogNAS-Bench columns of nn::cell_bench_columns() instead.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "explore/sweep_spec.h"
#include "sim/report/report.h"

namespace aimcsim::explore {

// The outcome of one point, as a worker sends it to rank 0.
struct PointResult {
  int index = 0;
  bool ok = false;
  std::string error;  // empty if ok
  double wall_s = 0.0;
  int rank = 0;
  std::string host;
  std::vector<std::optional<double>> metrics;  // aligned with metric_columns()

  std::string to_json() const;
  static PointResult from_json(const std::string& text);
};

std::vector<std::string> metric_columns(const SweepSpec& spec);

// The report's columns (a prefix of metric_columns()), in order.
std::vector<double> report_metrics(const Report& report);

// Column stem of a drift time as written ("1d" -> "1d", "1.5h" -> "1_5h").
std::string accuracy_column_stem(const std::string& time_text);

// This machine's host name.
std::string host_name();

}  // namespace aimcsim::explore
