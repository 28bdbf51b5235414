// `config dump` and `config keys` output, both printed from the parameter
// table (hardware_config.h, param_table.h).
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "sim/config/hardware_config.h"
#include "sim/config/param_table.h"
#include "sim/config/raw_config.h"

namespace aimcsim {
namespace {

std::string leaf_of(const std::string& key) { return key.substr(key.find('.') + 1); }

std::size_t widest_leaf() {
  std::size_t width = 0;
  for (const auto& d : hardware_param_decls()) width = std::max(width, leaf_of(d.key).size());
  return width;
}

}  // namespace

void dump_hardware_config(const HardwareConfig& config, std::ostream& out) {
  const std::size_t key_width = widest_leaf();
  out << fmt::format("# aimcsim hardware config resolved from {}\n", config.source_file);
  out << "# each value: [unit] and where it came from (file:line, or default)\n";
  out << fmt::format("schema_version = {}\n", kConfigSchemaVersion);
  std::string section;
  for (const ParamDecl& d : hardware_param_decls()) {
    if (d.section() != section) {
      section = d.section();
      out << fmt::format("\n[{}]\n", section);
    }
    const std::string value = format_param_value(d.get(config));
    const std::string unit = d.unit.empty() ? "" : fmt::format("[{}] ", d.unit);
    out << fmt::format("{:<{}} = {:<14} # {}{}\n", leaf_of(d.key), key_width, value, unit,
                       config.source_of(d.key).str());
  }
}

void describe_hardware_params(std::ostream& out) {
  out << fmt::format("Hardware config keys (schema_version = {}; every file must set it).\n",
                     kConfigSchemaVersion);
  out << "A file may start with include = [\"fragments/x.toml\", ...]: included files apply "
         "first, in order; later keys override earlier ones.\n";
  std::string section;
  for (const ParamDecl& d : hardware_param_decls()) {
    if (d.section() != section) {
      section = d.section();
      out << fmt::format("\n[{}]\n", section);
    }
    const std::string fallback =
        d.default_value ? "default " + format_param_value(*d.default_value) : "required";
    const std::string unit = d.unit.empty() ? "" : fmt::format(" [{}]", d.unit);
    const std::string range = d.range_text();
    out << fmt::format("  {:<26} {}{}, {}{}\n      {}\n", d.key, d.type_text(), unit, fallback,
                       range.empty() ? "" : ", " + range, d.description);
  }
}

}  // namespace aimcsim
