// Metric columns and the (de)serialisation of point results (point_metrics.h).
#include "explore/point_metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "models/units/actions.h"

namespace aimcsim::explore {

std::string PointResult::to_json() const {
  nlohmann::json j;
  j["index"] = index;
  j["ok"] = ok;
  j["error"] = error;
  j["wall_s"] = wall_s;
  j["rank"] = rank;
  j["host"] = host;
  nlohmann::json m = nlohmann::json::array();
  for (const auto& v : metrics) m.push_back(v ? nlohmann::json(*v) : nlohmann::json());
  j["metrics"] = m;
  return j.dump();
}

PointResult PointResult::from_json(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text);
  PointResult r;
  r.index = j.at("index").get<int>();
  r.ok = j.at("ok").get<bool>();
  r.error = j.at("error").get<std::string>();
  r.wall_s = j.at("wall_s").get<double>();
  r.rank = j.at("rank").get<int>();
  r.host = j.at("host").get<std::string>();
  for (const auto& v : j.at("metrics")) {
    r.metrics.push_back(v.is_null() ? std::nullopt : std::optional<double>(v.get<double>()));
  }
  return r;
}

std::string accuracy_column_stem(const std::string& time_text) { return column_name_of(time_text); }

std::vector<std::string> metric_columns(const SweepSpec& spec) {
  std::vector<std::string> c = {"latency_ns", "throughput_inf_per_s", "makespan_ns", "energy_pj"};
  for (int k = 0; k < kEnergyKindCount; ++k) {
    c.push_back(fmt::format("energy_{}_pj", energy_kind_name(static_cast<EnergyKind>(k))));
  }
  for (const char* name :
       {"tiles_used", "tiles_available", "programming_rounds", "analog_mac_ratio", "analog_macs",
        "digital_macs", "digital_weight_bytes", "mvms", "util_tiles_used_frac",
        "util_tiles_chip_frac", "util_cores_frac", "util_sram_banks_frac", "util_links_frac"}) {
    c.emplace_back(name);
  }
  if (spec.accuracy.enabled) {
    for (const auto& t : spec.accuracy.times) {
      c.push_back("accuracy_" + accuracy_column_stem(t) + "_mean_pct");
      c.push_back("accuracy_" + accuracy_column_stem(t) + "_std_pct");
    }
  }
  if (spec.bench.enabled) {
    for (const std::string& name : nn::cell_bench_columns()) c.push_back(name);
  }
  return c;
}

std::vector<double> report_metrics(const Report& r) {
  std::vector<double> m = {r.latency_ns, r.throughput_inf_per_s, r.makespan_ns, r.energy_pj};
  for (int k = 0; k < kEnergyKindCount; ++k) {
    m.push_back(r.energy_per_inference[static_cast<EnergyKind>(k)]);
  }
  const Utilisation& u = r.utilisation;
  for (double v :
       {static_cast<double>(r.tiles_used), static_cast<double>(r.tiles_available),
        static_cast<double>(r.programming_rounds), r.analog_mac_ratio,
        static_cast<double>(r.analog_macs), static_cast<double>(r.digital_macs),
        static_cast<double>(r.digital_weight_bytes), static_cast<double>(r.mvms), u.tiles_used_mean,
        u.tiles_chip_mean, u.cores_mean, u.sram_banks_mean, u.links_mean}) {
    m.push_back(v);
  }
  return m;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace aimcsim::explore
