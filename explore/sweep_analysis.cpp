// Counts, CSV, Pareto rows and per-axis effects of a results store (sweep_analysis.h).
#include "explore/sweep_analysis.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <ostream>

#include "explore/pareto.h"
#include "models/error.h"

namespace aimcsim::explore {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool maximised_by_default(const std::string& c) {
  return starts_with(c, "accuracy") || starts_with(c, "throughput") || c == "analog_mac_ratio" ||
         starts_with(c, "util_");
}

}  // namespace

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text + ",") {
    if (c == ',') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  return out;
}

SweepSummary summarise_sweep(const ResultStore& store, const ResultTable& t) {
  SweepSummary s;
  if (auto total = store.meta("total_points")) s.total_points = std::stoll(*total);
  if (auto axes = store.meta("axes")) s.axes = split_list(*axes);
  if (auto metrics = store.meta("metrics")) s.metrics = split_list(*metrics);
  const int status = t.column("status"), rank = t.column("rank"), host = t.column("host"),
            wall = t.column("wall_s"), error = t.column("error");
  for (const auto& row : t.rows) {
    ++s.stored;
    if (cell_text(row[status]) == "ok") {
      ++s.ok;
    } else {
      ++s.failed;
      ++s.errors[cell_text(row[error])];
    }
    ++s.by_rank_host[fmt::format("rank {} on {}", cell_text(row[rank]), cell_text(row[host]))];
    s.point_wall_s += cell_number(row[wall]).value_or(0.0);
  }
  return s;
}

void write_results_csv(const ResultTable& t, const std::vector<std::size_t>& rows,
                       std::ostream& out) {
  std::vector<std::string> header;
  for (const auto& c : t.columns) header.push_back(csv_field(c));
  out << fmt::format("{}\n", fmt::join(header, ","));
  for (std::size_t r : rows) {
    std::vector<std::string> fields;
    for (const auto& cell : t.rows[r]) fields.push_back(csv_field(cell_text(cell)));
    out << fmt::format("{}\n", fmt::join(fields, ","));
  }
}

std::vector<Objective> resolve_objectives(const ResultTable& t,
                                          const std::vector<std::string>& metrics,
                                          const std::string& comma_list) {
  std::vector<Objective> out;
  for (std::string name : split_list(comma_list)) {
    std::optional<bool> sign;
    if (name[0] == '+' || name[0] == '-') {
      sign = name[0] == '+';
      name.erase(0, 1);
    }
    std::vector<std::string> hits;
    if (std::find(metrics.begin(), metrics.end(), name) != metrics.end()) hits = {name};
    if (hits.empty()) {
      for (const auto& m : metrics) {
        if (starts_with(m, name + "_") && ends_with(m, "_mean_pct")) hits.push_back(m);
      }
    }
    if (hits.empty()) {
      for (const auto& m : metrics) {
        if (starts_with(m, name)) hits.push_back(m);
      }
    }
    if (hits.size() != 1 || t.column(hits.front()) < 0) {
      throw Error(fmt::format("--pareto: '{}' {}; metric columns: {}", name,
                              hits.empty() ? "is no metric column" : "is ambiguous",
                              fmt::join(metrics, ", ")));
    }
    out.push_back({hits.front(), sign.value_or(maximised_by_default(hits.front()))});
  }
  if (out.empty()) throw Error("--pareto: give at least one metric, e.g. latency_ns,energy_pj");
  return out;
}

std::vector<std::size_t> pareto_rows(const ResultTable& t, const std::vector<Objective>& obj) {
  const int status = t.column("status");
  std::vector<std::size_t> rows;
  std::vector<std::vector<double>> points;
  std::vector<bool> maximise;
  for (const auto& o : obj) maximise.push_back(o.maximise);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (cell_text(t.rows[r][status]) != "ok") continue;
    std::vector<double> p;
    for (const auto& o : obj) {
      if (auto v = cell_number(t.rows[r][t.column(o.column)])) p.push_back(*v);
    }
    if (p.size() != obj.size()) continue;
    rows.push_back(r);
    points.push_back(std::move(p));
  }
  std::vector<std::size_t> out;
  for (std::size_t i : pareto_front(points, maximise)) out.push_back(rows[i]);
  return out;
}

