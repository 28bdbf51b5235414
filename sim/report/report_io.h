// Writers of a Report (DESIGN.md s.7): JSON (stable keys with units), CSV (one
// row per layer) and the readable summary `aimcsim run` prints.
//
// JSON keys: network, config, mapping, samples, latency_ns,
// throughput_inf_per_s, makespan_ns, critical_path_lower_bound_ns,
// serial_sum_ns, energy_pj, energy_breakdown_pj {dac, crossbar, adc,
// tile_digital, digital_mac, digital_vector, sram, fabric, weight_programming,
// leakage}, actions {dac_drive, ...} (whole stream), tiles_used,
// tiles_available, programming_rounds, analog_mac_ratio, analog_macs,
// digital_macs, digital_weight_bytes, mvms, utilisation {tiles_used_mean,
// tiles_chip_mean, cores_mean, sram_banks_mean, links_mean}, layers [ {name,
// kind, target, units, tiles, macs, mvms, start_ns, end_ns, compute_ns,
// energy_pj, energy_breakdown_pj {...}} ].
#pragma once

#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "sim/report/peak.h"
#include "sim/report/report.h"

namespace aimcsim {

nlohmann::ordered_json report_to_json(const Report& report);
nlohmann::ordered_json peak_to_json(const PeakFigures& peak);
void write_report_csv(const Report& report, std::ostream& out);
void print_report_summary(const Report& report, std::ostream& out);
// Writes `text` to `path`; throws aimcsim::Error naming the path on failure.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace aimcsim
