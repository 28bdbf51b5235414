// Counts, CSV, Pareto rows and per-axis effects of a results store (sweep_analysis.h).
#include "explore/sweep_analysis.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
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
        std::vector<std::pair<double, int>> sums;  // per value: sum, count
        double total = 0.0;
        int n = 0;
        for (const auto& row : t.rows) {
          if (cell_text(row[workload]) != w || cell_text(row[status]) != "ok") continue;
          const auto v = cell_number(row[m]);
          if (!v) continue;
          const std::string value = cell_text(row[a]);
          auto it = std::find_if(e.mean_by_value.begin(), e.mean_by_value.end(),
                                 [&](const auto& p) { return p.first == value; });
          if (it == e.mean_by_value.end()) {
            e.mean_by_value.emplace_back(value, 0.0);
            sums.emplace_back(0.0, 0);
            it = e.mean_by_value.end() - 1;
          }
          auto& s = sums[it - e.mean_by_value.begin()];
          s.first += *v;
          ++s.second;
          total += *v;
          ++n;
        }
        if (e.mean_by_value.size() < 2 || n == 0) continue;
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
