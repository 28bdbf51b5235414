// Raw layer: reads TOML files, applies includes, flattens values (raw_config.h).
#include "sim/config/raw_config.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace aimcsim {
namespace {

int line_of(const toml::source_region& region) { return static_cast<int>(region.begin.line); }

std::string type_name_of(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::string:
      return "string";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    default:
      return "none";
  }
}

RawValue::Scalar scalar_of(const toml::node& node) {
  if (auto v = node.value_exact<bool>()) return *v;
  if (auto v = node.value_exact<std::int64_t>()) return *v;
  if (auto v = node.value_exact<double>()) return *v;
  if (auto v = node.value_exact<std::string>()) return *v;
  return std::monostate{};
}

class RawReader {
 public:
  RawReader(RawConfig& out, Diagnostics& diagnostics) : out_(out), diag_(diagnostics) {}

  // Applies `path` (shown to the user as `display`) and its includes.
  void apply_file(const std::filesystem::path& path, const std::string& display,
                  const SourceLoc& included_from);

 private:
  std::optional<toml::table> parse(const std::filesystem::path& path, const std::string& display,
                                   const SourceLoc& included_from);
  void apply_includes(const toml::table& table, const std::filesystem::path& path,
                      const std::string& display);
  void check_schema_version(const toml::table& table, const std::string& display);
  void flatten(const toml::table& table, const std::string& prefix, const std::string& display);

  RawConfig& out_;
  Diagnostics& diag_;
  std::vector<std::filesystem::path> stack_;  // canonical paths of files being applied
  std::vector<std::string> stack_display_;
};

std::optional<toml::table> RawReader::parse(const std::filesystem::path& path,
                                            const std::string& display,
                                            const SourceLoc& included_from) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    out_.complete = false;
    if (included_from.is_default()) {
      diag_.add({display, 0}, "<file>", "cannot open config file (missing or unreadable)");
    } else {
      diag_.add(included_from, "include",
                fmt::format("included file '{}' is missing or unreadable", display));
    }
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return toml::parse(text.str(), display);
  } catch (const toml::parse_error& e) {
    out_.complete = false;
    diag_.add({display, line_of(e.source())}, "<toml>",
              fmt::format("TOML syntax error: {}", e.description()));
    return std::nullopt;
  }
}

void RawReader::apply_file(const std::filesystem::path& path, const std::string& display,
                           const SourceLoc& included_from) {
  auto table = parse(path, display, included_from);
  if (!table) return;
  const auto canonical = std::filesystem::weakly_canonical(path);
  stack_.push_back(canonical);
  stack_display_.push_back(display);
  apply_includes(*table, path, display);
  stack_.pop_back();
  stack_display_.pop_back();
  check_schema_version(*table, display);
  out_.files.push_back(display);
  flatten(*table, "", display);
}

void RawReader::apply_includes(const toml::table& table, const std::filesystem::path& path,
                               const std::string& display) {
  const toml::node* node = table.get("include");
  if (node == nullptr) return;
  const toml::array* list = node->as_array();
  if (list == nullptr) {
    diag_.add({display, line_of(node->source())}, "include",
              fmt::format("expected an array of file names, got {}", type_name_of(*node)));
    return;
  }
  for (const toml::node& entry : *list) {
    const SourceLoc at{display, line_of(entry.source())};
    const auto name = entry.value_exact<std::string>();
    if (!name) {
      diag_.add(at, "include",
                fmt::format("expected a file name string, got {}", type_name_of(entry)));
      continue;
    }
    const auto target = path.parent_path() / *name;
    const std::string target_display =
        (std::filesystem::path(display).parent_path() / *name).lexically_normal().string();
    const auto canonical = std::filesystem::weakly_canonical(target);
    const auto in_stack = std::find(stack_.begin(), stack_.end(), canonical);
    if (in_stack != stack_.end()) {
      std::string cycle;
      for (auto it = stack_display_.begin() + (in_stack - stack_.begin());
           it != stack_display_.end(); ++it) {
        cycle += *it + " -> ";
      }
      diag_.add(at, "include", fmt::format("include cycle: {}{}", cycle, target_display));
      out_.complete = false;
      continue;
    }
    apply_file(target, target_display, at);
  }
}

void RawReader::check_schema_version(const toml::table& table, const std::string& display) {
  const toml::node* node = table.get("schema_version");
  if (node == nullptr) {
    diag_.add({display, 1}, "schema_version",
              fmt::format("missing required key (integer, must be {}) in every config file",
                          kConfigSchemaVersion));
    return;
  }
  const auto version = node->value_exact<std::int64_t>();
  if (!version || *version != kConfigSchemaVersion) {
    diag_.add(
        {display, line_of(node->source())}, "schema_version",
        fmt::format("expected integer {} (the schema this aimcsim reads)", kConfigSchemaVersion));
  }
}

void RawReader::flatten(const toml::table& table, const std::string& prefix,
                        const std::string& display) {
  for (auto&& [key, node] : table) {
    const std::string path =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (prefix.empty() && (path == "include" || path == "schema_version")) continue;
    int line = line_of(key.source());
    if (line == 0) line = line_of(node.source());
    if (const toml::table* sub = node.as_table()) {
      out_.tables.emplace(path, SourceLoc{display, line});
      flatten(*sub, path, display);
      continue;
    }
    out_.values[path] = RawValue{scalar_of(node), type_name_of(node), SourceLoc{display, line}};
  }
}

}  // namespace

RawConfig read_raw_config(const std::filesystem::path& file, Diagnostics& diagnostics) {
  RawConfig out;
  out.top_file = file.string();
  RawReader reader(out, diagnostics);
  reader.apply_file(file, out.top_file, SourceLoc{});
  return out;
}

}  // namespace aimcsim
