// Hardware-config loader: every kind of bad input yields one diagnostic naming
// the file, the line and the key path; all problems are collected; includes
// apply in order with later keys overriding earlier ones.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "models/error.h"
#include "sim/config/hardware_config.h"

namespace fs = std::filesystem;
using aimcsim::ConfigError;
using aimcsim::Diagnostic;
using aimcsim::HardwareConfig;
using aimcsim::load_hardware_config;

namespace {

// A fresh temporary folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("aimcsim_test_config_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }

 private:
  fs::path path_;
};

// 1-based line of the first line of `text` containing `marker`.
int line_of(const std::string& text, const std::string& marker) {
  const auto at = text.find(marker);
  REQUIRE_MESSAGE(at != std::string::npos, "marker not in fixture: " << marker);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// A valid config with every required key; tests edit copies of it.
const std::string kValid = R"(schema_version = 1
[tile]
rows = 256
cols = 256
count = 4
adcs_per_tile = 64
[digital]
count = 2
clock_mhz = 500.0
int8_mac_lanes = 64
fp16_mac_lanes = 16
[sram]
size_bytes = 1048576
[fabric]
topology = "bus"
[energy]
dac_drive_pj = 1.0
crossbar_mvm_pj = 100.0
adc_conversion_pj = 2.0
tile_output_pj = 0.5
digital_mac_int8_pj = 0.2
digital_mac_fp16_pj = 0.8
vector_op_pj = 0.1
sram_read_byte_pj = 0.3
sram_write_byte_pj = 0.4
fabric_hop_byte_pj = 0.05
program_device_pj = 100.0
tile_leakage_mw = 1.0
digital_core_leakage_mw = 2.0
sram_leakage_mw = 3.0
fabric_leakage_mw = 4.0
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "not in fixture: " << from);
  return text.replace(at, from.size(), to);
}

// The diagnostics of loading `file`; fails the test if it loads.
std::vector<Diagnostic> problems_of(const fs::path& file) {
  try {
    load_hardware_config(file);
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) MESSAGE(d.str());
    return e.diagnostics();
  }
  FAIL("config loaded although it is invalid: " << file);
  return {};
}

// The one diagnostic about `key`; fails unless there is exactly one.
Diagnostic only_problem_with(const std::vector<Diagnostic>& problems, const std::string& key) {
  std::vector<Diagnostic> hits;
  for (const auto& d : problems) {
    if (d.key == key) hits.push_back(d);
  }
  REQUIRE_MESSAGE(hits.size() == 1, "diagnostics about " << key << ": " << hits.size());
  return hits.front();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the valid fixture loads, so every failure below is caused by its one edit") {
  TempDir dir;
  const HardwareConfig c = load_hardware_config(dir.write("ok.toml", kValid));
  CHECK(c.tile.rows() == 256);
  CHECK(c.tile.numerics.dac_bits == 8);  // default
  CHECK(c.source_of("tile.dac_bits").is_default());
  CHECK(c.source_of("tile.count").line == line_of(kValid, "count = 4"));
}

TEST_CASE("an unknown key names file, line and key, and suggests the closest known key") {
  TempDir dir;
  const std::string text = replace(kValid, "count = 4\n", "count = 4\nadc_bit = 8\n");
  const fs::path file = dir.write("typo.toml", text);
  const auto d = only_problem_with(problems_of(file), "tile.adc_bit");
  CHECK(d.where.file == file.string());
  CHECK(d.where.line == line_of(text, "adc_bit = 8"));
  CHECK(contains(d.message, "unknown key"));
  CHECK(contains(d.message, "did you mean tile.adc_bits?"));
  CHECK(contains(d.str(), file.string() + ":" + std::to_string(d.where.line) + ": tile.adc_bit:"));
}

TEST_CASE("an unknown section is reported once, with the closest section") {
  TempDir dir;
  const std::string text = kValid + "[tiles]\nrows = 3\ncols = 4\n";
  const auto problems = problems_of(dir.write("section.toml", text));
  const auto d = only_problem_with(problems, "tiles");
  CHECK(d.where.line == line_of(text, "[tiles]"));
  CHECK(contains(d.message, "did you mean [tile]?"));
  CHECK(problems.size() == 1);
}

