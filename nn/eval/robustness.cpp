// AnalogNAS-Bench robustness metrics (robustness.h).
#include "nn/eval/robustness.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "models/device/drift_time.h"
#include "models/error.h"

namespace aimcsim::nn {

const std::vector<double>& robustness_times_s() {
  static const std::vector<double> times{1.0, 60.0, 3600.0, 86400.0, 30 * 86400.0};
  return times;
}

double accuracy_at(const EvalResult& r, double t_s) {
  for (const TimeAccuracy& t : r.times) {
    if (t.t_s == t_s) return t.mean;
  }
  throw Error("robustness: no accuracy evaluated at " + format_drift_time(t_s));
}

double avm(const EvalResult& r) { return accuracy_at(r, 30 * 86400.0) - accuracy_at(r, 1.0); }

namespace {

nlohmann::json variant_json(const EvalResult& r) {
  nlohmann::json drift = nlohmann::json::object();
  for (const TimeAccuracy& t : r.times) {
    drift[format_drift_time(t.t_s)] = {{"accuracy_mean", t.mean}, {"accuracy_std", t.std}};
  }
  return {{"accuracy_1s", accuracy_at(r, 1.0)}, {"drift", drift}, {"avm", avm(r)}};
}

std::string variant_row(const char* label, double baseline, const EvalResult& r) {
  std::string row = fmt::format("{:<22} {:>8.2f}", label, 100 * baseline);
  for (const TimeAccuracy& t : r.times) {
    row += fmt::format("  {:>6.2f}+-{:<4.2f}", 100 * t.mean, 100 * t.std);
  }
  return row + fmt::format("  {:>+6.2f}\n", 100 * avm(r));
}

}  // namespace

nlohmann::json robustness_to_json(const RobustnessReport& report) {
  nlohmann::json j = {{"model", report.noisy.model_name},
                      {"mapping", report.noisy.mapping_source},
                      {"seeds", report.noisy.seeds},
                      {"test_images", report.noisy.test_images},
                      {"analog_mac_ratio", report.noisy.analog_mac_ratio},
                      {"baseline_accuracy", report.baseline},
                      {"noisy_accuracy", accuracy_at(report.noisy, 1.0)},
                      {"noisy", variant_json(report.noisy)}};
  if (report.analog) {
    j["analog_accuracy"] = accuracy_at(*report.analog, 1.0);
    j["analog"] = variant_json(*report.analog);
    if (report.hwa_baseline) j["hwa_baseline_accuracy"] = *report.hwa_baseline;
  }
  return j;
}

std::string format_robustness(const RobustnessReport& report) {
  const EvalResult& n = report.noisy;
  std::string out = fmt::format(
      "robustness (FACTS.md s.9) of {} under {}: {} seed(s), {} test images, analog MAC ratio "
      "{:.3f}\n",
      n.model_name, n.mapping_source, n.seeds, n.test_images, n.analog_mac_ratio);
  out += fmt::format("{:<22} {:>8}", "accuracy %", "FP32");
  for (const TimeAccuracy& t : n.times) out += fmt::format("  {:>12}", format_drift_time(t.t_s));
  out += fmt::format("  {:>6}\n", "AVM");
  out += variant_row("noisy (FP weights)", report.baseline, n);
  if (report.analog) {
    out += variant_row("analog (HWA weights)", report.hwa_baseline.value_or(0.0), *report.analog);
  } else {
    out += "analog (HWA weights)   not evaluated (pass --hwa-ckpt)\n";
  }
  out += fmt::format("baseline {:.2f}%, noisy {:.2f}%", 100 * report.baseline,
                     100 * accuracy_at(n, 1.0));
  if (report.analog) out += fmt::format(", analog {:.2f}%", 100 * accuracy_at(*report.analog, 1.0));
  return out + "\n";
}

}  // namespace aimcsim::nn
