// One sweep point (point_runner.h).
#include "explore/point_runner.h"

#include <chrono>

#include "nn/data/fmnist.h"
#include "nn/eval/layer_numerics.h"
#include "nn/eval/loaded_model.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/engine/isolated_simulation.h"
#include "sim/import/workload.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::explore {

struct PointRunner::Data {
  nn::Dataset train;
  nn::Dataset test;
};

PointRunner::PointRunner(const SweepSpec& spec, int rank)
    : spec_(spec), rank_(rank), host_(host_name()) {}

PointRunner::~PointRunner() = default;

const Graph& PointRunner::graph_of(int workload) {
  auto it = graphs_.find(workload);
  if (it == graphs_.end()) {
    const SweepWorkload& w = spec_.workloads.at(workload);
    Graph g = w.model.empty() ? load_workload(workload_files(w)).graph
                              : nn::model_to_graph(*nn::make_model(w.model));
    it = graphs_.emplace(workload, std::move(g)).first;
  }
  return it->second;
}

std::vector<double> PointRunner::accuracy_of(const SweepPoint& point,
                                             const HardwareConfig& config) {
  const AccuracySpec& a = spec_.accuracy;
  data(a.data_dir, a.test_limit);
  const SweepWorkload& w = spec_.workloads.at(point.workload);
  nn::EvalOptions eval;
  eval.times_s = a.times_s;
  eval.seeds = a.seeds;
  eval.seed = a.seed;
  eval.progress = false;
  const nn::EvalResult r =
      nn::evaluate_trained({w.model, w.ckpt, w.mappings.at(point.mapping).spec},
                           nn::analog_setup_of(config), data_->train, data_->test, eval);
  std::vector<double> out;
  for (const nn::TimeAccuracy& t : r.times) {
    out.push_back(100.0 * t.mean);
    out.push_back(100.0 * t.std);
  }
  return out;
}

const PointRunner::Data& PointRunner::data(const std::string& data_dir, std::int64_t test_limit) {
  if (!data_) {
    const std::string dir = data_dir.empty() ? nn::kFmnistDir : data_dir;
    data_ = std::make_unique<Data>();
    data_->train = nn::load_fmnist(nn::Split::kTrain, dir);
    data_->test = nn::dataset_head(nn::load_fmnist(nn::Split::kTest, dir), test_limit);
  }
  return *data_;
}

std::vector<double> PointRunner::bench_of(const SweepPoint& point, const HardwareConfig& config) {
  const BenchSpec& b = spec_.bench;
  const Data& d = data(b.data_dir, b.settings.test_limit);
  const nn::Nb201Cell cell = nn::parse_nb201_code(spec_.workloads.at(point.workload).label);
  return nn::cell_bench_values(
      nn::run_cell_bench(cell, b.settings, nn::analog_setup_of(config), d.train, d.test));
}

PointResult PointRunner::run(const SweepPoint& point) {
  const auto start = std::chrono::steady_clock::now();
  PointResult result;
  result.index = point.index;
  result.rank = rank_;
  result.host = host_;
  const std::size_t columns = metric_columns(spec_).size();
  result.metrics.assign(columns, std::nullopt);
  try {
    const HardwareConfig config = load_hardware_config(spec_.base_config, point.overrides);
    const Graph& graph = graph_of(point.workload);
    const Mapping mapping =
        resolve_mapping(spec_.workloads.at(point.workload).mappings.at(point.mapping).spec, graph);
    const Report report = simulate_isolated(graph, mapping, config, {.samples = spec_.samples});
    std::vector<double> values = report_metrics(report);
    if (spec_.accuracy.enabled) {
      for (double v : accuracy_of(point, config)) values.push_back(v);
    }
    if (spec_.bench.enabled) {
      for (double v : bench_of(point, config)) values.push_back(v);
    }
    for (std::size_t i = 0; i < values.size() && i < columns; ++i) result.metrics[i] = values[i];
    result.ok = true;
  } catch (const std::exception& e) {
    result.ok = false;
    result.error = e.what();
    for (char& c : result.error) {
      if (c == '\n') c = ';';
    }
    result.metrics.assign(columns, std::nullopt);
  }
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace aimcsim::explore
