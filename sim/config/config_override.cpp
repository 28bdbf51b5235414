// Parsing of `--set KEY=VALUE` overrides (config_override.h). Loading with overrides
// lives in hardware_config.cpp, beside the checks it shares with the files.
#include "sim/config/config_override.h"

#include <fmt/format.h>

#include <toml++/toml.h>

namespace aimcsim {

RawValue parse_override_value(std::string_view text, SourceLoc where) {
  RawValue raw;
  raw.where = std::move(where);
  raw.value = std::string(text);
  raw.type_name = "string";
  toml::table parsed;
  try {
    parsed = toml::parse(fmt::format("v = {}\n", text));
  } catch (const toml::parse_error&) {
    return raw;  // not a TOML value: the text itself
  }
  const toml::node* node = parsed.get("v");
  if (node == nullptr) return raw;
  if (auto v = node->value_exact<bool>()) {
    raw.value = *v;
    raw.type_name = "boolean";
  } else if (auto i = node->value_exact<std::int64_t>()) {
    raw.value = *i;
    raw.type_name = "integer";
  } else if (auto f = node->value_exact<double>()) {
    raw.value = *f;
    raw.type_name = "float";
  } else if (auto s = node->value_exact<std::string>()) {
    raw.value = *s;
  } else {
    // Arrays, tables, dates: no parameter takes them; the loader reports the type.
    raw.value = std::monostate{};
    raw.type_name = node->is_array() ? "array" : node->is_table() ? "table" : "date-time";
  }
  return raw;
}

ConfigOverride parse_set_flag(std::string_view text) {
  const SourceLoc where{fmt::format("--set {}", text), 0};
  const auto eq = text.find('=');
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  if (eq == std::string_view::npos) {
    throw ConfigError({{where, "--set", "expected KEY=VALUE (e.g. --set tile.adc_bits=6)"}});
  }
  const std::string_view key = trim(text.substr(0, eq));
  if (key.empty()) {
    throw ConfigError({{where, "--set", "expected KEY=VALUE with a dotted key before '='"}});
  }
  return {std::string(key), parse_override_value(trim(text.substr(eq + 1)), where)};
}

std::vector<ConfigOverride> parse_set_flags(const std::vector<std::string>& texts) {
  std::vector<ConfigOverride> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(parse_set_flag(t));
  return out;
}

}  // namespace aimcsim
