// On-disk Report cache (report_cache.h).
#include "mapping/report_cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/config/param_table.h"
#include "sim/graph/trace_writer.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"
#include "sim/report/report_json_reader.h"

namespace aimcsim {
namespace {

constexpr int kCacheFormat = 1;

std::string version_text() {
  return fmt::format("aimcsim {} oracle-cache {}", AIMCSIM_VERSION, kCacheFormat);
}

std::string mapping_text(const Mapping& mapping, int samples) {
  std::ostringstream out;
  write_mapping_toml(mapping, out);
  out << "samples = " << samples << "\n";
  return out.str();
}

}  // namespace

std::string stable_hash_hex(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;  // FNV-1a 64 prime
  }
  return fmt::format("{:016x}", h);
}

std::string config_key_text(const HardwareConfig& config) {
  std::string text;
  for (const ParamDecl& d : hardware_param_decls()) {
    text += d.key + " = " + format_param_value(d.get(config)) + "\n";
  }
  return text;
}

std::filesystem::path default_oracle_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::filesystem::path(xdg) / "aimcsim" / "oracle";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::filesystem::path(home) / ".cache" / "aimcsim" / "oracle";
  }
  return std::filesystem::temp_directory_path() / "aimcsim-oracle";
}

ReportCache::ReportCache(std::filesystem::path dir, const HardwareConfig& config,
                         const Graph& graph)
    : dir_(std::move(dir)),
      config_hash_(stable_hash_hex(config_key_text(config))),
      graph_hash_(stable_hash_hex(trace_text(graph))) {}

ReportCache::Key ReportCache::key_of(const Mapping& mapping, int samples) const {
  Key k{stable_hash_hex(version_text()), config_hash_, graph_hash_,
        stable_hash_hex(mapping_text(mapping, samples)), ""};
  k.file = stable_hash_hex(k.version + k.config + k.graph + k.mapping);
  return k;
}

std::filesystem::path ReportCache::file_of(const Mapping& mapping, int samples) const {
  return dir_ / (key_of(mapping, samples).file + ".json");
}

std::optional<Report> ReportCache::load(const Mapping& mapping, int samples) const {
  const Key k = key_of(mapping, samples);
  const auto path = dir_ / (k.file + ".json");
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    if (j.at("version_hash") != k.version || j.at("config_hash") != k.config ||
        j.at("graph_hash") != k.graph || j.at("mapping_hash") != k.mapping) {
      return std::nullopt;  // another key with the same file hash, or an older format
    }
    return report_from_json(j.at("report"), path.string());
  } catch (const std::exception& e) {
    spdlog::warn("cost oracle: ignoring corrupt cache file {} ({}); recomputing", path.string(),
                 e.what());
    return std::nullopt;
  }
}

void ReportCache::store(const Mapping& mapping, int samples, const Report& report) const {
  const Key k = key_of(mapping, samples);
  const auto path = dir_ / (k.file + ".json");
  nlohmann::ordered_json j;
  j["version"] = version_text();
  j["version_hash"] = k.version;
  j["config_hash"] = k.config;
  j["graph_hash"] = k.graph;
  j["mapping_hash"] = k.mapping;
  nlohmann::ordered_json r = report_to_json(report);
  add_unit_utilisation_json(report, r);
  j["report"] = std::move(r);
  const auto tmp = path.string() + ".tmp" + std::to_string(::getpid());
  try {
    std::filesystem::create_directories(dir_);
    write_text_file(tmp, j.dump() + "\n");
    std::filesystem::rename(tmp, path);
  } catch (const std::exception& e) {
    spdlog::warn("cost oracle: cannot write cache file {} ({})", path.string(), e.what());
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
  }
}

}  // namespace aimcsim
