// TOML/JSON reading and writing of mappings (mapping_io.h).
#include "sim/mapping/mapping_io.h"

#include <toml++/toml.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace aimcsim {
namespace {

std::string extension_of(const std::filesystem::path& path) { return path.extension().string(); }

Target parse_target_or_throw(const std::string& where, const std::string& key,
                             const std::string& value) {
  if (auto t = parse_target(value)) return *t;
  throw MappingError(where + ": key '" + key + "': unknown target '" + value +
                     "'; expected \"analog\", \"int8\", \"fp16\" or \"skip\"");
}

std::string toml_where(const std::string& label, const toml::node& node) {
  const auto& src = node.source();
  if (src.begin.line == 0) return label;
  return label + ":" + std::to_string(src.begin.line);
}

// Walks a (possibly nested, from dotted bare keys) table, joining keys with '.'.
void read_toml_table(const toml::table& table, const std::string& prefix, const std::string& label,
                     Mapping& out) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (prefix.empty() && key == "schema_version" && node.is_integer()) continue;
    if (const auto* sub = node.as_table()) {
      read_toml_table(*sub, key, label, out);
      continue;
    }
    const auto* s = node.as_string();
    if (!s) {
      throw MappingError(toml_where(label, node) + ": key '" + key +
                         "': expected a string target (\"analog\"|\"int8\"|\"fp16\"|\"skip\")");
    }
    out.set(key, parse_target_or_throw(toml_where(label, node), key, s->get()));
  }
}

std::string quoted(const std::string& s) {
  return nlohmann::json(s).dump();  // JSON string escaping is valid TOML basic-string escaping
}

}  // namespace

Mapping parse_mapping_toml(std::string_view text, const std::string& label) {
  toml::table table;
  try {
    table = toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    throw MappingError(label + ":" + std::to_string(e.source().begin.line) +
                       ": TOML syntax error: " + std::string(e.description()));
  }
  Mapping m(label);
  read_toml_table(table, "", label, m);
  return m;
}

Mapping parse_mapping_json(std::string_view text, const std::string& label) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw MappingError(label + ": JSON syntax error at byte " + std::to_string(e.byte) +
                       "; expected an object of \"op\": \"target\" pairs");
  }
  if (!j.is_object()) {
    throw MappingError(label + ": expected a JSON object of \"op\": \"target\" pairs");
  }
  Mapping m(label);
  for (const auto& [key, value] : j.items()) {
    if (!value.is_string()) {
      throw MappingError(label + ": key '" + key +
                         "': expected a string target (\"analog\"|\"int8\"|\"fp16\"|\"skip\")");
    }
    m.set(key, parse_target_or_throw(label, key, value.get<std::string>()));
  }
  return m;
}

Mapping read_mapping_file(const std::filesystem::path& path) {
  const std::string label = path.string();
  const std::string ext = extension_of(path);
  if (ext != ".toml" && ext != ".json") {
    throw MappingError(label + ": unknown mapping file type '" + ext +
                       "'; expected a .toml or .json file, or a preset name "
                       "(all-digital, all-int8, all-analog, first-last-digital)");
  }
  std::ifstream in(path);
  if (!in) throw MappingError(label + ": cannot read the mapping file");
  std::ostringstream text;
  text << in.rdbuf();
  return ext == ".toml" ? parse_mapping_toml(text.str(), label)
                        : parse_mapping_json(text.str(), label);
}

void write_mapping_toml(const Mapping& mapping, std::ostream& out) {
  out << "# aimcsim mapping: one target (analog|int8|fp16|skip) per mappable op\n";
  out << "schema_version = 1\n";
  for (const auto& [name, target] : mapping.entries()) {
    out << quoted(name) << " = " << quoted(std::string(target_name(target))) << "\n";
  }
}

void write_mapping_json(const Mapping& mapping, std::ostream& out) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [name, target] : mapping.entries()) j[name] = std::string(target_name(target));
  out << j.dump(2) << "\n";
}

void write_mapping_file(const Mapping& mapping, const std::filesystem::path& path) {
  const std::string ext = extension_of(path);
  if (ext != ".toml" && ext != ".json") {
    throw MappingError(path.string() + ": unknown mapping file type '" + ext +
                       "'; expected .toml or .json");
  }
  std::ofstream out(path);
  if (!out) throw MappingError(path.string() + ": cannot write the mapping file");
  if (ext == ".toml") {
    write_mapping_toml(mapping, out);
  } else {
    write_mapping_json(mapping, out);
  }
}

Mapping resolve_mapping(const std::string& spec, const Graph& graph) {
  Mapping m = [&] {
    if (auto preset = parse_mapping_preset(spec)) return make_preset_mapping(*preset, graph);
    return read_mapping_file(spec);
  }();
  check_mapping(m, graph);
  return m;
}

}  // namespace aimcsim
