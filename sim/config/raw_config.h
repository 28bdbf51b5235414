// Raw layer of the hardware-config loader (DESIGN.md s.6): TOML files read,
// includes applied, every value flattened to a dotted key path and tagged with
// the file:line it came from. No meaning is given to keys here except
// `include` and `schema_version`; hardware_config.h resolves the rest.
//
// Include contract: a file's top-level `include = ["a.toml", ...]` names files
// relative to that file's folder. They are applied first, in order (each with
// its own includes first), then the including file's own keys; a later
// assignment of a key replaces an earlier one. A missing or unreadable file,
// an include cycle, a TOML syntax error, a malformed `include` and a file
// without `schema_version = kConfigSchemaVersion` are diagnostics naming the
// file and line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "sim/config/config_error.h"

namespace aimcsim {

// The one schema version this build reads; every config file must declare it.
inline constexpr std::int64_t kConfigSchemaVersion = 1;

struct RawValue {
  // monostate for non-scalars (arrays, date-times); type_name says which.
  using Scalar = std::variant<std::monostate, bool, std::int64_t, double, std::string>;
  Scalar value;
  std::string type_name;  // TOML type: integer, float, boolean, string, array, date-time, ...
  SourceLoc where;
};

struct RawConfig {
  std::string top_file;                     // the file the user named
  std::map<std::string, RawValue> values;   // leaf key path -> its last assignment
  std::map<std::string, SourceLoc> tables;  // table key path -> where it was first opened
  std::vector<std::string> files;           // every file applied, in application order
  bool complete = true;                     // false if some file could not be read or parsed
};

// Reads `file` and its includes. Problems are added to `diagnostics`; the
// result holds whatever could be read.
RawConfig read_raw_config(const std::filesystem::path& file, Diagnostics& diagnostics);

}  // namespace aimcsim
