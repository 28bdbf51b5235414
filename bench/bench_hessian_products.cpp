// Cost of the building blocks of HILAL's sensitivity analysis on one calibration batch, all
// measured in the same run (not a test): forward with and without a graph, a full backward,
// a backward restricted to one layer's weight, the exact diagonal-block product H_ll v by
// double backward, and the Gauss-Newton product J_l^T A J_l v by a finite-difference
// forward plus one backward (equal to H_ll v for networks piecewise linear in each weight,
// nn/hessian/ggn.h), with the relative difference of the two products per layer.
//
// Usage: bench_hessian_products [--ckpt checkpoints/resnet20.pt] [--model resnet20]
//          [--batch-size 256] [--repeats 3]
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "models/host/allocator_tuning.h"
#include "nn/data/fmnist.h"
#include "nn/eval/loaded_model.h"
#include "nn/hessian/ggn.h"
#include "nn/hessian/hessian.h"
#include "nn/hessian/sensitivity.h"
#include "nn/zoo/mappable.h"

namespace {

struct Args {
  std::string ckpt = "checkpoints/resnet20.pt", model = "resnet20";
  std::int64_t batch_size = 256;
  int repeats = 3;
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
    else if (k == "--batch-size")
      a.batch_size = std::atoll(v);
    else if (k == "--repeats")
      a.repeats = std::atoi(v);
    else {
      std::fprintf(stderr, "bench_hessian_products: unknown flag %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

template <class F>
double seconds_of(int repeats, F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < repeats; ++r) f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / repeats;
}

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
    ZooModel& model = *m.model;
    model.eval();
    for (auto& p : model.parameters()) p.set_requires_grad(false);
    const auto train = load_fmnist(Split::kTrain);
    const auto batches = calibration_batches(train, 1, a.batch_size, 0);
    const auto& b = batches.front();
    const auto layers = mappable_layers(model);
    for (const auto& l : layers) l->reset_executor();
    TensorList weights;
    for (const auto& l : layers) {
      l->weight().set_requires_grad(true);
      weights.push_back(l->weight());
    }
    std::printf("%s, batch %lld, %zu mappable layers, %d threads, mean of %d repeats\n",
                a.model.c_str(), static_cast<long long>(a.batch_size), layers.size(),
                torch::get_num_threads(), a.repeats);
    const double f_grad = seconds_of(a.repeats, [&] { model.forward(b.images); });
    const double f_nograd = seconds_of(a.repeats, [&] {
      torch::NoGradGuard ng;
      model.forward(b.images);
    });
    const double fb = seconds_of(a.repeats, [&] {
      const auto loss = torch::nn::functional::cross_entropy(model.forward(b.images), b.labels);
      torch::autograd::grad({loss}, weights);
    });
    std::printf("forward with graph  %8.3f s  (1.00)\n", f_grad);
    std::printf("forward no grad     %8.3f s  (%.2f)\n", f_nograd, f_nograd / f_grad);
    std::printf("forward + backward  %8.3f s  (%.2f)\n", fb, fb / f_grad);

    HessianOperator h([&](const at::Tensor& x) { return model.forward(x); }, batches, weights);
    GgnBlockOperator g([&](const at::Tensor& x) { return model.forward(x); }, batches, weights);
    at::Generator gen = at::detail::createCPUGenerator(7);
    std::printf("\n%-20s %10s %10s %8s %10s\n", "layer", "exact s", "GGN-FD s", "ratio",
                "rel diff");
    double exact_total = 0.0, ggn_total = 0.0;
    for (std::size_t l = 0; l < layers.size(); ++l) {
      TensorList v(weights.size());
      std::vector<bool> active(weights.size(), false);
      active[l] = true;
      v[l] = at::randn(weights[l].sizes(), gen);
      TensorList exact, approx;
      const double te = seconds_of(1, [&] { exact = h.block_hvp(v, active); });
      const double tg = seconds_of(1, [&] { approx = g.block_product(v, active); });
      exact_total += te;
      ggn_total += tg;
      const double diff = ((approx[l] - exact[l]).norm() / exact[l].norm()).item<double>();
      std::printf("%-20s %10.3f %10.3f %8.2f %10.2e\n", layers[l]->name().c_str(), te, tg, te / tg,
                  diff);
      std::fflush(stdout);
    }
    std::printf("all layers: exact %.2f s, GGN-FD %.2f s, ratio %.2f\n", exact_total, ggn_total,
                exact_total / ggn_total);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_hessian_products: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
