// An all-layers-at-once HILAL sensitivity estimator (--estimator gauss-newton, the default:
// output-space Hutchinson + Lanczos on the Gauss-Newton blocks, nn/hessian/ggn.h; or shared:
// whole-model HVP block traces + block Lanczos; nn/hessian/sensitivity.h) against the
// per-layer reference (kPerLayer: Hutchinson + power iteration per layer), measured in the
// same run, over several seeds. Not a test.
//
// For every seed s: calibration batches from s (as `aimcsim map hilal --seed s`), the
// chosen estimator on all mappable layers, then the per-layer estimator on the reference layers
// (--ref-layers: comma-separated names, default: first, middle and last mappable layer;
// "all" for every layer; the per-layer reference costs minutes per layer at the reference
// settings). Prints per layer and seed Tr and lambda_max of both, then per reference layer
// the mean +- sd over seeds of each estimator and the difference of the means in units of
// the per-layer estimator's own seed-to-seed sd, and the times:
//   shared seconds for all layers; per-layer seconds per layer; ratio = per-layer seconds
//   extrapolated to all layers / shared seconds.
//
// Usage: bench_hilal_shared [--ckpt checkpoints/resnet20.pt] [--model resnet20]
//          [--batches 8] [--batch-size 256] [--probes 10] [--power-steps 20] [--seeds 3]
//          [--ref-layers a,b,c|all|none] [--tol 1e-3] [--estimator gauss-newton|shared]
// Defaults are the FACTS.md s.4 reference settings; run with OMP_WAIT_POLICY=PASSIVE.
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "models/host/allocator_tuning.h"
#include "nn/data/fmnist.h"
#include "nn/eval/loaded_model.h"
#include "nn/hessian/sensitivity.h"
#include "nn/zoo/mappable.h"

