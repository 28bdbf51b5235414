// Benchmark (not a test): the functional accuracy run of `aimcsim run --model --ckpt` over
// the 10,000 test images (timing simulation of the model graph + accuracy at 1 day) as a
// ratio to `aimcsim eval` of the same mapping, both measured in this run. Aim (issue 4):
// <= 1.5x. Usage: bench_run_accuracy [model] [checkpoint] [mapping]
// (default resnet20, checkpoints/resnet20.pt, first-last-digital).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "models/host/allocator_tuning.h"
#include "nn/eval/layer_numerics.h"
#include "nn/eval/loaded_model.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/mapping/mapping_io.h"

extern "C" int sc_main(int, char*[]) { return 0; }

int main(int argc, char** argv) {
  using namespace aimcsim;
  using Clock = std::chrono::steady_clock;
  tune_allocator_for_tensors();
  torch::set_num_threads(2);
  const std::string src = AIMCSIM_SOURCE_DIR;
  const std::string model = argc > 1 ? argv[1] : "resnet20";
  const std::string ckpt = argc > 2 ? argv[2] : src + "/checkpoints/resnet20.pt";
  const std::string mapping = argc > 3 ? argv[3] : "first-last-digital";
  const HardwareConfig config = load_hardware_config(default_hardware_config_path());
  const nn::Dataset train = nn::load_fmnist(nn::Split::kTrain);
  const nn::Dataset test = nn::load_fmnist(nn::Split::kTest);
  nn::EvalOptions options;
  options.times_s = {86400.0};
  options.progress = false;
  const nn::AnalogSetup setup = nn::analog_setup_of(config);

  auto t0 = Clock::now();
  const nn::EvalResult eval =
      nn::evaluate_trained({model, ckpt, mapping}, setup, train, test, options);
  const double eval_s = std::chrono::duration<double>(Clock::now() - t0).count();

  t0 = Clock::now();  // what `run --model --ckpt` does: simulate the graph, then accuracy
  const Graph graph = nn::model_to_graph(*nn::make_model(model));
  const Report report = simulate(graph, resolve_mapping(mapping, graph), config, {});
  const nn::EvalResult run =
      nn::evaluate_trained({model, ckpt, mapping}, setup, train, test, options);
  const double run_s = std::chrono::duration<double>(Clock::now() - t0).count();

  std::printf("%s under %s, 10k test images at 1 d, default.toml\n", model.c_str(),
              mapping.c_str());
  std::printf("  eval            %7.2f s  accuracy %.2f%%\n", eval_s, 100 * eval.times[0].mean);
  std::printf("  run (sim + acc) %7.2f s  accuracy %.2f%%, latency %.0f ns\n", run_s,
              100 * run.times[0].mean, report.latency_ns);
  std::printf("  ratio run/eval  %7.2f (aim <= 1.5)\n", run_s / eval_s);
  return eval.times[0].per_seed == run.times[0].per_seed ? 0 : 1;
}
