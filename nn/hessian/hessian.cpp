#include "nn/hessian/hessian.h"

#include <torch/torch.h>

#include <cmath>
#include <utility>

#include "models/error.h"

namespace aimcsim::nn {

HessianOperator::HessianOperator(ForwardFn forward, std::vector<CalibrationBatch> batches,
                                 TensorList params)
    : forward_(std::move(forward)), batches_(std::move(batches)), params_(std::move(params)) {
  check_hessian_inputs(batches_, params_);
}

void check_hessian_inputs(const std::vector<CalibrationBatch>& batches, const TensorList& params) {
  if (batches.empty()) throw Error("Hessian analysis: no calibration batches");
  if (params.empty()) throw Error("Hessian analysis: no parameters to differentiate");
  for (const auto& p : params) {
    if (!p.defined() || !p.requires_grad()) {
      throw Error("Hessian analysis: every parameter must be defined and require grad");
    }
  }
}

int64_t HessianOperator::dimension() const {
  int64_t d = 0;
  for (const auto& p : params_) d += p.numel();
  return d;
}

void HessianOperator::for_each_batch_gradient(
    const std::function<void(std::size_t, const TensorList&)>& fn) const {
  for (std::size_t b = 0; b < batches_.size(); ++b) {
    const at::Tensor logits = forward_(batches_[b].images);
    const at::Tensor loss = torch::nn::functional::cross_entropy(logits, batches_[b].labels);
    const TensorList grad = torch::autograd::grad({loss}, params_, {}, /*retain_graph=*/true,
                                                  /*create_graph=*/true);
    fn(b, grad);
  }
}

namespace {

// Hv of one batch from its gradient graph; keeps the graph for further products.
TensorList batch_hvp(const TensorList& grad, const TensorList& params, const TensorList& v) {
  at::Tensor gv = torch::zeros({}, grad[0].options());
  for (std::size_t i = 0; i < grad.size(); ++i) gv = gv + (grad[i] * v[i]).sum();
  return torch::autograd::grad({gv}, params, {}, /*retain_graph=*/true, /*create_graph=*/false,
                               /*allow_unused=*/true);
}

void add_into(TensorList& acc, const TensorList& x, const TensorList& like) {
  if (acc.empty()) {
    for (std::size_t i = 0; i < like.size(); ++i) acc.push_back(torch::zeros_like(like[i]));
  }
  for (std::size_t i = 0; i < acc.size(); ++i) {
    if (x[i].defined()) acc[i].add_(x[i]);
  }
}

// Per-probe, per-block v_l^T (H v)_l summed over batches (divided by the batch count).
std::vector<std::vector<double>> probe_block_quadratics(const HessianOperator& h,
                                                        const std::vector<TensorList>& probes,
                                                        const std::function<void()>& on_step) {
  const std::size_t blocks = h.params().size();
  std::vector<std::vector<double>> q(probes.size(), std::vector<double>(blocks, 0.0));
  const double inv_batches = 1.0 / static_cast<double>(h.batch_count());
  h.for_each_batch_gradient([&](std::size_t, const TensorList& grad) {
    for (std::size_t k = 0; k < probes.size(); ++k) {
      const TensorList hv = batch_hvp(grad, h.params(), probes[k]);
      for (std::size_t l = 0; l < blocks; ++l) {
        if (hv[l].defined()) {
          q[k][l] += inv_batches * (probes[k][l] * hv[l]).sum().item<double>();
        }
      }
      if (on_step) on_step();
    }
  });
  return q;
}

}  // namespace

TensorList HessianOperator::hvp(const TensorList& v) const {
  if (v.size() != params_.size()) throw Error("Hessian analysis: vector has the wrong block count");
  TensorList acc;
  for_each_batch_gradient([&](std::size_t, const TensorList& grad) {
    add_into(acc, batch_hvp(grad, params_, v), params_);
  });
  for (auto& t : acc) t.div_(static_cast<double>(batches_.size()));
  return acc;
}

TensorList HessianOperator::block_hvp(const TensorList& v, const std::vector<bool>& active,
                                      const std::function<void()>& on_batch) const {
  if (v.size() != params_.size() || active.size() != params_.size()) {
    throw Error("Hessian analysis: vector has the wrong block count");
  }
  TensorList sub;  // active parameters only: the first backward skips the rest
  std::vector<std::size_t> index;
  for (std::size_t l = 0; l < params_.size(); ++l) {
    if (active[l]) {
      sub.push_back(params_[l]);
      index.push_back(l);
    }
  }
  TensorList acc(params_.size());
  if (sub.empty()) return acc;
  for (std::size_t l : index) acc[l] = torch::zeros_like(params_[l]);
  for (const auto& batch : batches_) {
    const at::Tensor logits = forward_(batch.images);
    const at::Tensor loss = torch::nn::functional::cross_entropy(logits, batch.labels);
    const TensorList grad = torch::autograd::grad({loss}, sub, {}, /*retain_graph=*/true,
                                                  /*create_graph=*/true);
    for (std::size_t j = 0; j < sub.size(); ++j) {
      const std::size_t l = index[j];
      const at::Tensor gv = (grad[j] * v[l]).sum();
      if (!gv.requires_grad()) continue;  // gradient independent of this block: H_ll = 0
      const TensorList hv = torch::autograd::grad({gv}, {sub[j]}, {}, /*retain_graph=*/true,
                                                  /*create_graph=*/false, /*allow_unused=*/true);
      if (hv[0].defined()) acc[l].add_(hv[0]);
    }
    if (on_batch) on_batch();
  }
  for (std::size_t l : index) acc[l].div_(static_cast<double>(batches_.size()));
  return acc;
}

TensorList rademacher_like(const TensorList& like, at::Generator& gen) {
  TensorList out;
  for (const auto& p : like) {
    out.push_back(at::randint(0, 2, p.sizes(), gen, p.options().requires_grad(false)) * 2.0 - 1.0);
  }
  return out;
}

double dot(const TensorList& a, const TensorList& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] * b[i]).sum().item<double>();
  return s;
}

