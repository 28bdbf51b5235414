// Outputs of `aimcsim compare` (compare_rows.h).
#include "cli/compare_rows.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <ostream>

#include "models/device/drift_time.h"

namespace aimcsim::cli {
namespace {

const nn::TimeAccuracy& accuracy_of(const CompareRow& row) { return row.accuracy.times.front(); }

std::string accuracy_text(const CompareRow& r) {
  if (!r.has_accuracy()) return "n/a";
  return fmt::format("{:>7.2f} +- {:<5.2f}", 100 * accuracy_of(r).mean, 100 * accuracy_of(r).std);
}

// A number, or JSON null for a row without accuracy.
nlohmann::ordered_json or_null(const CompareRow& r, double v) {
  return r.has_accuracy() ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

std::string wall_text(const std::optional<double>& s) {
  return s ? fmt::format("{:.3g}", *s) : "n/a";
}

}  // namespace

std::vector<mapping::FamilyHypervolume> compare_hypervolumes(const std::vector<CompareRow>& rows,
                                                             const CompareContext& c) {
  std::vector<mapping::MethodPoint> points;
  bool digital = false;
  for (const CompareRow& r : rows) {
    if (!r.has_accuracy()) return {};
    points.push_back({mapping::method_family(r.method.label), 1.0 - accuracy_of(r).mean,
                      r.report.latency_ns, r.report.energy_pj});
    digital = digital || points.back().family == "all-digital";
  }
  if (!digital) return {};
  return mapping::family_hypervolumes(points, c.hv_reference);
}

void print_compare_table(const std::vector<CompareRow>& rows, const CompareContext& c,
                         std::ostream& out) {
  const bool cost_only = !rows.empty() && !rows.front().has_accuracy();
  if (cost_only) {
    out << fmt::format("{} on {}: simulated costs only (a workload file has no trained weights)\n",
                       c.model, c.config);
  } else {
    out << fmt::format(
        "{} on {}: accuracy at {} after programming over {} seed(s), {} test images\n", c.model,
        c.config, format_drift_time(c.time_s), c.seeds, c.test_images);
  }
  std::size_t width = 22;  // the method column fits the longest label
  for (const CompareRow& r : rows) width = std::max(width, r.method.label.size());
  out << fmt::format("{:<{}} {:>16} {:>10} {:>11} {:>7} {:>12} {:>12} {:>10}\n", "method", width,
                     "accuracy %", "analog MAC", "digital MB", "tiles", "latency us", "energy uJ",
                     "search s");
  for (const CompareRow& r : rows) {
    out << fmt::format("{:<{}} {:>16} {:>9.1f}% {:>11.3f} {:>7} {:>12.2f} {:>12.3f} {:>10}\n",
                       r.method.label, width, accuracy_text(r), 100 * r.report.analog_mac_ratio,
                       r.report.digital_weight_bytes * 1e-6, r.report.tiles_used,
                       r.report.latency_ns * 1e-3, r.report.energy_pj * 1e-6,
                       wall_text(r.method.search_wall_s));
  }
  const auto hv = compare_hypervolumes(rows, c);
  if (!hv.empty()) {
    out << fmt::format(
        "hypervolume per method, (test error, latency, energy) / all-digital's, reference "
        "({}):",
        fmt::join(c.hv_reference, ", "));
    for (const auto& f : hv) {
      out << fmt::format(" {} {:.4f}", f.family, f.hypervolume);
      if (f.points > 1)
        out << fmt::format(" ({} of {} points on its front)", f.front_points, f.points);
      out << (&f == &hv.back() ? "\n" : ";");
    }
  }
  out << fmt::format("{} simulation(s) run, {} from the cache ({}); {:.1f} s wall time\n",
                     c.simulations_run, c.cache_hits, c.cache_dir, c.wall_s);
}

nlohmann::ordered_json compare_to_json(const std::vector<CompareRow>& rows,
                                       const CompareContext& c) {
  nlohmann::ordered_json j;
  j["command"] = "compare";
  j["config"] = c.config;
  j["model"] = c.model;
  j["checkpoint"] = c.checkpoint;
  j["time_s"] = c.time_s;
  j["seeds"] = c.seeds;
  j["seed"] = c.seed;
  j["test_images"] = c.test_images;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const CompareRow& r : rows) {
    nlohmann::ordered_json row;
    row["method"] = r.method.label;
    row["accuracy_mean"] = or_null(r, r.has_accuracy() ? accuracy_of(r).mean : 0.0);
    row["accuracy_std"] = or_null(r, r.has_accuracy() ? accuracy_of(r).std : 0.0);
    row["accuracy_per_seed"] = r.has_accuracy() ? nlohmann::ordered_json(accuracy_of(r).per_seed)
                                                : nlohmann::ordered_json::array();
    row["analog_mac_ratio"] = r.report.analog_mac_ratio;
    row["digital_weight_bytes"] = r.report.digital_weight_bytes;
    row["digital_weight_mb"] = r.report.digital_weight_bytes * 1e-6;
    row["tiles_used"] = r.report.tiles_used;
    row["tiles_available"] = r.report.tiles_available;
    row["latency_ns"] = r.report.latency_ns;
    row["energy_pj"] = r.report.energy_pj;
    row["energy_uj"] = r.report.energy_pj * 1e-6;
    row["search_wall_s"] = r.method.search_wall_s ? nlohmann::ordered_json(*r.method.search_wall_s)
                                                  : nlohmann::ordered_json();
    row["eval_wall_s"] = r.accuracy.wall_s;
    row["method_report"] = r.method.report;
    list.push_back(std::move(row));
  }
  j["rows"] = std::move(list);
  nlohmann::ordered_json hv = nlohmann::ordered_json::object();
  for (const auto& f : compare_hypervolumes(rows, c)) {
    hv[f.family] = {
        {"hypervolume", f.hypervolume}, {"points", f.points}, {"front_points", f.front_points}};
  }
  j["hypervolume"] = {{"reference", c.hv_reference}, {"per_method", hv}};
  j["simulations_run"] = c.simulations_run;
  j["cache_hits"] = c.cache_hits;
  j["cache_dir"] = c.cache_dir;
  j["wall_s"] = c.wall_s;
  return j;
}

void write_compare_csv(const std::vector<CompareRow>& rows, std::ostream& out) {
  out << "method,accuracy_mean,accuracy_std,analog_mac_ratio,digital_weight_bytes,tiles_used,"
         "latency_ns,energy_pj,search_wall_s\n";
  for (const CompareRow& r : rows) {
    const std::string mean = r.has_accuracy() ? fmt::format("{}", accuracy_of(r).mean) : "";
    const std::string std = r.has_accuracy() ? fmt::format("{}", accuracy_of(r).std) : "";
    out << fmt::format("\"{}\",{},{},{},{},{},{},{},{}\n", r.method.label, mean, std,
                       r.report.analog_mac_ratio, r.report.digital_weight_bytes,
                       r.report.tiles_used, r.report.latency_ns, r.report.energy_pj,
                       r.method.search_wall_s ? fmt::format("{}", *r.method.search_wall_s) : "");
  }
}

}  // namespace aimcsim::cli
