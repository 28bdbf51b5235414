// AnalogNAS-Bench robustness metrics (FACTS.md s.9) of a model under a mapping.
//
// Definitions (accuracies are means over the programming seeds of evaluate_mapping):
//   baseline  FP32 accuracy, every layer digital, no quantisation
//   noisy     the FP-trained weights under the mapping, 1 s after programming (no HWA)
//   analog    the HWA-trained weights under the mapping, 1 s after programming
//   drift     accuracy at 60 s, 1 h, 1 d and 30 d, for both weight sets
//   AVM       accuracy at 30 d minus accuracy at 1 s (AnalogNAS), for both weight sets
// Without an HWA model the `analog` entries are absent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nn/eval/evaluate_mapping.h"

namespace aimcsim::nn {

// 1 s, 60 s, 1 h, 1 d, 30 d: the times the metrics need.
const std::vector<double>& robustness_times_s();

struct RobustnessReport {
  double baseline = 0.0;               // FP32 accuracy of the FP-trained model
  std::optional<double> hwa_baseline;  // FP32 accuracy of the HWA-trained model
  EvalResult noisy;                    // FP-trained weights at robustness_times_s()
  std::optional<EvalResult> analog;    // HWA-trained weights at robustness_times_s()
};

// The accuracy of `r` at t_s (mean over seeds); throws if t_s was not evaluated.
double accuracy_at(const EvalResult& r, double t_s);
// accuracy at 30 d - accuracy at 1 s.
double avm(const EvalResult& r);

nlohmann::json robustness_to_json(const RobustnessReport& report);
std::string format_robustness(const RobustnessReport& report);

}  // namespace aimcsim::nn
