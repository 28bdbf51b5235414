// Scores one subnet of an MPS supernet on the phase-3 objectives (issue 13 item 6).
//
// Contract:
// - score(choice): validation accuracy at drift time t (batch norm recalibrated for the
//   subnet when options say so; the subnet materialised, its analog layers programmed
//   with eval_seed, read at t with compensation, INT8 layers at their recalibration
//   scales, skipped layers through their skip; as `aimcsim eval` does for one seed), plus
//   the whole network's simulated latency and energy for that mapping (the cost oracle,
//   cached; a skipped layer is simulated as removed, its projection not priced), digital
//   weight bytes and analog MAC ratio from the graph.
// - accuracy(choice) measures the validation accuracy alone, every call.
// - Results of score() are memoised by choice: weights are frozen in phase 3 and every draw is
// seeded,
//   so the same choice scores the same. preload() restores memoised scores after a resume.
// - objectives(s) = {1 - accuracy, latency_ns, energy_pj, digital_weight_bytes}, all to be
//   minimised (pareto.h).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mapping/cost_oracle.h"
#include "mapping/pareto.h"
#include "nn/data/fmnist.h"
#include "nn/eval/layer_numerics.h"
#include "nn/supernet/supernet.h"

namespace aimcsim::mapping {

struct SubnetScore {
  std::vector<int> choice;
  double accuracy = 0.0;  // fraction, validation images at the drift time
  double latency_ns = 0.0;
  double energy_pj = 0.0;
  std::int64_t digital_weight_bytes = 0;
  double analog_mac_ratio = 0.0;
};

nlohmann::json score_to_json(const SubnetScore& s, const nn::Supernet& supernet);
SubnetScore score_from_json(const nlohmann::json& j);
Objectives objectives(const SubnetScore& s);

struct ScorerOptions {
  nn::AnalogSetup analog;
  double drift_s = 86400.0;  // FACTS.md s.5 (1 day)
  std::uint64_t eval_seed = 0;
  bool bn_recalibration = true;
  std::int64_t batch_size = 500;
};

class SubnetScorer final {
 public:
  // Keeps references to all arguments.
  SubnetScorer(nn::Supernet& supernet, const Graph& graph, CostOracle& oracle,
               const nn::Dataset& validation, const at::Tensor& recalibration_images,
               ScorerOptions options);

  const SubnetScore& score(const std::vector<int>& choice);
  // The validation accuracy of score(), measured now with the current weights (not
  // memoised: the fine-tune of the extracted subnet changes the weights).
  double accuracy(const std::vector<int>& choice);
  // The same with batch-norm recalibration switched on or off for this call.
  double accuracy(const std::vector<int>& choice, bool bn_recalibration);
  void preload(const SubnetScore& s);
  const std::map<std::vector<int>, SubnetScore>& scored() const { return memo_; }
  int evaluations() const { return evaluations_; }

 private:
  nn::Supernet& supernet_;
  const Graph& graph_;
  CostOracle& oracle_;
  const nn::Dataset& validation_;
  at::Tensor recalibration_images_;
  ScorerOptions options_;
  std::map<std::vector<int>, SubnetScore> memo_;
  int evaluations_ = 0;
};

}  // namespace aimcsim::mapping
