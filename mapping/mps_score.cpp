// Phase-3 subnet scoring (mps_score.h).
#include "mapping/mps_score.h"

#include <torch/torch.h>

#include "nn/train/trainer.h"

namespace aimcsim::mapping {

nlohmann::json score_to_json(const SubnetScore& s, const nn::Supernet& supernet) {
  nlohmann::json mapping;
  for (std::size_t l = 0; l < s.choice.size(); ++l) {
    mapping[supernet.layers()[l].name] =
        target_name(supernet.layers()[l].candidates[static_cast<std::size_t>(s.choice[l])]);
  }
  return {{"choice", s.choice},
          {"validation_accuracy", s.accuracy},
          {"latency_ns", s.latency_ns},
          {"energy_pj", s.energy_pj},
          {"digital_weight_bytes", s.digital_weight_bytes},
          {"analog_mac_ratio", s.analog_mac_ratio},
          {"mapping", mapping}};
}

SubnetScore score_from_json(const nlohmann::json& j) {
  SubnetScore s;
  s.choice = j.at("choice").get<std::vector<int>>();
  s.accuracy = j.at("validation_accuracy").get<double>();
  s.latency_ns = j.at("latency_ns").get<double>();
  s.energy_pj = j.at("energy_pj").get<double>();
  s.digital_weight_bytes = j.at("digital_weight_bytes").get<std::int64_t>();
  s.analog_mac_ratio = j.at("analog_mac_ratio").get<double>();
  return s;
}

Objectives objectives(const SubnetScore& s) {
  return {1.0 - s.accuracy, s.latency_ns, s.energy_pj, static_cast<double>(s.digital_weight_bytes)};
}

SubnetScorer::SubnetScorer(nn::Supernet& supernet, const Graph& graph, CostOracle& oracle,
                           const nn::Dataset& validation, const at::Tensor& recalibration_images,
                           ScorerOptions options)
    : supernet_(supernet),
      graph_(graph),
      oracle_(oracle),
      validation_(validation),
      recalibration_images_(recalibration_images),
      options_(std::move(options)) {}

void SubnetScorer::preload(const SubnetScore& s) { memo_[s.choice] = s; }

double SubnetScorer::accuracy(const std::vector<int>& choice) {
  return accuracy(choice, options_.bn_recalibration);
}

double SubnetScorer::accuracy(const std::vector<int>& choice, bool bn_recalibration) {
  ++evaluations_;
  const std::vector<int> previous = supernet_.active();
  const Mapping mapping = supernet_.mapping_of(choice);
  const nn::Int8Scales scales =
      supernet_.recalibrate(choice, recalibration_images_, 128, bn_recalibration);
  double accuracy = 0.0;
  {
    const auto weights = supernet_.materialise(choice);
    nn::MappedModel mapped(supernet_.model(), mapping, options_.analog, scales);  // skips too
    if (mapped.has_analog()) {
      mapped.program(options_.eval_seed);
      mapped.read_at(options_.drift_s, options_.eval_seed);
    }
    accuracy = nn::evaluate(supernet_.model(), validation_, options_.batch_size);
  }
  supernet_.activate(previous);  // training executors back
  return accuracy;
}

const SubnetScore& SubnetScorer::score(const std::vector<int>& choice) {
  if (const auto it = memo_.find(choice); it != memo_.end()) return it->second;
  SubnetScore s;
  s.choice = choice;
  s.accuracy = accuracy(choice);
  const Mapping mapping = supernet_.mapping_of(choice);
  const Report& report = oracle_.whole_mapping(mapping);
  s.latency_ns = report.latency_ns;
  s.energy_pj = report.energy_pj;
  s.digital_weight_bytes = digital_weight_bytes(graph_, mapping);
  s.analog_mac_ratio = analog_mac_ratio(graph_, mapping);
  return memo_[choice] = s;
}

}  // namespace aimcsim::mapping
