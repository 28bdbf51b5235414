// Closest-name suggestions for unknown config keys and choice values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aimcsim {

// Levenshtein edit distance between a and b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `wrong` if it is close enough to be a likely typo
// (or has the same last dotted component), else nullopt. For dotted key paths
// a key in the wrong section ("digital.dac_bits") finds "tile.dac_bits".
std::optional<std::string> closest_name(std::string_view wrong,
                                        const std::vector<std::string>& candidates);

}  // namespace aimcsim