namespace {

struct AxisSample {
  std::string text;              // the axis value as stored
  std::optional<double> number;  // the value, if numeric
  double metric = 0.0;
};

// Levels of an axis and the metric's sum and count per level: each distinct value in
// first-seen order, or kEffectBins equal-count bins by value when there are more than
// kMaxEffectLevels distinct numeric values.
void group_levels(std::vector<AxisSample>& samples,
                  std::vector<std::pair<std::string, double>>& levels,
                  std::vector<std::pair<double, int>>& sums) {
  std::vector<std::string> distinct;
  bool numeric = true;
  for (const auto& s : samples) {
    numeric = numeric && s.number.has_value();
    if (std::find(distinct.begin(), distinct.end(), s.text) == distinct.end())
      distinct.push_back(s.text);
  }
  if (!numeric || distinct.size() <= kMaxEffectLevels) {
    for (const auto& d : distinct) {
      levels.emplace_back(d, 0.0);
      sums.emplace_back(0.0, 0);
    }
    for (const auto& s : samples) {
      const auto i = std::find(distinct.begin(), distinct.end(), s.text) - distinct.begin();
      sums[i].first += s.metric;
      ++sums[i].second;
    }
    return;
  }
  std::stable_sort(samples.begin(), samples.end(),
                   [](const AxisSample& x, const AxisSample& y) { return *x.number < *y.number; });
  const std::size_t n = samples.size();
  for (std::size_t b = 0; b < kEffectBins; ++b) {
    const std::size_t lo = b * n / kEffectBins, hi = (b + 1) * n / kEffectBins;
    if (lo == hi) continue;
    double sum = 0.0;
    for (std::size_t i = lo; i < hi; ++i) sum += samples[i].metric;
    levels.emplace_back(
        fmt::format("[{:.4g}, {:.4g}]", *samples[lo].number, *samples[hi - 1].number), 0.0);
    sums.emplace_back(sum, static_cast<int>(hi - lo));
  }
}

}  // namespace

std::vector<AxisEffect> axis_effects(const ResultTable& t, const std::vector<std::string>& axes,
                                     const std::vector<std::string>& metrics) {
  const int status = t.column("status"), workload = t.column("workload");
  std::vector<std::string> workloads;
  for (const auto& row : t.rows) {
    const std::string w = cell_text(row[workload]);
    if (std::find(workloads.begin(), workloads.end(), w) == workloads.end()) workloads.push_back(w);
  }
  std::vector<std::string> columns = axes;
  columns.push_back("mapping");
  std::vector<AxisEffect> out;
  for (const auto& w : workloads) {
    for (const auto& axis : columns) {
      const int a = t.column(axis);
      if (a < 0) continue;
      for (const auto& metric : metrics) {
        const int m = t.column(metric);
        if (m < 0) continue;
        AxisEffect e{w, axis, metric, {}, 0.0};
        std::vector<AxisSample> samples;
        for (const auto& row : t.rows) {
          if (cell_text(row[workload]) != w || cell_text(row[status]) != "ok") continue;
          if (const auto v = cell_number(row[m]))
            samples.push_back({cell_text(row[a]), cell_number(row[a]), *v});
        }
        std::vector<std::pair<double, int>> sums;  // per level: sum, count
        group_levels(samples, e.mean_by_value, sums);
        double total = 0.0;
        for (const auto& s : samples) total += s.metric;
        const auto n = static_cast<double>(samples.size());
        if (e.mean_by_value.size() < 2 || samples.empty()) continue;
        double lo = 0.0, hi = 0.0;
        for (std::size_t i = 0; i < sums.size(); ++i) {
          e.mean_by_value[i].second = sums[i].first / sums[i].second;
          lo = i == 0 ? e.mean_by_value[i].second : std::min(lo, e.mean_by_value[i].second);
          hi = i == 0 ? e.mean_by_value[i].second : std::max(hi, e.mean_by_value[i].second);
        }
        const double mean = total / n;
        e.spread_pct = mean != 0.0 ? 100.0 * (hi - lo) / std::abs(mean) : 0.0;
        out.push_back(std::move(e));
      }
    }
  }
  return out;
}

}  // namespace aimcsim::explore
