// The mapping searches (issue 13 item 10): one enum, each method's name declared once here.
// `aimcsim map`, `compare` and `demo` name searches by these names; mapping/search.h runs
// them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aimcsim {

enum class SearchMethod {
  kHilal,        // HILAL: HNI + SCR k-means, then LAFT (FACTS.md s.4)
  kHilalHni,     // ablation: HNI only
  kHilalScr,     // ablation: SCR only
  kHilalEnergy,  // HILAL sensitivity vs simulated saving, Pareto front
  kLionheart,    // greedy fine-tune + 1-day check (FACTS.md s.5)
  kMps,          // mixed-precision supernet (FACTS.md s.6)
  kMpaas,        // MPS with model adaptation (layers widened to the tiles)
};

std::string_view search_method_name(SearchMethod method);
std::optional<SearchMethod> parse_search_method(std::string_view name);
const std::vector<SearchMethod>& all_search_methods();
// "hilal, hilal-hni, ..., mpaas".
std::string search_methods_text();

}  // namespace aimcsim
