// Ranking quality of the supernet's subnet estimates (mps_rank_check.h).
#include "mapping/mps_rank_check.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "mapping/mps_phases.h"
#include "mapping/mps_state.h"

namespace aimcsim::mapping {
namespace {

std::vector<double> ranks_of(const std::vector<double>& v) {  // average ranks for ties
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto i, auto j) { return v[i] < v[j]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * static_cast<double>(i + j);
    i = j + 1;
  }
  return r;
}

}  // namespace

double kendall_tau(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n < 2) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double s = (a[i] - a[j]) * (b[i] - b[j]);
      sum += s > 0 ? 1.0 : s < 0 ? -1.0 : 0.0;
    }
  }
  return sum / (0.5 * static_cast<double>(n * (n - 1)));
}

double spearman_rho(const std::vector<double>& a, const std::vector<double>& b) {
  const std::vector<double> ra = ranks_of(a), rb = ranks_of(b);
  const double n = static_cast<double>(ra.size());
  if (n < 2) return 0.0;
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
  const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double cov = 0.0, va = 0.0, vb = 0.0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) * (ra[i] - ma);
    vb += (rb[i] - mb) * (rb[i] - mb);
  }
  return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0.0;
}

nlohmann::json check_mps_ranking(nn::Supernet& supernet, SubnetScorer& scorer,
                                 const std::map<std::vector<int>, SubnetScore>& scored,
                                 const MpsOptions& o, const nn::Dataset& pool, int count,
                                 const std::string& phase2_weights) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<SubnetScore> all;
  for (const auto& [choice, s] : scored) all.push_back(s);
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& x, const auto& y) { return x.accuracy < y.accuracy; });
  std::vector<std::vector<int>> picked;
  const std::size_t n = std::min(all.size(), static_cast<std::size_t>(std::max(count, 0)));
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t at = n > 1 ? i * (all.size() - 1) / (n - 1) : all.size() - 1;
    picked.push_back(all[at].choice);
  }
  std::vector<double> recal, shared, reference;
  nlohmann::json subnets = nlohmann::json::array();
  for (std::size_t i = 0; i < picked.size(); ++i) {
    const auto& c = picked[i];
    load_module_weights(supernet.model(), phase2_weights);
    shared.push_back(scorer.accuracy(c, false));  // first: recalibration overwrites the stats
    recal.push_back(scorer.accuracy(c, true));
    torch::optim::SGD sgd(
        supernet.model().parameters(),
        torch::optim::SGDOptions(o.finetune_lr).momentum(o.momentum).weight_decay(o.weight_decay));
    finetune_subnet_epoch(supernet, o, c, sgd, pool, 1000 + static_cast<int>(i));
    reference.push_back(scorer.accuracy(c, true));
    subnets.push_back({{"choice", c},
                       {"recalibrated", recal.back()},
                       {"shared_bn", shared.back()},
                       {"reference", reference.back()}});
  }
  load_module_weights(supernet.model(), phase2_weights);
  return {
      {"subnets", subnets},
      {"kendall_tau",
       {{"recalibrated", kendall_tau(recal, reference)},
        {"shared_bn", kendall_tau(shared, reference)}}},
      {"spearman",
       {{"recalibrated", spearman_rho(recal, reference)},
        {"shared_bn", spearman_rho(shared, reference)}}},
      {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
}

}  // namespace aimcsim::mapping
