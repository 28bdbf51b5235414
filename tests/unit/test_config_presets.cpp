// The shipped hardware presets (configs/*.toml) load clean, resolve to the
// published numbers with the right units and provenance, document every number,
// and `config dump` output loads back to the same values.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/config/param_table.h"

namespace fs = std::filesystem;
using aimcsim::HardwareConfig;
using aimcsim::load_hardware_config;

namespace {

const fs::path kConfigs = fs::path(AIMCSIM_SOURCE_DIR) / "configs";

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// The 1-based line of `marker` in `file`, 0 if absent.
int line_in_file(const fs::path& file, const std::string& marker) {
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind(marker, 0) == 0) return n;
  }
  return 0;
}

fs::path write_temp(const std::string& name, const std::string& text) {
  const fs::path file =
      fs::temp_directory_path() / ("aimcsim_presets_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(file) << text;
  return file;
}

}  // namespace

TEST_CASE("every preset in configs/ loads without a problem") {
  int presets = 0;
  for (const auto& entry : fs::directory_iterator(kConfigs)) {
    if (entry.path().extension() != ".toml") continue;
    CAPTURE(entry.path());
    CHECK_NOTHROW(load_hardware_config(entry.path()));
    ++presets;
  }
  CHECK(presets >= 3);
  CHECK(fs::exists(aimcsim::default_hardware_config_path()));
  CHECK_NOTHROW(load_hardware_config(aimcsim::default_hardware_config_path()));
}

TEST_CASE("hermes.toml resolves to the HERMES figures of FACTS.md s.8") {
  const fs::path file = kConfigs / "hermes.toml";
  const HardwareConfig c = load_hardware_config(file);
  CHECK(c.tile.rows() == 256);
  CHECK(c.tile.cols() == 256);
  CHECK(c.tile.count == 64);
  CHECK(c.tile.adcs_per_tile == 256);
  CHECK(c.tile.adc_rounds() == 1);
  CHECK(c.tile.numerics.dac_bits == 8);
  CHECK(c.tile.numerics.adc_bits == 8);
  CHECK(c.tile.input_encoding == aimcsim::InputEncoding::kPulseWidth);
  CHECK(c.tile.mvm_latency_ns() == doctest::Approx(133.0));  // HERMES Table I
  CHECK(c.device.g_max_us == doctest::Approx(25.0));
  CHECK(c.device.t_read_s == doctest::Approx(250e-9));
  CHECK(c.energy.adc_conversion_pj == doctest::Approx(23.68));
  CHECK(c.fabric.topology == aimcsim::FabricTopology::kMesh);
  CHECK(c.fabric.nodes() >= c.tile.count + c.digital.count);
  // Provenance: own keys at their line, fragment keys in the fragment, defaults marked.
  CHECK(c.source_of("tile.mvm_ns").file == file.string());
  CHECK(c.source_of("tile.mvm_ns").line == line_in_file(file, "mvm_ns"));
  CHECK(ends_with(c.source_of("tile.adc_bits").file, "fragments/adc_8b.toml"));
  CHECK(c.source_of("device.model").line > 0);
  CHECK(c.source_of("digital.systolic_rows").is_default());
}

TEST_CASE("four-phase mode over hermes.toml takes 520 ns per MVM (HERMES Table I)") {
  const fs::path file = write_temp("four.toml", "schema_version = 1\ninclude = [\"" +
                                                    (kConfigs / "hermes.toml").string() +
                                                    "\"]\n[tile]\nmvm_phases = \"four-phase\"\n");
  const HardwareConfig c = load_hardware_config(file);
  fs::remove(file);
  CHECK(c.tile.mvm_latency_ns() == doctest::Approx(520.0));
}

TEST_CASE("mps-paper.toml resolves to the MPS paper's per-MAC figures") {
  const HardwareConfig c = load_hardware_config(kConfigs / "mps-paper.toml");
  CHECK(c.tile.rows() == 512);
  CHECK(c.tile.cols() == 512);
  CHECK(c.tile.count == 64);
  CHECK(c.tile.per_mac_ns == doctest::Approx(0.65));
  CHECK(c.energy.crossbar_mac_pj == doctest::Approx(0.35));
  CHECK(c.digital.per_mac_ns == doctest::Approx(1.6));
  CHECK(c.energy.digital_mac_int8_pj == doctest::Approx(1.4));
  CHECK(c.fabric.topology == aimcsim::FabricTopology::kBus);
}

TEST_CASE("default.toml is HERMES plus the main job's run settings") {
  const HardwareConfig c = load_hardware_config(aimcsim::default_hardware_config_path());
  CHECK(c.tile.count == 64);
  CHECK(ends_with(c.source_of("tile.rows").file, "hermes.toml"));
  CHECK(c.run.t_inference_s == doctest::Approx(86400.0));
  CHECK(c.run.digital_precision == aimcsim::DigitalPrecision::kFp16);
  CHECK_FALSE(c.run.allow_reprogramming);
  CHECK(c.run.weight_duplication == aimcsim::WeightDuplication::kAuto);
}

TEST_CASE("every number in a preset or fragment carries a source comment") {
  const std::regex number_assignment(R"(^\s*[A-Za-z0-9_]+\s*=\s*[-+0-9.eE_]+\s*(#.*)?$)");
  for (const auto& entry : fs::recursive_directory_iterator(kConfigs)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::smatch m;
      if (!std::regex_match(line, m, number_assignment)) continue;
      CAPTURE(entry.path());
      CAPTURE(n);
      CHECK_MESSAGE(m[1].length() > 3, line);
    }
  }
}

TEST_CASE("key names carry the unit their declaration states") {
  for (const auto& d : aimcsim::hardware_param_decls()) {
    CAPTURE(d.key);
    CHECK_FALSE(d.description.empty());
    if (ends_with(d.key, "_ns")) CHECK(d.unit == "ns");
    if (ends_with(d.key, "_s")) CHECK(d.unit == "s");
    if (ends_with(d.key, "_pj")) CHECK(d.unit == "pJ");
    if (ends_with(d.key, "_mw")) CHECK(d.unit == "mW");
    if (ends_with(d.key, "_mhz")) CHECK(d.unit == "MHz");
    if (ends_with(d.key, "_bytes")) CHECK(d.unit == "bytes");
  }
}

TEST_CASE("config dump lists every parameter with unit and source, and loads back equal") {
  const fs::path file = kConfigs / "hermes.toml";
  const HardwareConfig c = load_hardware_config(file);
  std::ostringstream out;
  aimcsim::dump_hardware_config(c, out);
  const std::string text = out.str();
  CHECK(text.find("# [rows] " + file.string() + ":" + std::to_string(line_in_file(file, "rows"))) !=
        std::string::npos);
  CHECK(text.find("# [PEs] default") != std::string::npos);  // digital.systolic_rows
  const fs::path dumped = write_temp("dump.toml", text);
  const HardwareConfig back = load_hardware_config(dumped);
  fs::remove(dumped);
  for (const auto& d : aimcsim::hardware_param_decls()) {
    CAPTURE(d.key);
    CHECK(d.get(back) == d.get(c));
    CHECK(text.find("\n" + d.key.substr(d.key.find('.') + 1) + " ") != std::string::npos);
  }
}
