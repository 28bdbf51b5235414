// Accuracy of a mapping over drift times and programming seeds (evaluate_mapping.h).
#include "nn/eval/evaluate_mapping.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "models/device/drift_time.h"
#include "nn/train/progress_bar.h"
#include "nn/train/trainer.h"

namespace aimcsim::nn {

std::pair<double, double> mean_and_std(const std::vector<double>& values) {
  if (values.empty()) return {0.0, 0.0};
  double sum = 0.0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  const bool all_equal =
      std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
  if (values.size() < 2 || all_equal) return {all_equal ? values.front() : mean, 0.0};
  double sq = 0.0;
  for (double v : values) sq += (v - mean) * (v - mean);
  return {mean, std::sqrt(sq / static_cast<double>(values.size() - 1))};
}

EvalResult evaluate_mapping(ZooModel& model, const Graph& graph, const Mapping& mapping,
                            const AnalogSetup& setup, const Int8Scales& int8_scales,
                            const Dataset& test, const EvalOptions& options) {
  if (options.seeds < 1) throw Error("--seeds must be at least 1");
  if (options.times_s.empty()) throw Error("--times needs at least one time");
  const auto start = std::chrono::steady_clock::now();
  EvalResult result;
  result.model_name = model.name();
  result.mapping_source = mapping.source();
  result.test_images = test.size();
  result.seeds = options.seeds;
  result.seed = options.seed;
  result.analog_layers = static_cast<int>(layers_mapped_to(model, mapping, Target::kAnalog).size());
  result.int8_layers = static_cast<int>(layers_mapped_to(model, mapping, Target::kInt8).size());
  result.fp16_layers = static_cast<int>(layers_mapped_to(model, mapping, Target::kFp16).size());
  result.analog_mac_ratio = analog_mac_ratio(graph, mapping);
  result.digital_weight_bytes = digital_weight_bytes(graph, mapping);
  for (double t : options.times_s) result.times.push_back(TimeAccuracy{t, {}, 0.0, 0.0});

  MappedModel mapped(model, mapping, setup, int8_scales);
  const bool analog = mapped.has_analog();
  const int64_t runs = analog ? options.seeds * static_cast<int64_t>(options.times_s.size()) : 1;
  ProgressBar bar("eval " + model.name(), runs, options.progress);
  int64_t done = 0;
  if (!analog) {
    const double acc = evaluate(model, test, options.batch_size);
    bar.update(++done, fmt::format("acc {:.2f}%", 100 * acc));
    for (TimeAccuracy& t : result.times) t.per_seed.assign(options.seeds, acc);
  } else {
    for (int k = 0; k < options.seeds; ++k) {
      const std::uint64_t seed_k = mix_seed(options.seed, static_cast<std::uint64_t>(k));
      mapped.program(seed_k);
      for (TimeAccuracy& t : result.times) {
        mapped.read_at(t.t_s, seed_k);
        t.per_seed.push_back(evaluate(model, test, options.batch_size));
        bar.update(++done, fmt::format("seed {} t {} acc {:.2f}%", k, format_drift_time(t.t_s),
                                       100 * t.per_seed.back()));
      }
    }
  }
  bar.finish("done");
  for (TimeAccuracy& t : result.times) std::tie(t.mean, t.std) = mean_and_std(t.per_seed);
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

nlohmann::json eval_to_json(const EvalResult& r) {
  nlohmann::json times = nlohmann::json::array();
  for (const TimeAccuracy& t : r.times) {
    times.push_back({{"t_s", t.t_s},
                     {"t", format_drift_time(t.t_s)},
                     {"accuracy_mean", t.mean},
                     {"accuracy_std", t.std},
                     {"accuracy_per_seed", t.per_seed}});
  }
  return {{"model", r.model_name},
          {"mapping", r.mapping_source},
          {"test_images", r.test_images},
          {"seeds", r.seeds},
          {"seed", r.seed},
          {"analog_layers", r.analog_layers},
          {"int8_layers", r.int8_layers},
          {"fp16_layers", r.fp16_layers},
          {"analog_mac_ratio", r.analog_mac_ratio},
          {"digital_weight_bytes", r.digital_weight_bytes},
          {"times", times},
          {"wall_s", r.wall_s}};
}

std::string format_eval_table(const EvalResult& r) {
  std::string out = fmt::format(
      "model {}, mapping {}: {} analog / {} int8 / {} fp16 layers, analog MAC ratio {:.3f}, "
      "digital weights {} bytes\n{} test images, {} programming seed(s) from seed {}\n",
      r.model_name, r.mapping_source, r.analog_layers, r.int8_layers, r.fp16_layers,
      r.analog_mac_ratio, r.digital_weight_bytes, r.test_images, r.seeds, r.seed);
  out += fmt::format("{:>8}  {:>18}  {}\n", "time", "accuracy %", "per seed %");
  for (const TimeAccuracy& t : r.times) {
    std::string seeds;
    for (double a : t.per_seed) seeds += fmt::format("{}{:.2f}", seeds.empty() ? "" : " ", 100 * a);
    out += fmt::format("{:>8}  {:>8.2f} +- {:<6.2f}  {}\n", format_drift_time(t.t_s), 100 * t.mean,
                       100 * t.std, seeds);
  }
  out += fmt::format("wall time {:.1f} s\n", r.wall_s);
  return out;
}

}  // namespace aimcsim::nn
