// test-links: aimcsim_sim
// `--set KEY=VALUE` overrides (sim/config/config_override.h): parsing, checking like a
// key in a file, errors naming the flag, provenance for `config dump`.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/config/config_override.h"

using namespace aimcsim;

namespace {

const std::string kHermes = std::string(AIMCSIM_SOURCE_DIR) + "/configs/hermes.toml";

// The single diagnostic line of loading hermes.toml with `flags`.
std::string error_of(const std::vector<std::string>& flags) {
  try {
    load_hardware_config(kHermes, parse_set_flags(flags));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("--set values are typed as TOML reads them, bare words are strings") {
  CHECK(std::get<std::int64_t>(parse_set_flag("tile.count=32").value.value) == 32);
  CHECK(std::get<double>(parse_set_flag("tile.out_noise=0.05").value.value) == 0.05);
  CHECK(std::get<bool>(parse_set_flag("tile.drift_compensation=false").value.value) == false);
  CHECK(std::get<std::string>(parse_set_flag("tile.input_encoding=bit-serial").value.value) ==
        "bit-serial");
  CHECK(std::get<std::string>(parse_set_flag("run.weight_duplication=\"off\"").value.value) ==
        "off");
  const ConfigOverride o = parse_set_flag(" tile.adc_bits = 6 ");
  CHECK(o.key == "tile.adc_bits");
  CHECK(o.value.where.str() == "--set  tile.adc_bits = 6 ");
}

TEST_CASE("--set overrides the file and is the value's origin") {
  const HardwareConfig base = load_hardware_config(kHermes);
  REQUIRE(base.tile.count == 64);
  const HardwareConfig c =
      load_hardware_config(kHermes, parse_set_flags({"tile.count=32", "tile.adc_bits=6"}));
  CHECK(c.tile.count == 32);
  CHECK(c.tile.numerics.adc_bits == 6);
  CHECK(c.source_of("tile.count").str() == "--set tile.count=32");
  CHECK(c.source_of("tile.rows").str().find("hermes.toml:") != std::string::npos);
  std::ostringstream dump;
  dump_hardware_config(c, dump);
  CHECK(dump.str().find("--set tile.adc_bits=6") != std::string::npos);
  // A later --set of the same key wins.
  CHECK(load_hardware_config(kHermes, parse_set_flags({"tile.count=32", "tile.count=16"}))
            .tile.count == 16);
}

TEST_CASE("--set errors name the flag: unknown key with suggestion, type, range, cross-field") {
  CHECK(error_of({"tile.adc_bit=6"}) ==
        "--set tile.adc_bit=6: tile.adc_bit: unknown key (did you mean tile.adc_bits?)");
  CHECK(error_of({"tile.count=many"}) ==
        "--set tile.count=many: tile.count: expected integer [tiles], >= 1 and <= 65536, got "
        "string");
  CHECK(
      error_of({"tile.adc_bits=17"}).rfind("--set tile.adc_bits=17: tile.adc_bits: expected", 0) ==
      0);
  CHECK(error_of({"tile.input_encoding=pulse-widht"}).find("did you mean \"pulse-width\"") !=
        std::string::npos);
  // Cross-field rule: more ADCs than columns, located at the flag that broke it.
  CHECK(error_of({"tile.adcs_per_tile=512"})
            .rfind("--set tile.adcs_per_tile=512: tile.adcs_per_tile:", 0) == 0);
  // Two bad flags: both reported.
  const std::string two = error_of({"tile.count=0", "fabric.link_byte_per_cycle=8"});
  CHECK(two.find("--set tile.count=0") != std::string::npos);
  CHECK(two.find("did you mean fabric.link_bytes_per_cycle?") != std::string::npos);
}

TEST_CASE("malformed --set flags are errors naming the flag") {
  CHECK_THROWS_WITH_AS(parse_set_flag("tile.count"),
                       "--set tile.count: --set: expected KEY=VALUE (e.g. --set tile.adc_bits=6)",
                       ConfigError);
  CHECK_THROWS_AS(parse_set_flag("=5"), ConfigError);
}

TEST_CASE("check_config_override checks one value against the parameter table") {
  Diagnostics d;
  CHECK(check_config_override(parse_set_flag("tile.rows=512"), d));
  CHECK_FALSE(check_config_override(parse_set_flag("tile.rows=0"), d));
  CHECK_FALSE(check_config_override(parse_set_flag("tile.rowz=5"), d));
  REQUIRE(d.size() == 2);
  CHECK(d.list()[1].message == "unknown key (did you mean tile.rows?)");
}
