// test-links: aimcsim_sim
// simulate_isolated() (sim/engine/isolated_simulation.h): many simulations in one process,
// each equal to a fresh process's direct simulate() (the golden reports of
// tests/golden/data were written by direct runs); errors come back typed; crashes are
// clear errors.
#include <doctest/doctest.h>

#include <unistd.h>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/graph/trace_reader.h"
#include "sim/placement/placement.h"
#include "sim/report/report_io.h"
#include "sim/trace/activity_recorder.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig config(const std::string& name) {
  return load_hardware_config(kSource + "/configs/" + name);
}
Graph trace(const std::string& name) { return read_trace_file(kSource + "/traces/" + name); }

// Every number within 1e-6 relative of the golden file (as gold_reports.cpp), strings equal.
void check_against(const nlohmann::json& got, const nlohmann::json& want, const std::string& at) {
  if (want.is_number()) {
    INFO(at);
    REQUIRE(got.is_number());
    CHECK(got.get<double>() == doctest::Approx(want.get<double>()).epsilon(1e-6));
  } else if (want.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (k == "config") continue;
      INFO(at << "." << k);
      REQUIRE(got.contains(k));
      check_against(got[k], v, at + "." + k);
    }
  } else if (want.is_array()) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) check_against(got[i], want[i], at);
  } else {
    INFO(at);
    CHECK(got == want);
  }
}

nlohmann::json json_of(const Report& r) { return nlohmann::json::parse(report_to_json(r).dump()); }

template <class E>
std::string error_text(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no error of the expected type>";
}

}  // namespace

TEST_CASE("four isolated runs in one process match the golden reports of direct runs") {
  struct Case {
    const char* config;
    const char* trace;
    MappingPreset preset;
    const char* golden;
  };
  const Case cases[] = {
      {"hermes.toml", "tiny_cnn.trace", MappingPreset::kAllAnalog, "hermes_tiny_cnn"},
      {"hermes.toml", "resnet8_cifar.trace", MappingPreset::kFirstLastDigital, "hermes_resnet8"},
      {"mps-paper.toml", "tiny_cnn.trace", MappingPreset::kAllAnalog, "mps_tiny_cnn"},
      {"mps-paper.toml", "resnet8_cifar.trace", MappingPreset::kFirstLastDigital, "mps_resnet8"},
  };
  for (const Case& c : cases) {
    const Graph g = trace(c.trace);
    const Report r = simulate_isolated(g, make_preset_mapping(c.preset, g), config(c.config),
                                       {.samples = 2, .listener = nullptr});
    std::ifstream in(kSource + "/tests/golden/data/" + c.golden + ".json");
    REQUIRE(in.good());
    check_against(json_of(r), nlohmann::json::parse(in), c.golden);
    CHECK(r.utilisation.per_tile.size() == static_cast<std::size_t>(r.tiles_available));
  }
}

TEST_CASE("isolated runs of three mappings, then a direct run: bit-identical reports") {
  const HardwareConfig c = config("hermes.toml");
  const Graph g = trace("tiny_cnn.trace");
  const Mapping digital = make_preset_mapping(MappingPreset::kAllDigital, g);
  const Report int8 = simulate_isolated(g, make_preset_mapping(MappingPreset::kAllInt8, g), c);
  const Report analog = simulate_isolated(g, make_preset_mapping(MappingPreset::kAllAnalog, g), c);
  const Report isolated = simulate_isolated(g, digital, c);
  const Report again = simulate_isolated(g, digital, c);
  CHECK(int8.energy_pj != isolated.energy_pj);  // three different runs really happened
  CHECK(analog.tiles_used > 0);
  CHECK(isolated.tiles_used == 0);
  CHECK(report_to_json(again).dump() == report_to_json(isolated).dump());
  const Report direct = simulate(g, digital, c);  // this process's one direct run
  CHECK(report_to_json(isolated).dump() == report_to_json(direct).dump());
  CHECK(isolated.utilisation.per_core == direct.utilisation.per_core);
  // Now the kernel is elaborated here: a child would inherit it, so isolation refuses.
  const std::string refused = error_text<Error>([&] { simulate_isolated(g, digital, c); });
  CHECK(refused.find("already ran simulate()") != std::string::npos);
}

TEST_CASE("errors in the child come back with their type and message") {
  HardwareConfig c = config("hermes.toml");
  const Graph g = trace("resnet8_cifar.trace");
  Mapping partial("partial.toml");  // names only the first mappable op
  for (OpId id : g.ids()) {
    if (g.op(id).mappable()) {
      partial.set(g.op(id).name, Target::kAnalog);
      break;
    }
  }
  const std::string direct_mapping = error_text<MappingError>([&] { check_mapping(partial, g); });
  CHECK(error_text<MappingError>([&] { simulate_isolated(g, partial, c); }) == direct_mapping);

  c.tile.count = 2;
  const Mapping analog = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const std::string direct_place = error_text<PlacementError>([&] { place(g, analog, c); });
  CHECK(direct_place.find("tile.count = 2") != std::string::npos);
  CHECK(error_text<PlacementError>([&] { simulate_isolated(g, analog, c); }) == direct_place);

  ActivityRecorder recorder(c.tile.count, c.digital.count);
  const std::string listener = error_text<Error>(
      [&] { simulate_isolated(g, analog, c, {.samples = 1, .listener = &recorder}); });
  CHECK(listener.find("listeners") != std::string::npos);
}

TEST_CASE("a crashed or silent child is a clear aimcsim::Error") {
  const std::string crash = error_text<Error>([] {
    run_report_in_child(
        []() -> Report {
          std::raise(SIGSEGV);
          return {};
        },
        "the crash test");
  });
  CHECK(crash.find("killed by signal " + std::to_string(SIGSEGV)) != std::string::npos);
  CHECK(crash.find("the crash test") != std::string::npos);
  const std::string silent = error_text<Error>([] {
    run_report_in_child(
        []() -> Report {
          ::_exit(5);
          return {};
        },
        "the silent test");
  });
  CHECK(silent.find("exited with status 5 without a result") != std::string::npos);
  const std::string internal = error_text<Error>(
      [] { run_report_in_child([]() -> Report { throw std::out_of_range("index 9"); }, "t"); });
  CHECK(internal == "simulation process: internal error: index 9");
}
