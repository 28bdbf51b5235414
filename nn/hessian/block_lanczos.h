// Largest eigenvalue of every diagonal Hessian block at once (HILAL's lambda_max(H_ll) for
// all layers, FACTS.md s.4), by one Lanczos recurrence per block driven by the shared
// block-diagonal product HessianOperator::block_hvp().
//
// Contract:
// - Block l runs Lanczos on H_ll alone (full reorthogonalisation, double-precision
//   tridiagonal) from `starts[l]` (any non-zero vector shaped like parameter l; it is
//   normalised). No cross-block term enters: block_hvp applies each block's own H_ll, so
//   block l's result does not depend on the other blocks (up to float rounding).
// - Each step costs one product over the blocks still running; on the Hessian (block_hvp)
//   per calibration batch one forward, one create_graph backward and one second backward
//   per running block.
// - Block l stops after `max_steps` steps, on breakdown (an invariant Krylov subspace: the
//   Ritz values are exact), or when the Ritz pair of largest magnitude has residual
//   |H_ll y - theta y| <= rel_tol * |theta| (the residual bound of Lanczos, beta_k |s_k|).
// - Returns per block the Ritz value of largest magnitude, with its sign (0 if H_ll q = 0
//   for the start q), and the steps it ran. After k steps it is at least as close to the
//   extreme eigenvalue as k power-iteration steps from the same start (the power iterate
//   lies in the Krylov space).
#pragma once

#include <functional>
#include <vector>

#include "nn/hessian/hessian.h"

namespace aimcsim::nn {

struct BlockEigen {
  double lambda_max = 0.0;  // Ritz value of largest magnitude (signed)
  int steps = 0;            // Lanczos steps (block products) this block ran
  double residual = 0.0;    // beta_k |s_k| of that Ritz pair at the stop
};

// A block-diagonal product: (B_ll v_l) for every active block l, undefined where inactive
// (HessianOperator::block_hvp, GgnBlockOperator::block_product).
using BlockProductFn =
    std::function<TensorList(const TensorList& v, const std::vector<bool>& active)>;

// Lanczos on every diagonal block of the symmetric operator `product`; `starts` gives the
// blocks' shapes and dtypes.
std::vector<BlockEigen> block_lanczos(const BlockProductFn& product, const TensorList& starts,
                                      int max_steps, double rel_tol);

// On the Hessian: `on_batch` (optional) is called after each calibration batch of each step.
std::vector<BlockEigen> block_lanczos(const HessianOperator& h, const TensorList& starts,
                                      int max_steps, double rel_tol,
                                      const std::function<void()>& on_batch = {});

}  // namespace aimcsim::nn
