// Formatting of config diagnostics (see config_error.h).
#include "sim/config/config_error.h"

#include <fmt/format.h>

namespace aimcsim {

std::string SourceLoc::str() const {
  if (file.empty()) return "default";
  if (line <= 0) return file;
  return fmt::format("{}:{}", file, line);
}

std::string Diagnostic::str() const {
  const std::string place = where.file.empty() ? std::string("<config>") : where.str();
  return fmt::format("{}: {}: {}", place, key, message);
}

namespace {

std::string join_lines(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += d.str();
  }
  return text;
}

}  // namespace

ConfigError::ConfigError(std::vector<Diagnostic> diagnostics)
    : Error(join_lines(diagnostics)), diagnostics_(std::move(diagnostics)) {}

void Diagnostics::throw_if_any() const {
  if (!list_.empty()) throw ConfigError(list_);
}

}  // namespace aimcsim
