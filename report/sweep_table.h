// The input interface for sweep results (DESIGN.md s.8). The sweep engine (SQLite, one row
// per point) is not a dependency of the report: it hands its rows over in this shape, either
// as a SweepTable in memory (sweep_to_json() makes the report input) or as a JSON file that
// `aimcsim report` reads:
//
//   {"sweep":  {"name": "adc-bits x tiles", "command": "aimcsim sweep spec.toml ...",
//               "axes": ["tile.adc_bits", "tile.count"],          (order = chart order)
//               "metrics": ["latency_ns", "energy_pj", "accuracy_mean"]},
//    "points": [{"axes": {"tile.adc_bits": 6, "tile.count": 32},   (numbers or strings)
//                "metrics": {"latency_ns": 1.2e5, "energy_pj": 4.1e7, "accuracy_mean": 0.91}}]}
//
// Metric names carry their units as the reports' keys do (latency_ns, energy_pj; accuracy
// as a fraction). "axes"/"metrics" in "sweep" may be omitted: then they are the keys of the
// first point. A point may lack a metric (not evaluated): the charts skip it.
// Charts (sections.h sweep_sections): each metric against the first axis, one line per
// combination of the other axes; a heatmap of each metric over the first two axes (mean over
// any further axes). Points with latency, energy and accuracy also join the Pareto charts.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aimcsim::report {

struct SweepPoint {
  std::map<std::string, nlohmann::json> axes;  // axis key -> value (number or string)
  std::map<std::string, double> metrics;
};

struct SweepTable {
  std::string name, command;
  std::vector<std::string> axes, metrics;
  std::vector<SweepPoint> points;
};

// Throws aimcsim::Error "PATH: sweep: ..." naming the first malformed entry.
SweepTable sweep_from_json(const nlohmann::json& json, const std::string& path);
nlohmann::json sweep_to_json(const SweepTable& table);

}  // namespace aimcsim::report
