// JSON -> Report (report_json_reader.h).
#include "sim/report/report_json_reader.h"

#include <cstdint>

#include "models/error.h"

namespace aimcsim {
namespace {

class Reader {
 public:
  explicit Reader(std::string label) : label_(std::move(label)) {}

  const nlohmann::json& at(const nlohmann::json& j, const std::string& key,
                           const std::string& path) const {
    if (!j.is_object()) fail(path, "expected an object");
    const auto it = j.find(key);
    if (it == j.end()) fail(join(path, key), "missing");
    return *it;
  }
  double number(const nlohmann::json& j, const std::string& key, const std::string& path) const {
    const auto& v = at(j, key, path);
    if (!v.is_number()) fail(join(path, key), "expected a number");
    return v.get<double>();
  }
  std::int64_t integer(const nlohmann::json& j, const std::string& key,
                       const std::string& path) const {
    const auto& v = at(j, key, path);
    if (!v.is_number_integer()) fail(join(path, key), "expected an integer");
    return v.get<std::int64_t>();
  }
  bool boolean(const nlohmann::json& j, const std::string& key, const std::string& path) const {
    const auto& v = at(j, key, path);
    if (!v.is_boolean()) fail(join(path, key), "expected true or false");
    return v.get<bool>();
  }
  std::string text(const nlohmann::json& j, const std::string& key, const std::string& path) const {
    const auto& v = at(j, key, path);
    if (!v.is_string()) fail(join(path, key), "expected a string");
    return v.get<std::string>();
  }
  EnergyBreakdown breakdown(const nlohmann::json& j, const std::string& key,
                            const std::string& path) const {
    const auto& b = at(j, key, path);
    EnergyBreakdown e;
    for (int k = 0; k < kEnergyKindCount; ++k) {
      e.pj[k] =
          number(b, std::string(energy_kind_name(static_cast<EnergyKind>(k))), join(path, key));
    }
    return e;
  }
  std::vector<double> numbers(const nlohmann::json& j, const std::string& key,
                              const std::string& path) const {
    std::vector<double> out;
    const auto it = j.find(key);
    if (it == j.end()) return out;  // optional (add_unit_utilisation_json)
    if (!it->is_array()) fail(join(path, key), "expected an array of numbers");
    for (const auto& v : *it) {
      if (!v.is_number()) fail(join(path, key), "expected an array of numbers");
      out.push_back(v.get<double>());
    }
    return out;
  }
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(label_ + ": report key '" + path + "': " + what);
  }
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  std::string label_;
};

LayerReport read_layer(const Reader& rd, const nlohmann::json& j, const std::string& path) {
  LayerReport l;
  l.name = rd.text(j, "name", path);
  l.kind = rd.text(j, "kind", path);
  l.target = rd.text(j, "target", path);
  l.units = rd.text(j, "units", path);
  l.tiles = static_cast<int>(rd.integer(j, "tiles", path));
  l.replicas = static_cast<int>(rd.integer(j, "replicas", path));
  l.macs = rd.integer(j, "macs", path);
  l.mvms = rd.integer(j, "mvms", path);
  l.start_ns = rd.number(j, "start_ns", path);
  l.end_ns = rd.number(j, "end_ns", path);
  l.compute_ns = rd.number(j, "compute_ns", path);
  l.energy_pj = rd.breakdown(j, "energy_breakdown_pj", path);
  return l;
}

}  // namespace

Report report_from_json(const nlohmann::json& j, const std::string& label) {
  const Reader rd(label);
  Report r;
  r.network = rd.text(j, "network", "");
  r.config = rd.text(j, "config", "");
  r.mapping = rd.text(j, "mapping", "");
  r.samples = static_cast<int>(rd.integer(j, "samples", ""));
  r.layer_pipelining = rd.boolean(j, "layer_pipelining", "");
  r.weight_duplication = rd.text(j, "weight_duplication", "");
  r.latency_ns = rd.number(j, "latency_ns", "");
  r.throughput_inf_per_s = rd.number(j, "throughput_inf_per_s", "");
  r.makespan_ns = rd.number(j, "makespan_ns", "");
  r.critical_path_lower_bound_ns = rd.number(j, "critical_path_lower_bound_ns", "");
  r.serial_sum_ns = rd.number(j, "serial_sum_ns", "");
  r.energy_pj = rd.number(j, "energy_pj", "");
  r.energy_per_inference = rd.breakdown(j, "energy_breakdown_pj", "");
  const auto& actions = rd.at(j, "actions", "");
  for (int a = 0; a < kActionCount; ++a) {
    const auto action = static_cast<Action>(a);
    r.actions.add(action, rd.integer(actions, std::string(action_name(action)), "actions"));
  }
  r.tiles_used = static_cast<int>(rd.integer(j, "tiles_used", ""));
  r.tiles_available = static_cast<int>(rd.integer(j, "tiles_available", ""));
  r.programming_rounds = static_cast<int>(rd.integer(j, "programming_rounds", ""));
  r.analog_mac_ratio = rd.number(j, "analog_mac_ratio", "");
  r.analog_macs = rd.integer(j, "analog_macs", "");
  r.digital_macs = rd.integer(j, "digital_macs", "");
  r.digital_weight_bytes = rd.integer(j, "digital_weight_bytes", "");
  r.mvms = rd.integer(j, "mvms", "");
  const auto& u = rd.at(j, "utilisation", "");
  r.utilisation.tiles_used_mean = rd.number(u, "tiles_used_mean", "utilisation");
  r.utilisation.tiles_chip_mean = rd.number(u, "tiles_chip_mean", "utilisation");
  r.utilisation.cores_mean = rd.number(u, "cores_mean", "utilisation");
  r.utilisation.sram_banks_mean = rd.number(u, "sram_banks_mean", "utilisation");
  r.utilisation.links_mean = rd.number(u, "links_mean", "utilisation");
  r.utilisation.per_tile = rd.numbers(u, "per_tile", "utilisation");
  r.utilisation.per_core = rd.numbers(u, "per_core", "utilisation");
  const auto& layers = rd.at(j, "layers", "");
  if (!layers.is_array()) rd.fail("layers", "expected an array");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    r.layers.push_back(read_layer(rd, layers[i], "layers[" + std::to_string(i) + "]"));
  }
  return r;
}

void add_unit_utilisation_json(const Report& report, nlohmann::ordered_json& json) {
  json["utilisation"]["per_tile"] = report.utilisation.per_tile;
  json["utilisation"]["per_core"] = report.utilisation.per_core;
}

}  // namespace aimcsim
