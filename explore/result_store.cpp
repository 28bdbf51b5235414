// SQLite results store (result_store.h).
#include "explore/result_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "models/error.h"

namespace aimcsim::explore {
namespace {

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// Finalises a statement on scope exit.
struct Statement {
  sqlite3_stmt* s = nullptr;
  ~Statement() { sqlite3_finalize(s); }
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

int ResultTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string cell_text(const Cell& cell) {
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&cell)) return fmt::format("{}", *d);
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  return "";
}

std::optional<double> cell_number(const Cell& cell) {
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  return std::nullopt;
}

void ResultStore::exec(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error(fmt::format("{}: SQLite: {} (in: {})", path_, text, sql.substr(0, 80)));
  }
}

ResultStore::ResultStore(const std::string& path, const SweepSpec& spec)
    : path_(path), metric_columns_(metric_columns(spec)) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string text = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(fmt::format("{}: cannot open the results database: {}", path, text));
  }
  sqlite3_busy_timeout(db_, 10000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  std::vector<std::string> cols = {"key TEXT PRIMARY KEY", "point INTEGER", "workload TEXT",
                                   "mapping TEXT"};
  std::vector<std::string> names = {"key", "point", "workload", "mapping"};
  for (const auto& a : spec.axes) cols.push_back(quoted(a.name)), names.push_back(a.name);
  for (const char* c : {"inputs TEXT", "status TEXT", "error TEXT", "wall_s REAL", "rank INTEGER",
                        "host TEXT", "finished_utc TEXT"}) {
    cols.emplace_back(c);
    names.emplace_back(std::string(c).substr(0, std::string(c).find(' ')));
  }
  for (const auto& m : metric_columns_) cols.push_back(quoted(m) + " REAL"), names.push_back(m);
  exec(fmt::format("CREATE TABLE IF NOT EXISTS points ({})", fmt::join(cols, ", ")));
  exec("CREATE TABLE IF NOT EXISTS sweep_meta (key TEXT PRIMARY KEY, value TEXT)");
  const ResultTable existing = [&] {
    ResultTable t;
    Statement st;
    sqlite3_prepare_v2(db_, "SELECT name FROM pragma_table_info('points')", -1, &st.s, nullptr);
    while (sqlite3_step(st.s) == SQLITE_ROW) {
      t.columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
    }
    return t;
  }();
  for (const auto& n : names) {
    if (existing.column(n) < 0) {
      throw Error(
          fmt::format("{}: its points table has no column '{}': it holds another sweep's "
                      "results (use another --db)",
                      path, n));
    }
  }
}

ResultStore::ResultStore(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string text = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(fmt::format("{}: cannot open the results database: {}", path, text));
  }
  sqlite3_busy_timeout(db_, 10000);
}

ResultStore::~ResultStore() { sqlite3_close(db_); }

std::set<std::string> ResultStore::finished_keys() const {
  std::set<std::string> keys;
  Statement st;
  if (sqlite3_prepare_v2(db_, "SELECT key FROM points", -1, &st.s, nullptr) != SQLITE_OK) {
    throw Error(fmt::format("{}: SQLite: {}", path_, sqlite3_errmsg(db_)));
  }
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    keys.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
  }
  return keys;
}

void ResultStore::insert(const SweepSpec& spec, const SweepPoint& point, const std::string& key,
                         const PointResult& r) {
  const std::size_t n = 4 + spec.axes.size() + 7 + metric_columns_.size();
  std::vector<std::string> marks(n, "?");
  const std::string sql = fmt::format("INSERT INTO points VALUES ({})", fmt::join(marks, ","));
  Statement st;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) {
    throw Error(fmt::format("{}: SQLite: {}", path_, sqlite3_errmsg(db_)));
  }
  int i = 0;
  const auto text = [&](const std::string& s) {
    sqlite3_bind_text(st.s, ++i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  };
  const SweepWorkload& w = spec.workloads.at(point.workload);
  text(key);
  sqlite3_bind_int64(st.s, ++i, point.index);
  text(w.label);
  text(w.mappings.at(point.mapping).label);
  nlohmann::ordered_json inputs = nlohmann::ordered_json::object();
  for (const RawValue& v : point.axis_values) {
    if (const auto* b = std::get_if<bool>(&v.value)) {
      sqlite3_bind_int(st.s, ++i, *b ? 1 : 0);
    } else if (const auto* x = std::get_if<std::int64_t>(&v.value)) {
      sqlite3_bind_int64(st.s, ++i, *x);
    } else if (const auto* d = std::get_if<double>(&v.value)) {
      sqlite3_bind_double(st.s, ++i, *d);
    } else {
      text(raw_value_text(v));
    }
  }
  for (const auto& o : point.overrides) inputs[o.key] = raw_value_text(o.value);
  text(inputs.dump());
  text(r.ok ? "ok" : "failed");
  text(r.error);
  sqlite3_bind_double(st.s, ++i, r.wall_s);
  sqlite3_bind_int(st.s, ++i, r.rank);
  text(r.host);
  text(utc_now());
  for (std::size_t m = 0; m < metric_columns_.size(); ++m) {
    if (m < r.metrics.size() && r.metrics[m]) {
      sqlite3_bind_double(st.s, ++i, *r.metrics[m]);
    } else {
      sqlite3_bind_null(st.s, ++i);
    }
  }
  if (sqlite3_step(st.s) != SQLITE_DONE) {
    throw Error(fmt::format("{}: SQLite: cannot store point {}: {}", path_, point.index,
                            sqlite3_errmsg(db_)));
  }
}

void ResultStore::set_meta(const std::string& key, const std::string& value) {
  Statement st;
  sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO sweep_meta VALUES (?, ?)", -1, &st.s, nullptr);
  sqlite3_bind_text(st.s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.s, 2, value.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.s) != SQLITE_DONE) {
    throw Error(fmt::format("{}: SQLite: {}", path_, sqlite3_errmsg(db_)));
  }
}

std::optional<std::string> ResultStore::meta(const std::string& key) const {
  Statement st;
  if (sqlite3_prepare_v2(db_, "SELECT value FROM sweep_meta WHERE key = ?", -1, &st.s, nullptr) !=
      SQLITE_OK) {
    return std::nullopt;
  }
  sqlite3_bind_text(st.s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.s) != SQLITE_ROW) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.s, 0)));
}

ResultTable ResultStore::read_points() const {
  ResultTable t;
  Statement st;
  if (sqlite3_prepare_v2(db_, "SELECT * FROM points ORDER BY point", -1, &st.s, nullptr) !=
      SQLITE_OK) {
    throw Error(fmt::format("{}: not a sweep results database: {}", path_, sqlite3_errmsg(db_)));
  }
  const int n = sqlite3_column_count(st.s);
  for (int c = 0; c < n; ++c) t.columns.emplace_back(sqlite3_column_name(st.s, c));
  while (sqlite3_step(st.s) == SQLITE_ROW) {
    std::vector<Cell> row;
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(st.s, c)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(st.s, c)));
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(st.s, c));
          break;
        case SQLITE_NULL:
          row.emplace_back(std::monostate{});
          break;
        default:
          row.emplace_back(
              std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.s, c))));
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace aimcsim::explore
