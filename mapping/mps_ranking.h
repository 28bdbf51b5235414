// MPS phase 3 ranking loss (issue 13 item 6; FACTS.md s.6): better-ranked mappings should
// get a higher log-probability under the architecture distribution.
//
// Contract:
// - log_probs: [layers, max candidates], a per-layer log-softmax (supernet.h); choices[i]:
//   mapping i as a candidate index per layer; ranks[i]: its non-dominated front (0 best).
// - log p(i) = sum_l log_probs[l, choices[i][l]].
// - loss = mean over ordered pairs (i, j) with ranks[i] < ranks[j] of
//   max(0, margin - (log p(i) - log p(j))); 0 (with a graph, zero gradient) when no pair
//   has different ranks. Differentiable in log_probs (hence in the logits).
#pragma once

#include <torch/types.h>

#include <vector>

namespace aimcsim::mapping {

torch::Tensor mapping_log_prob(const torch::Tensor& log_probs, const std::vector<int>& choice);

torch::Tensor pairwise_hinge_loss(const torch::Tensor& log_probs,
                                  const std::vector<std::vector<int>>& choices,
                                  const std::vector<int>& ranks, double margin = 0.1);

}  // namespace aimcsim::mapping
