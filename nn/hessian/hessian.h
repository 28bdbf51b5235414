// Hessian tools on a model in eval mode (FACTS.md s.4, HILAL): Hessian-vector products by
// double backward, Hutchinson traces, power iteration and the one-pass block trace.
//
// Contract:
// - The loss is L = mean over the calibration batches of the batch-mean cross-entropy of
//   model(images) against labels; every batch should hold the same number of images, then
//   L is the mean cross-entropy over all calibration images. H = d^2 L / dp^2 for a list
//   of parameter tensors p (one layer's weight for HILAL: its diagonal Hessian block).
// - The model must be in eval mode (batchnorm uses running statistics, so L is a
//   deterministic function of the parameters). Gradients are computed with
//   torch::autograd::grad, so the parameters' .grad fields are never touched.
// - Vectors are lists of tensors shaped like the parameters (one per parameter).
// - Every random draw (Rademacher probes, the power-iteration start) comes from the
//   at::Generator passed in, so the same generator state gives the same result.
// - Cost: hvp() runs one forward, one backward with create_graph and one second backward
//   per batch. hutchinson_trace() keeps each batch's gradient graph for all m probes (m + 1
//   backward passes per batch instead of 2m, plus one forward); power_iteration() needs
//   the whole-H product at every step, so it runs K full hvp() calls. block_hvp() runs one
//   forward and one create_graph backward per batch for all active blocks together, then
//   one second backward per active block (each restricted to its own block).
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace aimcsim::nn {

// One calibration batch: normalised images float32 [N, 1, 28, 28], labels int64 [N].
struct CalibrationBatch {
  at::Tensor images;
  at::Tensor labels;
};

using TensorList = std::vector<at::Tensor>;
// Logits [N, classes] of the model on normalised images.
using ForwardFn = std::function<at::Tensor(const at::Tensor& images)>;

class HessianOperator {
 public:
  // `params` must require grad and be used by `forward`.
  HessianOperator(ForwardFn forward, std::vector<CalibrationBatch> batches, TensorList params);

  // H v, averaged over the batches (v shaped like the parameters).
  TensorList hvp(const TensorList& v) const;
  // Block-diagonal product: (H_ll v_l) for every parameter l with active[l] (each block's
  // own diagonal block of H, no cross terms), averaged over the batches; an undefined
  // tensor where active[l] is false. One forward per batch shared by all blocks;
  // `on_batch` (optional) is called after each batch.
  TensorList block_hvp(const TensorList& v, const std::vector<bool>& active,
                       const std::function<void()>& on_batch = {}) const;
  // Number of scalar parameters (dimension of H).
  int64_t dimension() const;
  const TensorList& params() const { return params_; }
  std::size_t batch_count() const { return batches_.size(); }

  // Calls `fn(batch_index, grad)` with the gradient of one batch's loss, built with
  // create_graph so that fn can differentiate it again (retain_graph as needed).
  void for_each_batch_gradient(const std::function<void(std::size_t, const TensorList&)>& fn) const;

 private:
  ForwardFn forward_;
  std::vector<CalibrationBatch> batches_;
  TensorList params_;
};

// Throws aimcsim::Error unless there is a batch and every parameter is defined and
// requires grad (the operators' common precondition).
void check_hessian_inputs(const std::vector<CalibrationBatch>& batches, const TensorList& params);

// A vector of independent Rademacher (+-1) entries shaped like `like`.
TensorList rademacher_like(const TensorList& like, at::Generator& gen);
double dot(const TensorList& a, const TensorList& b);

// Tr(H) by Hutchinson: mean over `probes` Rademacher v of v^T H v (FACTS.md s.4).
// `on_step` (optional) is called after each probe of each batch.
double hutchinson_trace(const HessianOperator& h, int probes, at::Generator& gen,
                        const std::function<void()>& on_step = {});

// lambda_max by `steps` power-iteration steps from a random normalised (Gaussian) start:
// v <- Hv / |Hv|; returns the Rayleigh quotient v^T H v of the last step (the eigenvalue of
// largest magnitude, with its sign; 0 if Hv vanishes).
double power_iteration(const HessianOperator& h, int steps, at::Generator& gen,
                       const std::function<void()>& on_step = {});

// Block traces Tr(H_ll) of every parameter of `h` at once (FACTS.md s.4 last bullet): each
// probe is independent Rademacher blocks v_l; one whole-H product per probe and batch gives
// v_l^T (Hv)_l, whose mean is Tr(H_ll) since cross-block terms have zero mean. Returns one
// trace per parameter tensor.
std::vector<double> block_traces(const HessianOperator& h, int probes, at::Generator& gen,
                                 const std::function<void()>& on_step = {});

}  // namespace aimcsim::nn
