// Search method names (search_method.h).
#include "mapping/search_method.h"

#include <array>
#include <utility>

namespace aimcsim {
namespace {

constexpr std::array<std::pair<SearchMethod, std::string_view>, 7> kNames = {{
    {SearchMethod::kHilal, "hilal"},
    {SearchMethod::kHilalHni, "hilal-hni"},
    {SearchMethod::kHilalScr, "hilal-scr"},
    {SearchMethod::kHilalEnergy, "hilal-energy"},
    {SearchMethod::kLionheart, "lionheart"},
    {SearchMethod::kMps, "mps"},
    {SearchMethod::kMpaas, "mpaas"},
}};

}  // namespace

std::string_view search_method_name(SearchMethod method) {
  for (const auto& [m, name] : kNames) {
    if (m == method) return name;
  }
  return "?";
}

std::optional<SearchMethod> parse_search_method(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (n == name) return m;
  }
  return std::nullopt;
}

const std::vector<SearchMethod>& all_search_methods() {
  static const std::vector<SearchMethod> kAll = [] {
    std::vector<SearchMethod> all;
    for (const auto& [m, name] : kNames) all.push_back(m);
    return all;
  }();
  return kAll;
}

std::string search_methods_text() {
  std::string text;
  for (const auto& [m, name] : kNames) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

}  // namespace aimcsim
