// Cost of the HILAL sensitivity analysis (FACTS.md s.4) on a trained zoo model, and the
// per-layer HVP traces against the one-pass block trace, measured in the same run. Not a
// test.
//
// Per mappable layer: seconds of Hutchinson (m probes, per-layer HVPs by double backward)
// and of power iteration (K steps), also per calibration batch. Then the block trace of
// all layers at once (one whole-model HVP per probe and batch, same m and batches) and:
//   ratio = sum over layers of the per-layer Hutchinson seconds / block-trace seconds,
// the same normalised per layer (Hutchinson seconds per layer over block-trace seconds /
// number of layers), and each layer's block-trace estimate next to its per-layer Hutchinson
// estimate.
//
// Usage: bench_hilal_sensitivity [--ckpt checkpoints/resnet20.pt] [--model resnet20]
//          [--batches 8] [--batch-size 256] [--probes 10] [--power-steps 20] [--seed 0]
//          [--layers N]   (first N mappable layers only; 0 = all)
// Defaults are the FACTS.md s.4 reference settings; run with OMP_WAIT_POLICY=PASSIVE.
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "models/host/allocator_tuning.h"
#include "nn/data/fmnist.h"
#include "nn/eval/loaded_model.h"
#include "nn/hessian/sensitivity.h"
#include "nn/zoo/mappable.h"

namespace {

struct Args {
  std::string ckpt = "checkpoints/resnet20.pt", model = "resnet20";
  int batches = 8, probes = 10, power_steps = 20, layers = 0;
  std::int64_t batch_size = 256;
  std::uint64_t seed = 0;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--ckpt")
      a.ckpt = v;
    else if (k == "--model")
      a.model = v;
    else if (k == "--batches")
      a.batches = std::atoi(v);
    else if (k == "--batch-size")
      a.batch_size = std::atoll(v);
    else if (k == "--probes")
      a.probes = std::atoi(v);
    else if (k == "--power-steps")
      a.power_steps = std::atoi(v);
    else if (k == "--seed")
      a.seed = std::strtoull(v, nullptr, 10);
    else if (k == "--layers")
      a.layers = std::atoi(v);
    else {
      std::fprintf(stderr, "bench_hilal_sensitivity: unknown flag %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

}  // namespace

// libsystemc (linked through aimcsim_models) references sc_main; this bench never uses it.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main(int argc, char** argv) {
  aimcsim::tune_allocator_for_tensors();
  torch::set_num_threads(2);
  const Args a = parse(argc, argv);
  try {
    auto m = aimcsim::nn::load_trained_model(a.model, a.ckpt);
    const auto train = aimcsim::nn::load_fmnist(aimcsim::nn::Split::kTrain);
    const auto batches = aimcsim::nn::calibration_batches(train, a.batches, a.batch_size, a.seed);
    std::vector<std::string> names;
    for (const auto& l : aimcsim::nn::mappable_layers(*m.model)) names.push_back(l->name());
    if (a.layers > 0 && a.layers < static_cast<int>(names.size())) names.resize(a.layers);
    std::printf("%s, %zu layers, %d batches of %lld, %d probes, %d power steps, %d threads\n",
                a.model.c_str(), names.size(), a.batches, static_cast<long long>(a.batch_size),
                a.probes, a.power_steps, torch::get_num_threads());

    aimcsim::nn::SensitivityOptions o;
    o.probes = a.probes;
    o.power_steps = a.power_steps;
    o.seed = a.seed;
    const auto sens = aimcsim::nn::analyse_sensitivity(*m.model, batches, o, names);
    const auto block = aimcsim::nn::analyse_block_traces(*m.model, batches, a.probes, a.seed, true);

    std::printf("%-22s %8s %9s %9s %9s %10s %12s %12s\n", "layer", "params", "trace_s", "lambda_s",
                "total_s", "s/batch", "Tr(layer)", "Tr(block)");
    double trace_s = 0.0, total_s = 0.0;
    for (const auto& s : sens) {
      std::size_t j = 0;
      while (block.names[j] != s.name) ++j;
      trace_s += s.trace_seconds;
      total_s += s.seconds;
      std::printf("%-22s %8lld %9.2f %9.2f %9.2f %10.2f %12.5g %12.5g\n", s.name.c_str(),
                  static_cast<long long>(s.params), s.trace_seconds, s.lambda_seconds, s.seconds,
                  s.seconds / a.batches, s.trace, block.traces[j]);
    }
    const double n = static_cast<double>(sens.size());
    std::printf("per layer: %.2f s mean (%.2f s per batch); all %zu layers %.1f s\n", total_s / n,
                total_s / n / a.batches, sens.size(), total_s);
    std::printf(
        "block trace of all %zu layers: %.2f s; per-layer Hutchinson of %zu layers: "
        "%.2f s; ratio per-layer/block = %.2f\n",
        block.names.size(), block.seconds, sens.size(), trace_s, trace_s / block.seconds);
    // Same work normalised per layer: Hutchinson seconds per layer over the block trace's
    // seconds per layer (the block trace covers every layer in one pass).
    const double per_layer = trace_s / n;
    const double block_per_layer = block.seconds / static_cast<double>(block.names.size());
    std::printf(
        "per layer: Hutchinson %.2f s, block trace %.2f s; ratio %.2f (all %zu layers "
        "by per-layer Hutchinson would take ~%.0f s)\n",
        per_layer, block_per_layer, per_layer / block_per_layer, block.names.size(),
        per_layer * static_cast<double>(block.names.size()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_hilal_sensitivity: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
