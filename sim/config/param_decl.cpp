// Text helpers of ParamDecl (param_decl.h).
#include "sim/config/param_decl.h"

#include <fmt/format.h>

#include <cmath>

namespace aimcsim {
namespace {

// Whole numbers without exponent or ".0" (65536, 1000000000000000), others shortest.
std::string number_text(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e16) {
    return fmt::format("{}", static_cast<long long>(x));
  }
  return fmt::format("{}", x);
}

}  // namespace

std::string ParamDecl::type_text() const {
  switch (kind) {
    case ParamKind::kInt:
      return "integer";
    case ParamKind::kFloat:
      return "float";
    case ParamKind::kBool:
      return "boolean";
    case ParamKind::kChoice: {
      std::string text = "one of ";
      for (std::size_t i = 0; i < choices.size(); ++i) {
        text += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", choices[i]);
      }
      return text;
    }
  }
  return "?";
}

std::string ParamDecl::range_text() const {
  if (kind != ParamKind::kInt && kind != ParamKind::kFloat) return "";
  const bool has_min = std::isfinite(min);
  const bool has_max = std::isfinite(max);
  const std::string lo = fmt::format("{} {}", min_exclusive ? ">" : ">=", number_text(min));
  const std::string hi = fmt::format("<= {}", number_text(max));
  if (has_min && has_max) return lo + " and " + hi;
  if (has_min) return lo;
  if (has_max) return hi;
  return "";
}

std::string format_param_value(const ParamValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return fmt::format("\"{}\"", v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          std::string text = fmt::format("{}", v);  // shortest round-trip form
          if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
          return text;
        } else {
          return fmt::format("{}", v);
        }
      },
      value);
}

}  // namespace aimcsim
