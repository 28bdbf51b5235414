// test-links: aimcsim_sim
// Bad input reaches the user as one clear aimcsim::Error (issue 4): too few
// tiles, missing precision lanes, mapping/graph disagreement; and with
// run.allow_reprogramming an oversized network runs with priced reloads.
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/trace_reader.h"
#include "sim/mapping/mapping_io.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig hermes() { return load_hardware_config(kSource + "/configs/hermes.toml"); }
Graph resnet20() { return read_trace_file(kSource + "/traces/resnet20_cifar.trace"); }

std::string error_of(const Graph& g, const Mapping& m, const HardwareConfig& c) {
  try {
    simulate(g, m, c);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("too few tiles: error names the tiles needed and available") {
  HardwareConfig c = hermes();
  c.tile.count = 8;
  const Graph g = resnet20();
  const std::string what = error_of(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  CHECK(what.find("need ") != std::string::npos);
  CHECK(what.find("tile.count = 8") != std::string::npos);
  CHECK(what.find("hermes.toml") != std::string::npos);
}

TEST_CASE("fp16 requested but fp16 lanes = 0: error names op and key") {
  HardwareConfig c = hermes();
  c.digital.fp16_mac_lanes = 0;
  const Graph g = resnet20();
  const std::string what = error_of(g, make_preset_mapping(MappingPreset::kFirstLastDigital, g), c);
  CHECK(what.find("'conv1'") != std::string::npos);
  CHECK(what.find("digital.fp16_mac_lanes = 0") != std::string::npos);
}

TEST_CASE("mapping naming a layer the graph lacks is an error naming file and key") {
  const Graph g = resnet20();
  Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  Mapping file = parse_mapping_json("{\"layer9.conv\": \"analog\"}", "map.json");
  for (const auto& [k, v] : m.entries()) file.set(k, v);
  const std::string what = error_of(g, file, hermes());
  CHECK(what.find("map.json") != std::string::npos);
  CHECK(what.find("'layer9.conv'") != std::string::npos);
}

TEST_CASE("allow_reprogramming: an oversized network runs with timed, priced reloads") {
  HardwareConfig c = hermes();
  c.tile.count = 8;
  c.run.allow_reprogramming = true;
  const Graph g = resnet20();
  const Report r = simulate(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  CHECK(r.programming_rounds > 1);
  CHECK(r.tiles_used <= 8);
  CHECK(r.energy_per_inference[EnergyKind::kProgramming] > 0.0);
  CHECK(r.actions.count(Action::kProgramDevice) == 2 * g.totals().weights);
  // Each round reprograms up to 256 rows at 10 us per row: far above the compute.
  CHECK(r.latency_ns > r.programming_rounds * 1e4);
  CHECK(r.latency_ns <= r.serial_sum_ns);
}
