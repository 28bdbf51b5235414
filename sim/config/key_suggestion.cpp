// Closest-name suggestions (key_suggestion.h).
#include "sim/config/key_suggestion.h"

#include <algorithm>
#include <limits>

namespace aimcsim {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

namespace {

std::string_view last_component(std::string_view key) {
  const auto dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

}  // namespace

std::optional<std::string> closest_name(std::string_view wrong,
                                        const std::vector<std::string>& candidates) {
  std::size_t best = std::numeric_limits<std::size_t>::max();
  const std::string* best_name = nullptr;
  for (const auto& candidate : candidates) {
    std::size_t score = edit_distance(wrong, candidate);
    // Same leaf in another section: as good as a two-letter typo.
    if (last_component(wrong) == last_component(candidate)) score = std::min<std::size_t>(score, 2);
    if (score < best) {
      best = score;
      best_name = &candidate;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, last_component(wrong).size() / 3);
  if (best_name == nullptr || best > limit) return std::nullopt;
  return *best_name;
}

}  // namespace aimcsim
