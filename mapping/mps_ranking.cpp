// Phase 3 ranking loss (mps_ranking.h).
#include "mapping/mps_ranking.h"

#include <torch/torch.h>

#include "models/error.h"

namespace aimcsim::mapping {

torch::Tensor mapping_log_prob(const torch::Tensor& log_probs, const std::vector<int>& choice) {
  if (static_cast<std::int64_t>(choice.size()) != log_probs.size(0)) {
    throw Error("ranking: a mapping needs one candidate per layer");
  }
  std::vector<std::int64_t> index(choice.begin(), choice.end());
  const torch::Tensor idx = torch::tensor(index, torch::kInt64).unsqueeze(1);
  return log_probs.gather(1, idx).sum();
}

torch::Tensor pairwise_hinge_loss(const torch::Tensor& log_probs,
                                  const std::vector<std::vector<int>>& choices,
                                  const std::vector<int>& ranks, double margin) {
  if (choices.size() != ranks.size()) throw Error("ranking: one rank per mapping expected");
  std::vector<torch::Tensor> lp;
  for (const auto& c : choices) lp.push_back(mapping_log_prob(log_probs, c));
  // Zero on the logits' graph (backward works without pairs); not log_probs.sum() * 0,
  // which is NaN: absent candidates hold -inf.
  torch::Tensor sum = lp.empty() ? torch::zeros({}, log_probs.options()) : lp[0] * 0.0;
  std::int64_t pairs = 0;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    for (std::size_t j = 0; j < choices.size(); ++j) {
      if (ranks[i] >= ranks[j]) continue;
      sum = sum + torch::relu(margin - (lp[i] - lp[j]));
      ++pairs;
    }
  }
  return pairs == 0 ? sum : sum / static_cast<double>(pairs);
}

}  // namespace aimcsim::mapping
