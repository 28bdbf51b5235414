// JSON, CSV and text output of reports (report_io.h).
#include "sim/report/report_io.h"

#include <fmt/format.h>

#include <fstream>
#include <ostream>

#include "models/error.h"

namespace aimcsim {
namespace {

nlohmann::ordered_json breakdown_json(const EnergyBreakdown& e) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (int k = 0; k < kEnergyKindCount; ++k) {
    j[std::string(energy_kind_name(static_cast<EnergyKind>(k)))] = e.pj[k];
  }
  return j;
}

}  // namespace

nlohmann::ordered_json report_to_json(const Report& r) {
  nlohmann::ordered_json j;
  j["network"] = r.network;
  j["config"] = r.config;
  j["mapping"] = r.mapping;
  j["samples"] = r.samples;
  j["layer_pipelining"] = r.layer_pipelining;
  j["weight_duplication"] = r.weight_duplication;
  j["latency_ns"] = r.latency_ns;
  j["throughput_inf_per_s"] = r.throughput_inf_per_s;
  j["makespan_ns"] = r.makespan_ns;
  j["critical_path_lower_bound_ns"] = r.critical_path_lower_bound_ns;
  j["serial_sum_ns"] = r.serial_sum_ns;
  j["energy_pj"] = r.energy_pj;
  j["energy_breakdown_pj"] = breakdown_json(r.energy_per_inference);
  nlohmann::ordered_json actions = nlohmann::ordered_json::object();
  for (int a = 0; a < kActionCount; ++a) {
    actions[std::string(action_name(static_cast<Action>(a)))] =
        r.actions.count(static_cast<Action>(a));
  }
  j["actions"] = actions;
  j["tiles_used"] = r.tiles_used;
  j["tiles_available"] = r.tiles_available;
  j["programming_rounds"] = r.programming_rounds;
  j["analog_mac_ratio"] = r.analog_mac_ratio;
  j["analog_macs"] = r.analog_macs;
  j["digital_macs"] = r.digital_macs;
  j["digital_weight_bytes"] = r.digital_weight_bytes;
  j["mvms"] = r.mvms;
  const auto& u = r.utilisation;
  j["utilisation"] = {{"tiles_used_mean", u.tiles_used_mean},
                      {"tiles_chip_mean", u.tiles_chip_mean},
                      {"cores_mean", u.cores_mean},
                      {"sram_banks_mean", u.sram_banks_mean},
                      {"links_mean", u.links_mean}};
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : r.layers) {
    nlohmann::ordered_json lj;
    lj["name"] = l.name;
    lj["kind"] = l.kind;
    lj["target"] = l.target;
    lj["units"] = l.units;
    lj["tiles"] = l.tiles;
    lj["replicas"] = l.replicas;
    lj["macs"] = l.macs;
    lj["mvms"] = l.mvms;
    lj["start_ns"] = l.start_ns;
    lj["end_ns"] = l.end_ns;
    lj["compute_ns"] = l.compute_ns;
    lj["energy_pj"] = l.energy_pj.total();
    lj["energy_breakdown_pj"] = breakdown_json(l.energy_pj);
    layers.push_back(std::move(lj));
  }
  j["layers"] = std::move(layers);
  return j;
}

nlohmann::ordered_json peak_to_json(const PeakFigures& p) {
  nlohmann::ordered_json j;
  j["peak_tops"] = p.peak_tops;
  j["tops_per_w"] = p.tops_per_w;
  j["power_w"] = p.power_w;
  j["mvm_ns"] = p.mvm_ns;
  j["mvm_energy_pj"] = p.mvm_energy_pj;
  j["tiles"] = p.tiles;
  j["rows"] = p.rows;
  j["cols"] = p.cols;
  j["phases"] = p.phases;
  return j;
}

void write_report_csv(const Report& r, std::ostream& out) {
  out << "name,kind,target,units,tiles,replicas,macs,mvms,start_ns,end_ns,compute_ns,energy_pj";
  for (int k = 0; k < kEnergyKindCount; ++k) {
    out << "," << energy_kind_name(static_cast<EnergyKind>(k)) << "_pj";
  }
  out << "\n";
  for (const auto& l : r.layers) {
    out << fmt::format("{},{},{},\"{}\",{},{},{},{},{:.3f},{:.3f},{:.3f},{:.3f}", l.name, l.kind,
                       l.target, l.units, l.tiles, l.replicas, l.macs, l.mvms, l.start_ns, l.end_ns,
                       l.compute_ns, l.energy_pj.total());
    for (double v : l.energy_pj.pj) out << fmt::format(",{:.3f}", v);
    out << "\n";
  }
}

void print_report_summary(const Report& r, std::ostream& out) {
  out << fmt::format("network {}  config {}  mapping {}  samples {}\n", r.network, r.config,
                     r.mapping, r.samples);
  out << fmt::format(
      "latency          {:>14.1f} ns   (lower bound {:.1f} ns, serial sum {:.1f} ns)\n",
      r.latency_ns, r.critical_path_lower_bound_ns, r.serial_sum_ns);
  out << fmt::format("throughput       {:>14.1f} inferences/s{}\n", r.throughput_inf_per_s,
                     r.samples > 1 ? "" : "   (1 / latency; --samples N >= 2 streams inputs)");
  out << fmt::format("energy           {:>14.1f} pJ per inference ({:.3f} uJ)\n", r.energy_pj,
                     r.energy_pj * 1e-6);
  for (int k = 0; k < kEnergyKindCount; ++k) {
    const double v = r.energy_per_inference.pj[k];
    out << fmt::format("  {:<20} {:>14.1f} pJ  {:5.1f} %\n",
                       energy_kind_name(static_cast<EnergyKind>(k)), v,
                       r.energy_pj > 0 ? 100.0 * v / r.energy_pj : 0.0);
  }
  out << fmt::format("tiles used       {} of {} ({} programming round{}; weight duplication {})\n",
                     r.tiles_used, r.tiles_available, r.programming_rounds,
                     r.programming_rounds == 1 ? "" : "s", r.weight_duplication);
  out << fmt::format("layer pipelining {}\n", r.layer_pipelining ? "on" : "off");
  out << fmt::format("analog MAC ratio {:.4f}  ({} analog / {} digital MACs), {} MVMs\n",
                     r.analog_mac_ratio, r.analog_macs, r.digital_macs, r.mvms);
  out << fmt::format("digital weights  {} bytes\n", r.digital_weight_bytes);
  const auto& u = r.utilisation;
  out << fmt::format(
      "utilisation      tiles {:.1f} % (used) / {:.1f} % (chip), cores {:.1f} %, SRAM banks "
      "{:.1f} %, links {:.1f} %\n",
      100 * u.tiles_used_mean, 100 * u.tiles_chip_mean, 100 * u.cores_mean, 100 * u.sram_banks_mean,
      100 * u.links_mean);
  out << fmt::format("\n{:<34} {:<10} {:<7} {:<18} {:>12} {:>12} {:>12} {:>14}\n", "layer", "kind",
                     "target", "units", "start_ns", "end_ns", "compute_ns", "energy_pj");
  for (const auto& l : r.layers) {
    out << fmt::format("{:<34} {:<10} {:<7} {:<18} {:>12.1f} {:>12.1f} {:>12.1f} {:>14.1f}\n",
                       l.name, l.kind, l.target, l.units, l.start_ns, l.end_ns, l.compute_ns,
                       l.energy_pj.total());
  }
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  if (!out) throw Error(path.string() + ": cannot open for writing");
  out << text;
  if (!out) throw Error(path.string() + ": write failed");
}

}  // namespace aimcsim