TEST_CASE("a wrong type names the expected type and unit") {
  TempDir dir;
  const std::string text = replace(kValid, "rows = 256", "rows = \"256\"");
  const auto d = only_problem_with(problems_of(dir.write("type.toml", text)), "tile.rows");
  CHECK(d.where.line == line_of(text, "rows = \"256\""));
  CHECK(contains(d.message, "expected integer [rows]"));
  CHECK(contains(d.message, "got string"));

  const std::string float_count = replace(kValid, "count = 4", "count = 4.0");
  const auto f = only_problem_with(problems_of(dir.write("f.toml", float_count)), "tile.count");
  CHECK(contains(f.message, "got float"));
}

TEST_CASE("a negative size is out of range") {
  TempDir dir;
  const std::string text = replace(kValid, "size_bytes = 1048576", "size_bytes = -4096");
  const auto d = only_problem_with(problems_of(dir.write("neg.toml", text)), "sram.size_bytes");
  CHECK(d.where.line == line_of(text, "size_bytes = -4096"));
  CHECK(contains(d.message, "[bytes], >= 1"));
  CHECK(contains(d.message, "got -4096"));
}

TEST_CASE("a missing required key is reported at its section header") {
  TempDir dir;
  const std::string text = replace(kValid, "rows = 256\n", "");
  const fs::path file = dir.write("missing.toml", text);
  const auto d = only_problem_with(problems_of(file), "tile.rows");
  CHECK(d.where.file == file.string());
  CHECK(d.where.line == line_of(text, "[tile]"));
  CHECK(contains(d.message, "missing required key (integer [rows]"));
}

TEST_CASE("adcs_per_tile larger than cols is inconsistent") {
  TempDir dir;
  const std::string text = replace(kValid, "adcs_per_tile = 64", "adcs_per_tile = 512");
  const auto d = only_problem_with(problems_of(dir.write("adc.toml", text)), "tile.adcs_per_tile");
  CHECK(d.where.line == line_of(text, "adcs_per_tile = 512"));
  CHECK(contains(d.message, "tile.cols = 256"));
}

TEST_CASE("other cross-field rules: mesh size, unsupported precision, choice typo") {
  TempDir dir;
  const std::string mesh =
      replace(kValid, "topology = \"bus\"", "topology = \"mesh\"\nmesh_cols = 2\nmesh_rows = 2");
  const auto m = only_problem_with(problems_of(dir.write("mesh.toml", mesh)), "fabric.mesh_rows");
  CHECK(m.where.line == line_of(mesh, "mesh_rows = 2"));
  CHECK(contains(m.message, "tile.count + digital.count = 6"));

  const std::string fp16 = replace(kValid, "fp16_mac_lanes = 16", "fp16_mac_lanes = 0");
  const auto p =
      only_problem_with(problems_of(dir.write("fp16.toml", fp16)), "run.digital_precision");
  CHECK(contains(p.message, "digital.fp16_mac_lanes > 0"));
  CHECK(p.where.line == line_of(fp16, "fp16_mac_lanes = 0"));  // the default is located there

  const std::string enc =
      replace(kValid, "count = 4\n", "count = 4\ninput_encoding = \"bitserial\"\n");
  const auto e = only_problem_with(problems_of(dir.write("enc.toml", enc)), "tile.input_encoding");
  CHECK(contains(e.message, "did you mean \"bit-serial\"?"));
}

TEST_CASE("a TOML syntax error names the file and its line") {
  TempDir dir;
  const std::string text = replace(kValid, "cols = 256", "cols = = 256");
  const fs::path file = dir.write("syntax.toml", text);
  const auto d = only_problem_with(problems_of(file), "<toml>");
  CHECK(d.where.file == file.string());
  CHECK(d.where.line == line_of(text, "cols = = 256"));
  CHECK(contains(d.message, "syntax error"));
}

