// Resolved layer of the hardware-config loader (hardware_config.h): raw values
// checked against the parameter table, defaults applied, cross-checks run.
#include "sim/config/hardware_config.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <set>

#include "sim/config/config_override.h"
#include "sim/config/hardware_checks.h"
#include "sim/config/key_suggestion.h"
#include "sim/config/param_table.h"
#include "sim/config/raw_config.h"

namespace aimcsim {
namespace {

std::string unit_suffix(const ParamDecl& d) {
  return d.unit.empty() ? "" : fmt::format(" [{}]", d.unit);
}

std::string expected_text(const ParamDecl& d) {
  std::string text = d.type_text() + unit_suffix(d);
  const std::string range = d.range_text();
  if (!range.empty()) text += ", " + range;
  return text;
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& known,
                         std::string_view open = "", std::string_view close = "") {
  const auto best = closest_name(wrong, known);
  return best ? fmt::format(" (did you mean {}{}{}?)", open, *best, close) : "";
}

// Reports tables and keys that no declaration knows.
void check_unknown_keys(const RawConfig& raw, Diagnostics& diag) {
  std::vector<std::string> keys;
  for (const auto& d : hardware_param_decls()) keys.push_back(d.key);
  const auto& sections = hardware_config_sections();
  std::vector<std::string> reported;  // prefixes already reported
  for (const auto& [path, where] : raw.tables) {
    const bool is_section = path.find('.') == std::string::npos;
    if (is_section && std::find(sections.begin(), sections.end(), path) != sections.end()) {
      continue;
    }
    const std::string hint =
        is_section ? did_you_mean(path, sections, "[", "]") : did_you_mean(path, keys);
    diag.add(where, path,
             is_section ? fmt::format("unknown section [{}]{}", path, hint)
                        : fmt::format("unknown key (a table where none is expected){}", hint));
    reported.push_back(path + ".");
  }
  for (const auto& [path, value] : raw.values) {
    const bool under_reported = std::any_of(reported.begin(), reported.end(), [&](auto& p) {
      return path.compare(0, p.size(), p) == 0;
    });
    if (under_reported || find_param_decl(path) != nullptr) continue;
    diag.add(value.where, path, "unknown key" + did_you_mean(path, keys));
  }
}

// The raw value as the declared kind, in range; nullopt (and a diagnostic) if not.
std::optional<ParamValue> convert(const ParamDecl& d, const RawValue& raw, Diagnostics& diag) {
  const auto wrong_type = [&] {
    diag.add(raw.where, d.key, fmt::format("expected {}, got {}", expected_text(d), raw.type_name));
    return std::nullopt;
  };
  std::optional<double> number;
  ParamValue value;
  switch (d.kind) {
    case ParamKind::kBool:
      if (!std::holds_alternative<bool>(raw.value)) return wrong_type();
      return ParamValue{std::get<bool>(raw.value)};
    case ParamKind::kChoice: {
      if (!std::holds_alternative<std::string>(raw.value)) return wrong_type();
      const auto& name = std::get<std::string>(raw.value);
      if (std::find(d.choices.begin(), d.choices.end(), name) != d.choices.end()) {
        return ParamValue{name};
      }
      diag.add(raw.where, d.key,
               fmt::format("expected {}, got \"{}\"{}", d.type_text(), name,
                           did_you_mean(name, d.choices, "\"", "\"")));
      return std::nullopt;
    }
    case ParamKind::kInt:
      if (!std::holds_alternative<std::int64_t>(raw.value)) return wrong_type();
      value = std::get<std::int64_t>(raw.value);
      number = static_cast<double>(std::get<std::int64_t>(raw.value));
      break;
    case ParamKind::kFloat:
      if (const auto* i = std::get_if<std::int64_t>(&raw.value)) {
        number = static_cast<double>(*i);
      } else if (const auto* f = std::get_if<double>(&raw.value)) {
        number = *f;
      } else {
        return wrong_type();
      }
      value = *number;
      break;
  }
  const bool below = d.min_exclusive ? !(*number > d.min) : !(*number >= d.min);
  if (std::isnan(*number) || below || *number > d.max) {
    diag.add(raw.where, d.key,
             fmt::format("expected {}, got {}", expected_text(d), format_param_value(value)));
    return std::nullopt;
  }
  return value;
}

}  // namespace

SourceLoc HardwareConfig::source_of(const std::string& key) const {
  const auto it = provenance.find(key);
  return it == provenance.end() ? SourceLoc{} : it->second;
}

HardwareConfig load_hardware_config(const std::filesystem::path& file) {
  return load_hardware_config(file, {});
}

bool check_config_override(const ConfigOverride& override, Diagnostics& diagnostics) {
  const ParamDecl* d = find_param_decl(override.key);
  if (d == nullptr) {
    std::vector<std::string> keys;
    for (const auto& decl : hardware_param_decls()) keys.push_back(decl.key);
    diagnostics.add(override.value.where, override.key,
                    "unknown key" + did_you_mean(override.key, keys));
    return false;
  }
  return convert(*d, override.value, diagnostics).has_value();
}

HardwareConfig load_hardware_config(const std::filesystem::path& file,
                                    const std::vector<ConfigOverride>& overrides) {
  Diagnostics diag;
  RawConfig raw = read_raw_config(file, diag);
  for (const ConfigOverride& o : overrides) raw.values[o.key] = o.value;
  HardwareConfig config;
  config.source_file = raw.top_file;
  check_unknown_keys(raw, diag);

  bool all_values_ok = raw.complete;
  for (const ParamDecl& d : hardware_param_decls()) {
    const auto it = raw.values.find(d.key);
    if (it != raw.values.end()) {
      if (const auto value = convert(d, it->second, diag)) {
        d.set(config, *value);
        config.provenance[d.key] = it->second.where;
        continue;
      }
      all_values_ok = false;
    } else if (!d.default_value && raw.complete) {
      // At the section header; line 1 of the top file if the section is absent.
      const auto section = raw.tables.find(d.section());
      const bool has_section = section != raw.tables.end();
      diag.add(has_section ? section->second : SourceLoc{raw.top_file, 1}, d.key,
               fmt::format("missing required key ({}: {}){}", expected_text(d), d.description,
                           has_section ? "" : fmt::format(" (no [{}] section)", d.section())));
      all_values_ok = false;
      continue;
    }
    if (d.default_value) {
      d.set(config, *d.default_value);
      config.provenance[d.key] = SourceLoc{};
    }
  }
  // Cross-field rules only make sense once every value is known and valid.
  if (all_values_ok) check_hardware_consistency(config, diag);
  diag.throw_if_any();
  return config;
}

std::filesystem::path default_hardware_config_path() {
  return std::filesystem::path(AIMCSIM_SOURCE_DIR) / "configs" / "default.toml";
}

}  // namespace aimcsim
