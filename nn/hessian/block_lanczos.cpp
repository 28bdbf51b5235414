#include "nn/hessian/block_lanczos.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "models/error.h"

namespace aimcsim::nn {
namespace {

double dot1(const at::Tensor& a, const at::Tensor& b) {
  return (a * b).sum().item<double>();  // float32 tensors, accumulated by ATen
}

// One block's Lanczos state: orthonormal basis, tridiagonal coefficients, result.
struct Recurrence {
  std::vector<at::Tensor> q;  // q_1 .. q_k
  std::vector<double> alpha, beta;
  BlockEigen result;
  bool running = true;

  // Ritz value of largest magnitude of T_k and its residual beta_k |s_k|.
  void ritz(double beta_k) {
    const auto k = static_cast<int64_t>(alpha.size());
    at::Tensor t = torch::zeros({k, k}, torch::kDouble);
    auto acc = t.accessor<double, 2>();
    for (int64_t i = 0; i < k; ++i) {
      acc[i][i] = alpha[i];
      if (i + 1 < k) acc[i][i + 1] = acc[i + 1][i] = beta[i];
    }
    const auto [theta, s] = torch::linalg::eigh(t, "L");
    const int64_t top = theta.abs().argmax().item<int64_t>();
    result.lambda_max = theta[top].item<double>();
    result.residual = beta_k * std::abs(s[k - 1][top].item<double>());
  }
};

}  // namespace

std::vector<BlockEigen> block_lanczos(const HessianOperator& h, const TensorList& starts,
                                      int max_steps, double rel_tol,
                                      const std::function<void()>& on_batch) {
  if (starts.size() != h.params().size())
    throw Error("Hessian analysis: one Lanczos start per block");
  TensorList typed;
  for (std::size_t l = 0; l < starts.size(); ++l)
    typed.push_back(starts[l].detach().to(h.params()[l].scalar_type()));
  return block_lanczos(
      [&](const TensorList& v, const std::vector<bool>& active) {
        return h.block_hvp(v, active, on_batch);
      },
      typed, max_steps, rel_tol);
}

std::vector<BlockEigen> block_lanczos(const BlockProductFn& product, const TensorList& starts,
                                      int max_steps, double rel_tol) {
  if (max_steps < 1)
    throw Error("Hessian analysis: Lanczos steps must be >= 1, got " + std::to_string(max_steps));
  const std::size_t blocks = starts.size();
  std::vector<Recurrence> rec(blocks);
  TensorList current(blocks);
  std::vector<bool> active(blocks, true);
  for (std::size_t l = 0; l < blocks; ++l) {
    const double n = std::sqrt(dot1(starts[l], starts[l]));
    if (n == 0.0) throw Error("Hessian analysis: a Lanczos start vector is zero");
    current[l] = starts[l].detach() / n;
    rec[l].q.push_back(current[l]);
  }
  for (int k = 1; k <= max_steps; ++k) {
    bool any = false;
    for (bool a : active) any = any || a;
    if (!any) break;
    const TensorList hq = product(current, active);
    for (std::size_t l = 0; l < blocks; ++l) {
      if (!active[l]) continue;
      Recurrence& r = rec[l];
      at::Tensor w = hq[l];
      r.alpha.push_back(dot1(current[l], w));
      // Full reorthogonalisation against the whole basis, twice (float32 products).
      for (int pass = 0; pass < 2; ++pass) {
        for (const auto& qi : r.q) w = w - dot1(qi, w) * qi;
      }
      const double beta_k = std::sqrt(dot1(w, w));
      r.ritz(beta_k);
      r.result.steps = k;
      const double scale = std::abs(r.result.lambda_max);
      const bool breakdown =
          beta_k <= 1e-7 * std::max(scale, std::abs(r.alpha.back())) || beta_k == 0.0;
      if (k == max_steps || breakdown || r.result.residual <= rel_tol * scale) {
        active[l] = false;
        continue;
      }
      r.beta.push_back(beta_k);
      current[l] = w / beta_k;
      r.q.push_back(current[l]);
    }
  }
  std::vector<BlockEigen> out;
  for (const auto& r : rec) out.push_back(r.result);
  return out;
}

}  // namespace aimcsim::nn
