// Runs one sweep point (issue 16 item 2): the base config with the point's overrides,
// the workload's graph, its mapping -> simulate_isolated() (a forked child per run, so
// any number of runs fit in one process), and with [accuracy] the `eval` job
// (nn::evaluate_trained) at the spec's drift times and seeds; with [bench] the cell's
// AnalogNAS-Bench training and metrics (nn/analognas/cell_bench.h).
//
// Contract: run() never throws for a point's own problem (a config the overrides make
// invalid, a mapping that does not fit, a crashed child): it returns ok = false with the
// error text (one line; newlines become "; "). Graphs, resolved mappings and the
// Fashion-MNIST data are built once per runner and reused. Metrics are a pure function
// of the point (seeded), so any rank gives the same numbers.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "explore/point_metrics.h"
#include "explore/sweep_points.h"
#include "sim/graph/graph.h"

namespace aimcsim::explore {

class PointRunner {
 public:
  PointRunner(const SweepSpec& spec, int rank);
  ~PointRunner();
  PointResult run(const SweepPoint& point);

 private:
  struct Data;
  const Graph& graph_of(int workload);
  const Data& data(const std::string& data_dir, std::int64_t test_limit);  // loaded once
  std::vector<double> accuracy_of(const SweepPoint& point, const HardwareConfig& config);
  // [bench]: the cell trained and measured (nn/analognas/cell_bench.h), its columns' values.
  std::vector<double> bench_of(const SweepPoint& point, const HardwareConfig& config);

  const SweepSpec& spec_;
  int rank_;
  std::string host_;
  std::map<int, Graph> graphs_;
  std::unique_ptr<Data> data_;  // datasets, loaded on first accuracy point
};

}  // namespace aimcsim::explore