double hutchinson_trace(const HessianOperator& h, int probes, at::Generator& gen,
                        const std::function<void()>& on_step) {
  const std::vector<double> traces = block_traces(h, probes, gen, on_step);
  double total = 0.0;
  for (double t : traces) total += t;
  return total;
}

std::vector<double> block_traces(const HessianOperator& h, int probes, at::Generator& gen,
                                 const std::function<void()>& on_step) {
  if (probes < 1)
    throw Error("Hessian analysis: probes must be >= 1, got " + std::to_string(probes));
  std::vector<TensorList> v;
  for (int k = 0; k < probes; ++k) v.push_back(rademacher_like(h.params(), gen));
  const auto q = probe_block_quadratics(h, v, on_step);
  std::vector<double> mean(h.params().size(), 0.0);
  for (const auto& per_probe : q) {
    for (std::size_t l = 0; l < mean.size(); ++l) mean[l] += per_probe[l] / probes;
  }
  return mean;
}

double power_iteration(const HessianOperator& h, int steps, at::Generator& gen,
                       const std::function<void()>& on_step) {
  if (steps < 1)
    throw Error("Hessian analysis: power steps must be >= 1, got " + std::to_string(steps));
  TensorList v;
  for (const auto& p : h.params()) {
    v.push_back(at::randn(p.sizes(), gen, p.options().requires_grad(false)));
  }
  auto normalise = [](TensorList& x) {
    const double n = std::sqrt(dot(x, x));
    if (n == 0.0) return false;
    for (auto& t : x) t.div_(n);
    return true;
  };
  normalise(v);
  double lambda = 0.0;
  for (int k = 0; k < steps; ++k) {
    TensorList hv = h.hvp(v);
    lambda = dot(v, hv);
    if (on_step) on_step();
    if (!normalise(hv)) return 0.0;
    v = std::move(hv);
  }
  return lambda;
}

}  // namespace aimcsim::nn
