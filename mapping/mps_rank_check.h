// How well the supernet ranks subnets, with and without batch-norm recalibration (issue 13
// item 5): the phase-3 accuracy estimate of a subnet (shared weights, one eval seed) against
// a stand-alone estimate of the same subnet after a short training of its own.
//
// Contract (check_mps_ranking):
// - Takes `count` subnets from `scored` (the phase-3 scores): sorted by their phase-3
//   accuracy, evenly spaced over that order from the lowest to the highest (all of them if
//   fewer), so the check spans the accuracy range the ranking had to order.
// - For each, starting from `phase2_weights` (mps_state.h; weights and batch-norm
//   statistics at the end of phase 2): its validation accuracy as phase 3 measures it with batch
//   norm recalibrated for the subnet, and with the supernet's shared batch-norm statistics; then
//   the reference: that subnet alone trained for one fine-tune epoch (mps_phases.h
//   finetune_subnet_epoch: full noise, o.finetune_lr, a fresh SGD) and measured again
//   (recalibrated). The model holds phase2_weights again on return.
// - Returns {subnets: [{choice, recalibrated, shared_bn, reference}], kendall_tau:
//   {recalibrated, shared_bn}, spearman: {...}, seconds}; tau = (concordant - discordant)
//   / pairs, ties in either list counted as neither.
// - Deterministic: same weights, options and data -> the same figures.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "mapping/mps.h"
#include "mapping/mps_score.h"

namespace torch::optim {
class SGD;
}

namespace aimcsim::mapping {

double kendall_tau(const std::vector<double>& a, const std::vector<double>& b);
double spearman_rho(const std::vector<double>& a, const std::vector<double>& b);

nlohmann::json check_mps_ranking(nn::Supernet& supernet, SubnetScorer& scorer,
                                 const std::map<std::vector<int>, SubnetScore>& scored,
                                 const MpsOptions& o, const nn::Dataset& pool, int count,
                                 const std::string& phase2_weights);

}  // namespace aimcsim::mapping
