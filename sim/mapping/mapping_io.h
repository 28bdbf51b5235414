// Reading and writing Mapping files (mapping.h).
//
// TOML: one `op = "target"` per mappable op at the top level; keys may be
// quoted ("layer1.0.conv1") or dotted bare keys (layer1.0.conv1, which TOML
// reads as nested tables and this reader joins back with '.'). An optional
// integer `schema_version = 1` is accepted. JSON: one object of
// "op": "target" pairs. Targets: "analog", "int8", "fp16", "skip".
// Problems (unreadable file, syntax error, non-string value, unknown target)
// throw MappingError "FILE[:LINE]: key 'K': problem; expected ...".
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include "sim/mapping/mapping.h"

namespace aimcsim {

// By extension: .toml or .json (anything else is an error naming the file).
Mapping read_mapping_file(const std::filesystem::path& path);
Mapping parse_mapping_toml(std::string_view text, const std::string& label);
Mapping parse_mapping_json(std::string_view text, const std::string& label);

void write_mapping_toml(const Mapping& mapping, std::ostream& out);
void write_mapping_json(const Mapping& mapping, std::ostream& out);
// By extension of `path`, as read_mapping_file().
void write_mapping_file(const Mapping& mapping, const std::filesystem::path& path);

// `spec` is a preset name (all-digital, all-int8, all-analog,
// first-last-digital) or a mapping file; the result is checked against the
// graph (check_mapping()).
Mapping resolve_mapping(const std::string& spec, const Graph& graph);

}  // namespace aimcsim