TEST_CASE("all problems of a file are collected, one line each, in a typed Error") {
  const fs::path file = fs::path(AIMCSIM_SOURCE_DIR) / "tests/data/configs/many_problems.toml";
  const auto problems = problems_of(file);
  CHECK(problems.size() == 4);
  only_problem_with(problems, "tile.colz");
  only_problem_with(problems, "tile.dac_bits");
  only_problem_with(problems, "digital.clock_mhz");
  only_problem_with(problems, "sram.size_bytes");
  try {
    load_hardware_config(file);
  } catch (const aimcsim::Error& e) {  // ConfigError is an aimcsim::Error
    const std::string what = e.what();
    CHECK(std::count(what.begin(), what.end(), '\n') == 3);
    CHECK(contains(what, "many_problems.toml:"));
  }
}

TEST_CASE("includes apply in order, then the including file, and later keys override") {
  TempDir dir;
  const std::string first =
      "schema_version = 1\n[tile]\nout_noise = 0.05\ndac_bits = 6\nadc_bits = 7\n";
  const std::string second = "schema_version = 1\n[tile]\nout_noise = 0.06\n";
  dir.write("fragments/first.toml", first);
  dir.write("fragments/second.toml", second);
  const std::string main = replace(
      replace(
          kValid, "schema_version = 1\n",
          "schema_version = 1\ninclude = [\"fragments/first.toml\", \"fragments/second.toml\"]\n"),
      "count = 4\n", "count = 4\ndac_bits = 4\n");
  const fs::path file = dir.write("main.toml", main);
  const HardwareConfig c = load_hardware_config(file);
  CHECK(c.tile.numerics.out_noise == doctest::Approx(0.06));  // second beats first
  CHECK(c.tile.numerics.dac_bits == 4);                       // includer beats includes
  CHECK(c.tile.numerics.adc_bits == 7);                       // only in first
  const auto second_file = (dir.path() / "fragments/second.toml").string();
  CHECK(c.source_of("tile.out_noise").file == second_file);
  CHECK(c.source_of("tile.out_noise").line == 3);
  CHECK(c.source_of("tile.dac_bits").file == file.string());
  CHECK(c.source_of("tile.dac_bits").line == line_of(main, "dac_bits = 4"));
}

TEST_CASE("an include cycle is an error naming the files of the cycle") {
  TempDir dir;
  const std::string a = "schema_version = 1\ninclude = [\"b.toml\"]\n";
  dir.write("b.toml", "schema_version = 1\ninclude = [\"a.toml\"]\n");
  const fs::path file = dir.write("a.toml", a);
  const auto d = only_problem_with(problems_of(file), "include");
  CHECK(d.where.file == (file.parent_path() / "b.toml").string());
  CHECK(d.where.line == 2);
  CHECK(contains(d.message, "include cycle"));
  CHECK(contains(d.message, "a.toml -> "));
  CHECK(contains(d.message, "b.toml -> "));
}

TEST_CASE("a missing include is an error at the include line naming the file") {
  TempDir dir;
  const std::string text =
      replace(kValid, "schema_version = 1\n",
              "schema_version = 1\ninclude = [\n  \"fragments/nope.toml\",\n]\n");
  const fs::path file = dir.write("inc.toml", text);
  const auto problems = problems_of(file);
  const auto d = only_problem_with(problems, "include");
  CHECK(d.where.file == file.string());
  CHECK(d.where.line == line_of(text, "nope.toml"));
  CHECK(contains(d.message, "fragments/nope.toml"));
  CHECK(problems.size() == 1);
}

TEST_CASE("every file, fragments included, must declare schema_version = 1") {
  TempDir dir;
  dir.write("frag.toml", "[tile]\nadc_bits = 6\n");
  const std::string text =
      replace(kValid, "schema_version = 1\n", "schema_version = 1\ninclude = [\"frag.toml\"]\n");
  const auto d = only_problem_with(problems_of(dir.write("main.toml", text)), "schema_version");
  CHECK(contains(d.where.file, "frag.toml"));

  const std::string v2 = replace(kValid, "schema_version = 1", "schema_version = 2");
  const auto v = only_problem_with(problems_of(dir.write("v2.toml", v2)), "schema_version");
  CHECK(v.where.line == 1);
}

TEST_CASE("a missing top-level file is a diagnostic, not a crash") {
  const auto problems = problems_of("/nonexistent/aimcsim/hw.toml");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].where.file == "/nonexistent/aimcsim/hw.toml");
  CHECK(contains(problems[0].message, "cannot open"));
}
