// The Mapping (DESIGN.md s.3): which target each mappable op of a Graph runs on.
//
// Contract:
// - A Mapping names ops by their Graph names; check_mapping() accepts it for a
//   graph only if it names every mappable op (conv2d, linear) exactly once and
//   nothing else. Each problem is a MappingError whose what() is one line naming
//   the mapping's source (file) and the offending key.
// - Files (mapping_io.h) are TOML (`"layer1.0.conv1" = "analog"`) or JSON
//   (`{"layer1.0.conv1": "analog"}`), chosen by extension; writing quotes every
//   key, so dotted op names round-trip.
// - Presets are resolved against a graph: all-digital (= every mappable op
//   fp16), all-int8, all-analog, first-last-digital (first and last mappable op
//   in topological order fp16, the rest analog).
// - Ops that are not mappable (norms, activations, pooling, attention matmuls)
//   are always digital, at RunParams::digital_precision; kSkip removes a layer
//   (its output aliases its input: zero time, zero energy; MPS supernets).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/error.h"
#include "sim/graph/graph.h"

namespace aimcsim {

enum class Target { kAnalog, kInt8, kFp16, kSkip };

std::string_view target_name(Target t);  // "analog", "int8", "fp16", "skip"
std::optional<Target> parse_target(std::string_view name);

class MappingError : public Error {
 public:
  using Error::Error;
};

class Mapping {
 public:
  explicit Mapping(std::string source = "<mapping>") : source_(std::move(source)) {}

  // Sets (or replaces) the target of `op_name`.
  void set(const std::string& op_name, Target target) { targets_[op_name] = target; }
  std::optional<Target> find(std::string_view op_name) const;
  // The target of `op_name`; throws MappingError if the mapping does not name it.
  Target at(std::string_view op_name) const;
  const std::map<std::string, Target, std::less<>>& entries() const { return targets_; }
  std::size_t size() const { return targets_.size(); }
  // Where the mapping came from (file path or "preset NAME"), used in errors.
  const std::string& source() const { return source_; }
  bool operator==(const Mapping& other) const { return targets_ == other.targets_; }

 private:
  std::string source_;
  std::map<std::string, Target, std::less<>> targets_;
};

enum class MappingPreset { kAllDigital, kAllInt8, kAllAnalog, kFirstLastDigital };

std::string_view preset_name(MappingPreset p);  // "all-digital", ...
std::optional<MappingPreset> parse_mapping_preset(std::string_view name);
const std::vector<MappingPreset>& all_mapping_presets();

Mapping make_preset_mapping(MappingPreset preset, const Graph& graph);

// Throws MappingError on: a key naming no op of the graph, a key naming a
// non-mappable op, a mappable op left out (all missing ops listed in one line).
void check_mapping(const Mapping& mapping, const Graph& graph);

// The target an op runs at: mapped ops their target; non-mappable ops with
// work run digitally at `default_digital` (kInt8 or kFp16).
Target target_of(const Op& op, const Mapping& mapping, Target default_digital);

// Analog MAC ratio (FACTS.md s.7): analog MACs / MACs of all mappable ops (0
// for a graph with no mappable MACs).
double analog_mac_ratio(const Graph& graph, const Mapping& mapping);
// MACs of mappable ops mapped to analog.
std::int64_t analog_macs(const Graph& graph, const Mapping& mapping);
// Bytes of the stationary weights kept in digital memory: INT8 ops 1 byte per
// weight, FP16 ops 2 bytes; analog and skipped ops 0. Bias excluded.
std::int64_t digital_weight_bytes(const Graph& graph, const Mapping& mapping);

}  // namespace aimcsim
