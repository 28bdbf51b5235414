// Internals of the MPS search (mps.h), shared by its translation units: one supernet
// training epoch of phases 1-2, and one ranking step of phase 3.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "mapping/mps.h"
#include "nn/supernet/fairness_sampler.h"

namespace torch::optim {
class SGD;
class Adam;
}  // namespace torch::optim

namespace aimcsim::mapping {

// Noise scale of the analog candidates in global epoch `epoch` (0-based over phases 1+2).
double mps_noise_scale(const MpsOptions& o, int epoch);
// Per-layer factors on that scale (kHni in phase 2: hni_noise_factors); empty: none.
std::vector<double> mps_layer_noise_factors(const MpsOptions& o, int epoch);

// Trains global epoch `epoch`; adds the trained subnets to counts[layer][candidate].
// Returns {epoch, phase, noise_scale, train_loss, train_accuracy, steps, seconds}.
nlohmann::json train_supernet_epoch(nn::Supernet& supernet, const MpsOptions& o,
                                    const nn::FairnessSampler& sampler, torch::optim::SGD& sgd,
                                    const nn::Dataset& pool, int epoch,
                                    std::vector<std::vector<std::int64_t>>& counts);

// Fine-tune epoch `finetune_epoch` (0-based) of the extracted subnet `choice` (--finetune-
// epochs): the same SGD epoch with that subnet on every step, constant lr o.finetune_lr,
// analog noise at full scale (0 with NoiseSchedule::kNone), its own images and noise stream.
// Returns {epoch, noise_scale, train_loss, train_accuracy, steps, seconds}.
nlohmann::json finetune_subnet_epoch(nn::Supernet& supernet, const MpsOptions& o,
                                     const std::vector<int>& choice, torch::optim::SGD& sgd,
                                     const nn::Dataset& pool, int finetune_epoch);

// One phase-3 step (0-based `step`): samples, scores, ranks, one Adam step. Returns
// {step, loss, samples: [choice...], ranks, argmax, evaluated, seconds}.
nlohmann::json ranking_step(nn::Supernet& supernet, SubnetScorer& scorer, const MpsOptions& o,
                            torch::optim::Adam& adam, int step);

}  // namespace aimcsim::mapping
