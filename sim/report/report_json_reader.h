// Reader of the JSON that report_to_json() writes (report_io.h): JSON -> Report.
//
// Contract:
// - report_from_json(report_to_json(r)) == r field by field, bit for bit (nlohmann
//   writes doubles in shortest round-trip form), for every field report_to_json()
//   writes. The per-unit utilisation vectors (Utilisation::per_tile, per_core) are not
//   in report_to_json(); add them with add_unit_utilisation_json() and the reader takes
//   them back (absent: left empty).
// - A layer's total "energy_pj" is not read (it is the sum of its breakdown).
// - Keys report_to_json() does not write (e.g. "accuracy" of `aimcsim run --ckpt`) are
//   ignored, so a report file written by `aimcsim run --json` reads back.
// - A missing key or a value of the wrong type throws aimcsim::Error
//   "LABEL: report key 'layers[3].energy_breakdown_pj.adc': expected a number".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/report/report.h"

namespace aimcsim {

Report report_from_json(const nlohmann::json& json, const std::string& label);

// Adds "per_tile" and "per_core" arrays to json["utilisation"] (a report_to_json() result).
void add_unit_utilisation_json(const Report& report, nlohmann::ordered_json& json);

}  // namespace aimcsim
