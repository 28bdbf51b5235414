// `aimcsim eval`: test accuracy of a trained model under a mapping, over drift times and
// programming seeds (issue 3 item 4; FACTS.md s.1 "report accuracy as mean and std over
// several programming seeds").
//
// Contract:
// - For programming seed k = 0..seeds-1 (seed_k = mix_seed(options.seed, k)) the analog
//   layers are programmed once (programming noise and drift exponents); then for each time
//   t in options.times_s the conductances are read at t (drift, fresh 1/f read noise,
//   compensation) and all test images are classified (MappedModel, mapped_model.h).
// - A mapping without analog layers has no randomness and no drift: it is evaluated once
//   and that accuracy is reported for every seed and time.
// - mean is the average over seeds, std the sample standard deviation (n - 1; 0 for one
//   seed). Accuracies are fractions in [0, 1].
// - Only mappable layers change numerics. The ops between them (batch/layer norm, ReLU/GELU,
//   residual adds, pooling, softmax, the attention matmuls of vit-tiny) run in FP32 here,
//   while `aimcsim run` times and prices them at run.digital_precision (INT8 or FP16). The
//   accuracy effect of FP16 rounding there is far below the analog noise (FP16 on every
//   mappable layer moves resnet20 by < 0.05 points); INT8 activations between layers are not
//   modelled.
// - analog_mac_ratio and digital_weight_bytes come from the model's graph (FACTS.md s.7;
//   sim/mapping/mapping.h): INT8 weights 1 byte, FP16 2 bytes, analog 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nn/data/fmnist.h"
#include "nn/eval/mapped_model.h"
#include "sim/graph/graph.h"

namespace aimcsim::nn {

struct EvalOptions {
  std::vector<double> times_s{1.0};  // drift times after programming [s]
  int seeds = 1;                     // programming seeds
  std::uint64_t seed = 0;            // base seed
  std::int64_t batch_size = 500;     // test images per forward pass
  bool progress = true;              // progress bar on stderr
};

struct TimeAccuracy {
  double t_s = 0.0;
  std::vector<double> per_seed;  // fraction correct, one per programming seed
  double mean = 0.0;
  double std = 0.0;
};

struct EvalResult {
  std::string model_name;
  std::string mapping_source;
  std::int64_t test_images = 0;
  int seeds = 0;
  std::uint64_t seed = 0;
  int analog_layers = 0;
  int int8_layers = 0;
  int fp16_layers = 0;
  double analog_mac_ratio = 0.0;
  std::int64_t digital_weight_bytes = 0;
  std::vector<TimeAccuracy> times;
  double wall_s = 0.0;
};

EvalResult evaluate_mapping(ZooModel& model, const Graph& graph, const Mapping& mapping,
                            const AnalogSetup& setup, const Int8Scales& int8_scales,
                            const Dataset& test, const EvalOptions& options);

// Mean and sample standard deviation (n - 1) of the values; std 0 for fewer than two.
std::pair<double, double> mean_and_std(const std::vector<double>& values);

// JSON with unit-carrying keys (accuracy as fractions, times in seconds).
nlohmann::json eval_to_json(const EvalResult& result);
// The table printed by `aimcsim eval`: one row per time, mean +- std in percent.
std::string format_eval_table(const EvalResult& result);

}  // namespace aimcsim::nn
