#include "nn/hessian/ggn.h"

#include <torch/torch.h>

#include <cmath>
#include <string>
#include <utility>

#include "models/error.h"

namespace aimcsim::nn {
namespace {

// A_n w_n / N for every image n: (p * w - p (p . w)) / N, p = softmax(logits) [N, C].
at::Tensor apply_output_hessian(const at::Tensor& p, const at::Tensor& w) {
  const auto n = static_cast<double>(p.size(0));
  return (p * w - p * (p * w).sum(1, true)) / n;
}

// (z(W + eps v) - z(W)) / eps for one block; the weight is restored bit for bit.
at::Tensor logits_directional_derivative(const ForwardFn& forward, const at::Tensor& images,
                                         const at::Tensor& base_logits, const at::Tensor& weight,
                                         const at::Tensor& v) {
  const double v_norm = v.norm().item<double>();
  if (v_norm == 0.0) return torch::zeros_like(base_logits);
  const double w_norm = weight.norm().item<double>();
  const double eps = kFiniteDifferenceStep * (w_norm > 0.0 ? w_norm : 1.0) / v_norm;
  torch::NoGradGuard no_grad;
  // Own version counter: the graph of `base_logits`, which saved this weight, stays usable
  // (the values are restored before any backward reads them).
  at::Tensor w = weight.variable_data();
  const at::Tensor saved = w.clone();
  w.add_(v, eps);
  at::Tensor shifted;
  try {
    shifted = forward(images);
  } catch (...) {
    w.copy_(saved);
    throw;
  }
  w.copy_(saved);
  return (shifted - base_logits.detach()) / eps;
}

}  // namespace

GgnBlockOperator::GgnBlockOperator(ForwardFn forward, std::vector<CalibrationBatch> batches,
                                   TensorList params)
    : forward_(std::move(forward)), batches_(std::move(batches)), params_(std::move(params)) {
  check_hessian_inputs(batches_, params_);
}

TensorList GgnBlockOperator::block_product(const TensorList& v, const std::vector<bool>& active,
                                           const std::function<void()>& on_batch) const {
  if (v.size() != params_.size() || active.size() != params_.size()) {
    throw Error("Hessian analysis: vector has the wrong block count");
  }
  TensorList acc(params_.size());
  bool any = false;
  for (std::size_t l = 0; l < params_.size(); ++l) {
    if (active[l]) {
      acc[l] = torch::zeros_like(params_[l]);
      any = true;
    }
  }
  if (!any) return acc;
  for (const auto& batch : batches_) {
    const at::Tensor logits = forward_(batch.images);
    const at::Tensor p = torch::softmax(logits.detach(), 1);
    for (std::size_t l = 0; l < params_.size(); ++l) {
      if (!active[l]) continue;
      const at::Tensor jv =
          logits_directional_derivative(forward_, batch.images, logits, params_[l], v[l]);
      const at::Tensor cotangent = apply_output_hessian(p, jv);
      const TensorList g = torch::autograd::grad({logits}, {params_[l]}, {cotangent},
                                                 /*retain_graph=*/true, /*create_graph=*/false,
                                                 /*allow_unused=*/true);
      if (g[0].defined()) acc[l].add_(g[0]);
    }
    if (on_batch) on_batch();
  }
  for (auto& t : acc) {
    if (t.defined()) t.div_(static_cast<double>(batches_.size()));
  }
  return acc;
}

std::vector<double> GgnBlockOperator::block_traces(int probes, at::Generator& gen,
                                                   const std::function<void()>& on_step) const {
  if (probes < 1)
    throw Error("Hessian analysis: probes must be >= 1, got " + std::to_string(probes));
  std::vector<double> trace(params_.size(), 0.0);
  const double weight = 1.0 / (static_cast<double>(probes) * static_cast<double>(batches_.size()));
  for (const auto& batch : batches_) {
    const at::Tensor logits = forward_(batch.images);
    const at::Tensor p = torch::softmax(logits.detach(), 1);
    const at::Tensor sqrt_p = p.sqrt();
    const double inv_sqrt_n = 1.0 / std::sqrt(static_cast<double>(p.size(0)));
    for (int k = 0; k < probes; ++k) {
      const at::Tensor u = at::randint(0, 2, p.sizes(), gen, p.options()) * 2.0 - 1.0;
      // R u = sqrt(p) * u - p * sum_c sqrt(p_c) u_c  (R's columns sqrt(p_c) (e_c - p))
      const at::Tensor su = sqrt_p * u;
      const at::Tensor cotangent = (su - p * su.sum(1, true)) * inv_sqrt_n;
      const TensorList g = torch::autograd::grad({logits}, params_, {cotangent},
                                                 /*retain_graph=*/true, /*create_graph=*/false,
                                                 /*allow_unused=*/true);
      for (std::size_t l = 0; l < params_.size(); ++l) {
        if (g[l].defined()) trace[l] += weight * g[l].pow(2).sum().item<double>();
      }
      if (on_step) on_step();
    }
  }
  return trace;
}

}  // namespace aimcsim::nn
