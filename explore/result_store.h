// The SQLite results store of a sweep (issue 16 item 3).
//
// Table `points`: one row per finished point, PRIMARY KEY `key` (point_key()), then
// point (index), workload, mapping, one column per axis (the value, typed), inputs (the
// overrides as JSON), status ('ok' | 'failed'), error, wall_s, rank, host, finished_utc,
// then every metric column (point_metrics.h; units in the names). Table `sweep_meta`:
// key/value pairs (spec, total_points, axes, metrics) that `sweep show` reads.
//
// Contract:
// - The database runs in WAL mode with synchronous = NORMAL and every insert() is its own
//   committed transaction, so a process killed at any moment (kill -9) loses no row that
//   insert() returned from; readers (sweep show) never block the writer.
// - insert() of a key already stored throws (a row is never duplicated or overwritten);
//   finished_keys() is what a resumed sweep skips.
// - Opening a store whose `points` table lacks a column this sweep needs (another spec's
//   axes or metrics) throws aimcsim::Error naming the column.
// - Only one process writes (rank 0); every SQLite error is an aimcsim::Error naming the
//   database file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "explore/point_metrics.h"
#include "explore/sweep_points.h"

struct sqlite3;

namespace aimcsim::explore {

// A value read back: NULL, integer, real or text.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  int column(const std::string& name) const;  // index, or -1
};

class ResultStore {
 public:
  // Opens (creating if needed) `path` for writing the rows of `spec`.
  ResultStore(const std::string& path, const SweepSpec& spec);
  // Opens an existing store read-only (sweep show / export).
  explicit ResultStore(const std::string& path);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  std::set<std::string> finished_keys() const;
  void insert(const SweepSpec& spec, const SweepPoint& point, const std::string& key,
              const PointResult& result);
  void set_meta(const std::string& key, const std::string& value);
  std::optional<std::string> meta(const std::string& key) const;
  // Every row (ORDER BY point), every column.
  ResultTable read_points() const;

 private:
  void exec(const std::string& sql) const;
  std::string path_;
  sqlite3* db_ = nullptr;
  std::vector<std::string> metric_columns_;
};

// Text of a cell for CSV and tables ("" for NULL; reals shortest round-trip).
std::string cell_text(const Cell& cell);
// The cell as a number, if it is one.
std::optional<double> cell_number(const Cell& cell);

}  // namespace aimcsim::explore