namespace {

struct Args {
  std::string ckpt = "checkpoints/resnet20.pt", model = "resnet20", ref_layers;
  std::string estimator = "gauss-newton";
  int batches = 8, probes = 10, power_steps = 20, seeds = 3;
  std::int64_t batch_size = 256;
  double tol = 1e-3;
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
    else if (k == "--seeds")
      a.seeds = std::atoi(v);
    else if (k == "--ref-layers")
      a.ref_layers = v;
    else if (k == "--tol")
      a.tol = std::atof(v);
    else if (k == "--estimator")
      a.estimator = v;
    else {
      std::fprintf(stderr, "bench_hilal_shared: unknown flag %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

struct Stat {
  std::vector<double> x;
  double mean() const {
    double s = 0;
    for (double v : x) s += v;
    return x.empty() ? 0.0 : s / static_cast<double>(x.size());
  }
  double sd() const {
    if (x.size() < 2) return 0.0;
    double s = 0, m = mean();
    for (double v : x) s += (v - m) * (v - m);
    return std::sqrt(s / static_cast<double>(x.size() - 1));
  }
};

}  // namespace

// libsystemc (linked through aimcsim_models) references sc_main; this bench never uses it.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main(int argc, char** argv) {
  using namespace aimcsim::nn;
  aimcsim::tune_allocator_for_tensors();
  torch::set_num_threads(2);
  const Args a = parse(argc, argv);
  try {
    auto m = load_trained_model(a.model, a.ckpt);
    const auto train = load_fmnist(Split::kTrain);
    std::vector<std::string> all;
    for (const auto& l : mappable_layers(*m.model)) all.push_back(l->name());
    std::vector<std::string> ref;
    if (a.ref_layers == "all") {
      ref = all;
    } else if (a.ref_layers.empty()) {
      ref = {all.front(), all[all.size() / 2], all.back()};
    } else if (a.ref_layers != "none") {
      std::stringstream ss(a.ref_layers);
      for (std::string n; std::getline(ss, n, ',');) ref.push_back(n);
    }
    std::printf(
        "%s, %zu layers, %d batches of %lld, %d probes, %d power steps (Lanczos max steps, "
        "tol %g), %d seeds, %d threads; estimator %s against the per-layer reference on %zu "
        "layers (columns 'shared' = %s)\n",
        a.model.c_str(), all.size(), a.batches, static_cast<long long>(a.batch_size), a.probes,
        a.power_steps, a.tol, a.seeds, torch::get_num_threads(), a.estimator.c_str(), ref.size(),
        a.estimator.c_str());
    std::map<std::string, Stat> tr_s, tr_p, lam_s, lam_p, steps;
    Stat shared_s, per_layer_s;
    for (int seed = 0; seed < a.seeds; ++seed) {
      const auto batches = calibration_batches(train, a.batches, a.batch_size, seed);
      SensitivityOptions o;
      o.probes = a.probes;
      o.power_steps = a.power_steps;
      o.lanczos_tol = a.tol;
      o.seed = static_cast<std::uint64_t>(seed);
      o.estimator = parse_estimator(a.estimator);
      const auto sh = analyse_sensitivity(*m.model, batches, o);
      double total = 0.0;
      for (const auto& s : sh) {
        total += s.seconds;
        tr_s[s.name].x.push_back(s.trace);
        lam_s[s.name].x.push_back(s.lambda_max);
        steps[s.name].x.push_back(s.lambda_steps);
      }
      shared_s.x.push_back(total);
      std::printf("seed %d: shared, all %zu layers: %.1f s (traces %.1f s, lambda %.1f s)\n", seed,
                  sh.size(), total, sh[0].trace_seconds * sh.size(),
                  sh[0].lambda_seconds * sh.size());
      std::fflush(stdout);
      if (ref.empty()) continue;
      o.estimator = SensitivityEstimator::kPerLayer;
      const auto pl = analyse_sensitivity(*m.model, batches, o, ref);
      for (const auto& s : pl) {
        per_layer_s.x.push_back(s.seconds);
        tr_p[s.name].x.push_back(s.trace);
        lam_p[s.name].x.push_back(s.lambda_max);
        std::printf(
            "seed %d: %-20s per-layer %.1f s  Tr %.5g vs shared %.5g  lambda %.5g vs "
            "shared %.5g (%d Lanczos steps)\n",
            seed, s.name.c_str(), s.seconds, s.trace, tr_s[s.name].x.back(), s.lambda_max,
            lam_s[s.name].x.back(), static_cast<int>(steps[s.name].x.back()));
      }
      std::fflush(stdout);
    }
    std::printf("\n%-20s %22s %22s %6s %22s %22s %6s %6s\n", "layer", "Tr per-layer", "Tr shared",
                "dTr/sd", "lambda per-layer", "lambda shared", "dL/sd", "steps");
    for (const auto& n : all) {
      const bool has_ref = tr_p.count(n) > 0;
      auto ms = [](const Stat& s) {
        char b[64];
        std::snprintf(b, sizeof b, "%.4g +- %.2g", s.mean(), s.sd());
        return std::string(b);
      };
      auto z = [](const Stat& p, const Stat& s) {
        const double sd = p.sd();
        return sd > 0 ? std::abs(s.mean() - p.mean()) / sd : NAN;
      };
      std::printf("%-20s %22s %22s %6.2f %22s %22s %6.2f %6.1f\n", n.c_str(),
                  has_ref ? ms(tr_p[n]).c_str() : "-", ms(tr_s[n]).c_str(),
                  has_ref ? z(tr_p[n], tr_s[n]) : NAN, has_ref ? ms(lam_p[n]).c_str() : "-",
                  ms(lam_s[n]).c_str(), has_ref ? z(lam_p[n], lam_s[n]) : NAN, steps[n].mean());
    }
    std::printf("\n%s estimator, all %zu layers: %.1f s mean over %d seeds (%.1f min)\n",
                a.estimator.c_str(), all.size(), shared_s.mean(), a.seeds, shared_s.mean() / 60.0);
    if (!per_layer_s.x.empty()) {
      const double extrapolated = per_layer_s.mean() * static_cast<double>(all.size());
      std::printf(
          "per-layer estimator: %.1f s per layer mean (%zu layer runs); all %zu layers ~%.0f s; "
          "ratio per-layer (extrapolated) / all-at-once = %.1f\n",
          per_layer_s.mean(), per_layer_s.x.size(), all.size(), extrapolated,
          extrapolated / shared_s.mean());
    }
    std::printf("(shared machine: wall times are noisy; compare ratios within one run)\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_hilal_shared: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
