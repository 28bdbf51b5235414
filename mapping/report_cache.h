// On-disk cache of simulated Reports for the cost oracle (cost_oracle.h).
//
// Contract:
// - An entry is keyed by four texts: the aimcsim version (AIMCSIM_VERSION) and the cache
//   format, the resolved hardware config (every declared parameter's `key = value` as
//   `aimcsim config dump` prints it, without the comments naming where values came
//   from, so moving or re-commenting a file keeps its entries), the graph (its trace
//   text, sim/graph/trace_writer.h), and the mapping plus the sample count. Changing any
//   value of the config, any op of the graph, the version or the mapping is a miss.
// - One file per entry, `DIR/<64-bit FNV-1a hex of the key>.json`, holding the FNV-1a
//   hashes of the four parts (checked on load: a hash collision is a miss) and the
//   Report (report_to_json + per-unit utilisation).
// - load(): a missing file is a miss; an unreadable, truncated or otherwise corrupt file
//   is a miss with one spdlog warning naming the file (then store() overwrites it);
//   never a crash. store() writes a temporary file and renames it into place, so a
//   reader never sees half an entry; a failed write is a warning, not an error.
// - The report's `config` and `mapping` strings are set by the caller (they name files,
//   which are not part of the key).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"
#include "sim/report/report.h"

namespace aimcsim {

// 64-bit FNV-1a of `text` as 16 lower-case hex digits (stable across runs and machines).
std::string stable_hash_hex(const std::string& text);

// The config part of the key: `key = value` lines of every declared parameter.
std::string config_key_text(const HardwareConfig& config);

// $XDG_CACHE_HOME/aimcsim/oracle, else $HOME/.cache/aimcsim/oracle, else
// <temp dir>/aimcsim-oracle.
std::filesystem::path default_oracle_cache_dir();

class ReportCache final {
 public:
  // Hashes the config and graph once.
  ReportCache(std::filesystem::path dir, const HardwareConfig& config, const Graph& graph);

  std::optional<Report> load(const Mapping& mapping, int samples) const;
  void store(const Mapping& mapping, int samples, const Report& report) const;
  std::filesystem::path file_of(const Mapping& mapping, int samples) const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Key {
    std::string version, config, graph, mapping;  // hashes of the parts
    std::string file;                             // hash of the whole key
  };
  Key key_of(const Mapping& mapping, int samples) const;

  std::filesystem::path dir_;
  std::string config_hash_;
  std::string graph_hash_;
};

}  // namespace aimcsim
