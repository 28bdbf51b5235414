// Mapping type, presets, checks and MAC/byte ratios (mapping.h).
#include "sim/mapping/mapping.h"

#include <string>

namespace aimcsim {

std::string_view target_name(Target t) {
  switch (t) {
    case Target::kAnalog:
      return "analog";
    case Target::kInt8:
      return "int8";
    case Target::kFp16:
      return "fp16";
    case Target::kSkip:
      return "skip";
  }
  return "?";
}

std::optional<Target> parse_target(std::string_view name) {
  for (Target t : {Target::kAnalog, Target::kInt8, Target::kFp16, Target::kSkip}) {
    if (target_name(t) == name) return t;
  }
  return std::nullopt;
}

std::optional<Target> Mapping::find(std::string_view op_name) const {
  const auto it = targets_.find(op_name);
  if (it == targets_.end()) return std::nullopt;
  return it->second;
}

Target Mapping::at(std::string_view op_name) const {
  if (auto t = find(op_name)) return *t;
  throw MappingError(source_ + ": mappable op '" + std::string(op_name) +
                     "' has no target; expected one of analog|int8|fp16|skip");
}

std::string_view preset_name(MappingPreset p) {
  switch (p) {
    case MappingPreset::kAllDigital:
      return "all-digital";
    case MappingPreset::kAllInt8:
      return "all-int8";
    case MappingPreset::kAllAnalog:
      return "all-analog";
    case MappingPreset::kFirstLastDigital:
      return "first-last-digital";
  }
  return "?";
}

const std::vector<MappingPreset>& all_mapping_presets() {
  static const std::vector<MappingPreset> kAll = {
      MappingPreset::kAllDigital, MappingPreset::kAllInt8, MappingPreset::kAllAnalog,
      MappingPreset::kFirstLastDigital};
  return kAll;
}

std::optional<MappingPreset> parse_mapping_preset(std::string_view name) {
  for (MappingPreset p : all_mapping_presets()) {
    if (preset_name(p) == name) return p;
  }
  return std::nullopt;
}

Mapping make_preset_mapping(MappingPreset preset, const Graph& graph) {
  Mapping m("preset " + std::string(preset_name(preset)));
  std::vector<OpId> mappable;
  for (OpId id : graph.ids()) {
    if (graph.op(id).mappable()) mappable.push_back(id);
  }
  for (std::size_t i = 0; i < mappable.size(); ++i) {
    Target t = Target::kAnalog;
    switch (preset) {
      case MappingPreset::kAllDigital:
        t = Target::kFp16;
        break;
      case MappingPreset::kAllInt8:
        t = Target::kInt8;
        break;
      case MappingPreset::kAllAnalog:
        t = Target::kAnalog;
        break;
      case MappingPreset::kFirstLastDigital:
        t = (i == 0 || i + 1 == mappable.size()) ? Target::kFp16 : Target::kAnalog;
        break;
    }
    m.set(graph.op(mappable[i]).name, t);
  }
  return m;
}

void check_mapping(const Mapping& mapping, const Graph& graph) {
  for (const auto& [name, target] : mapping.entries()) {
    const auto id = graph.find(name);
    if (!id) {
      throw MappingError(mapping.source() + ": key '" + name + "': no op named '" + name +
                         "' in graph '" + graph.name() + "'; expected a conv2d or linear op name");
    }
    const Op& op = graph.op(*id);
    if (!op.mappable()) {
      throw MappingError(mapping.source() + ": key '" + name + "': op '" + name + "' is " +
                         std::string(op_kind_name(op.kind)) +
                         ", not mappable; expected only conv2d and linear ops");
    }
  }
  std::string missing;
  int missing_count = 0;
  int mappable_count = 0;
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    if (!op.mappable()) continue;
    ++mappable_count;
    if (mapping.find(op.name)) continue;
    if (missing_count < 8) missing += (missing.empty() ? "" : ", ") + op.name;
    ++missing_count;
  }
  if (missing_count > 0) {
    throw MappingError(mapping.source() + ": " + std::to_string(missing_count) + " of " +
                       std::to_string(mappable_count) + " mappable ops of graph '" + graph.name() +
                       "' have no target: " + missing + (missing_count > 8 ? ", ..." : "") +
                       "; expected a key per conv2d/linear op (analog|int8|fp16|skip)");
  }
}

Target target_of(const Op& op, const Mapping& mapping, Target default_digital) {
  if (op.mappable()) return mapping.at(op.name);
  return default_digital;
}

std::int64_t analog_macs(const Graph& graph, const Mapping& mapping) {
  std::int64_t macs = 0;
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    if (op.mappable() && mapping.find(op.name) == Target::kAnalog) macs += op.stats.macs;
  }
  return macs;
}

double analog_mac_ratio(const Graph& graph, const Mapping& mapping) {
  const std::int64_t total = graph.totals().mappable_macs;
  if (total == 0) return 0.0;
  return static_cast<double>(analog_macs(graph, mapping)) / static_cast<double>(total);
}

std::int64_t digital_weight_bytes(const Graph& graph, const Mapping& mapping) {
  std::int64_t bytes = 0;
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    if (!op.mappable()) continue;
    const auto t = mapping.find(op.name);
    if (t == Target::kInt8) bytes += op.weight_bytes(8);
    if (t == Target::kFp16) bytes += op.weight_bytes(16);
  }
  return bytes;
}

}  // namespace aimcsim
