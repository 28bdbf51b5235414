// test-links: aimcsim_sim
// report_from_json() reads back exactly what report_to_json() wrote (report_json_reader.h),
// and names the key of a bad report.
#include <doctest/doctest.h>

#include <string>

#include "models/error.h"
#include "sim/report/report_io.h"
#include "sim/report/report_json_reader.h"

using namespace aimcsim;

namespace {

// A report whose every field holds a distinct, non-round value.
Report sample_report() {
  Report r;
  r.network = "net";
  r.config = "configs/x.toml";
  r.mapping = "preset all-analog";
  r.samples = 3;
  r.latency_ns = 1234.5678901234567;
  r.throughput_inf_per_s = 1.0 / 3.0 * 1e6;
  r.makespan_ns = 98765.4321;
  r.critical_path_lower_bound_ns = 1000.1;
  r.serial_sum_ns = 2000.2;
  for (int k = 0; k < kEnergyKindCount; ++k) r.energy_per_inference.pj[k] = 0.1 * k + 1.0 / 7.0;
  r.energy_pj = r.energy_per_inference.total();
  for (int a = 0; a < kActionCount; ++a) r.actions.add(static_cast<Action>(a), 1000003LL * a + 7);
  r.layer_pipelining = false;  // not the defaults, so the round trip must read them
  r.weight_duplication = "auto";
  r.tiles_used = 17;
  r.tiles_available = 64;
  r.programming_rounds = 2;
  r.analog_mac_ratio = 0.873;
  r.analog_macs = 40000000123LL;
  r.digital_macs = 5;
  r.digital_weight_bytes = 4096;
  r.mvms = 77;
  r.utilisation = {0.25, 0.125, 0.3, 0.4, 0.05, {0.1, 0.2, 0.0}, {0.9}};
  LayerReport l{
      "layer1.0.conv1", "conv2d", "analog", "tiles 0-3 + core 1", 4, 2, 1179648, 1024, 10.5,
      300.25,           200.125,  {}};
  l.energy_pj.pj[2] = 12.75;
  l.energy_pj.pj[7] = 1e-3 / 3;
  r.layers = {l, LayerReport{"relu", "relu", "fp16", "core 0", 0, 0, 0, 0, 300.25, 310.0, 9.0, {}}};
  return r;
}

}  // namespace

TEST_CASE("report JSON round trip: every field back, bit for bit") {
  const Report r = sample_report();
  nlohmann::ordered_json j = report_to_json(r);
  add_unit_utilisation_json(r, j);
  const Report back = report_from_json(nlohmann::json::parse(j.dump()), "test");
  CHECK(back.network == r.network);
  CHECK(back.config == r.config);
  CHECK(back.mapping == r.mapping);
  CHECK(back.samples == r.samples);
  CHECK(back.latency_ns == r.latency_ns);
  CHECK(back.throughput_inf_per_s == r.throughput_inf_per_s);
  CHECK(back.makespan_ns == r.makespan_ns);
  CHECK(back.critical_path_lower_bound_ns == r.critical_path_lower_bound_ns);
  CHECK(back.serial_sum_ns == r.serial_sum_ns);
  CHECK(back.energy_pj == r.energy_pj);
  CHECK(back.energy_per_inference.pj == r.energy_per_inference.pj);
  for (int a = 0; a < kActionCount; ++a) {
    CHECK(back.actions.count(static_cast<Action>(a)) == r.actions.count(static_cast<Action>(a)));
  }
  CHECK(back.tiles_used == 17);
  CHECK(back.tiles_available == 64);
  CHECK(back.programming_rounds == 2);
  CHECK(back.analog_mac_ratio == r.analog_mac_ratio);
  CHECK(back.analog_macs == r.analog_macs);
  CHECK(back.digital_macs == 5);
  CHECK(back.digital_weight_bytes == 4096);
  CHECK(back.mvms == 77);
  CHECK(back.utilisation.tiles_used_mean == 0.25);
  CHECK(back.utilisation.links_mean == 0.05);
  CHECK(back.utilisation.per_tile == r.utilisation.per_tile);
  CHECK(back.utilisation.per_core == r.utilisation.per_core);
  REQUIRE(back.layers.size() == 2);
  CHECK(back.layers[0].name == "layer1.0.conv1");
  CHECK(back.layers[0].units == r.layers[0].units);
  CHECK(back.layers[0].tiles == 4);
  CHECK(back.layers[0].macs == 1179648);
  CHECK(back.layers[0].mvms == 1024);
  CHECK(back.layers[0].start_ns == 10.5);
  CHECK(back.layers[0].end_ns == 300.25);
  CHECK(back.layers[0].compute_ns == 200.125);
  CHECK(back.layers[0].energy_pj.pj == r.layers[0].energy_pj.pj);
  CHECK(back.layers[1].target == "fp16");
  // Writing the read-back report again gives the same text.
  nlohmann::ordered_json again = report_to_json(back);
  add_unit_utilisation_json(back, again);
  CHECK(again.dump() == j.dump());
}

TEST_CASE("report JSON without per-unit utilisation reads back with empty vectors") {
  const Report back =
      report_from_json(nlohmann::json::parse(report_to_json(sample_report()).dump()), "t");
  CHECK(back.utilisation.per_tile.empty());
  CHECK(back.utilisation.per_core.empty());
  CHECK(back.layers.size() == 2);
}

TEST_CASE("bad report JSON: the error names the label and the key path") {
  nlohmann::json j = nlohmann::json::parse(report_to_json(sample_report()).dump());
  j["layers"][1]["energy_breakdown_pj"].erase("adc");
  CHECK_THROWS_WITH_AS(report_from_json(j, "run.json"),
                       "run.json: report key 'layers[1].energy_breakdown_pj.adc': missing", Error);
  j = nlohmann::json::parse(report_to_json(sample_report()).dump());
  j["tiles_used"] = "many";
  CHECK_THROWS_WITH_AS(report_from_json(j, "run.json"),
                       "run.json: report key 'tiles_used': expected an integer", Error);
}
