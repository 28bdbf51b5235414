// Gauss-Newton blocks of the calibration loss (FACTS.md s.4, HILAL's fast estimator): per
// weight block l, G_ll = J_l^T A J_l, with J_l the Jacobian of the logits with respect to
// the block and A the Hessian of the batch-mean cross-entropy with respect to the logits
// (per image (diag(p) - p p^T) / N, p = softmax(logits)).
//
// Why: H = GGN + sum_k (dL/dz_k) d^2 z_k / dp^2. Within one diagonal block H_ll the second
// term vanishes when the logits are piecewise linear in that block's weight alone (ReLU or
// ReLU6 activations, max/average pooling, eval-mode batch norm, residual adds: resnet,
// mobilenetv2, nasbench201), because d^2 z / dW_l^2 = 0 almost everywhere, which is also
// what double backward computes (relu'' = 0). There G_ll = H_ll and this operator gives
// HILAL's trace and lambda_max without any double backward. For networks with smooth
// nonlinearities between a weight and the logits (GELU, softmax attention, layer norm:
// vit-tiny) G_ll is the Gauss-Newton approximation of H_ll (positive semi-definite).
//
// Contract (same loss, batches and vector layout as HessianOperator, nn/hessian/hessian.h):
// - block_product(v, active): G_ll v_l for every active block, averaged over the batches.
//   J_l v_l is a one-sided finite difference of the logits, (z(W_l + eps v_l) - z(W_l)) / eps
//   with eps |v_l| = kFiniteDifferenceStep |W_l| (exact for a piecewise-linear network
//   unless an activation changes side within the step; on resnet20 in float32 it differs
//   from the double-backward product by 0.1 to 0.9 %, bench_hessian_products), then one
//   backward restricted to W_l. Per batch: one forward with a graph
//   shared by all blocks, and per active block one forward without a graph and one
//   backward. Each perturbed weight is restored bit for bit (copied back).
// - block_traces(probes, gen): Tr(G_ll) of every block at once, by Hutchinson in the
//   output space: per batch and probe, u Rademacher [N, classes], the cotangent
//   c_n = R_n u_n / sqrt(N) with R_n R_n^T = diag(p_n) - p_n p_n^T (R_n's columns
//   sqrt(p_c) (e_c - p_n)),
//   and one backward g = J^T c for all blocks; E|g_l|^2 = Tr(G_ll) exactly, with no
//   cross-block term (unlike block_traces() in hessian.h). Cost per batch: one forward and
//   `probes` backward passes.
// - Every random draw comes from the generator passed in.
#pragma once

#include <ATen/core/Generator.h>

#include <functional>
#include <vector>

#include "nn/hessian/hessian.h"

namespace aimcsim::nn {

// Relative size of the finite-difference step: eps |v_l| = this * |W_l|. Measured on
// resnet20 (bench_hessian_products, float32): 1e-2 gives 1-3 % relative error (activations
// changing side dominate), 1e-3 gives 0.1-0.9 %, 1e-4 no better (rounding dominates).
inline constexpr double kFiniteDifferenceStep = 1e-3;

class GgnBlockOperator {
 public:
  // `params` must require grad and be used by `forward`.
  GgnBlockOperator(ForwardFn forward, std::vector<CalibrationBatch> batches, TensorList params);

  TensorList block_product(const TensorList& v, const std::vector<bool>& active,
                           const std::function<void()>& on_batch = {}) const;
  std::vector<double> block_traces(int probes, at::Generator& gen,
                                   const std::function<void()>& on_step = {}) const;
  const TensorList& params() const { return params_; }

 private:
  ForwardFn forward_;
  std::vector<CalibrationBatch> batches_;
  TensorList params_;
};

}  // namespace aimcsim::nn
