// MPS / MPAAS: the mixed-precision supernetwork search (issue 13; FACTS.md s.6; Benmeziane
// et al., Nat. Commun. 2026), on the simulator's latency and energy.
//
// Contract (run_mps):
// - Builds a Supernet (nn/supernet/supernet.h) from the FP model `m` and runs
//   phase 1 (fairness): phase1_epochs epochs, every SGD step one subnet from the
//     FairnessSampler (every candidate of every layer exactly once per window of K steps);
//   phase 2 (noise): phase2_epochs more epochs, sampling continued, analog candidates'
//     noise scale s per epoch: kProgressive 0 in phase 1 and j / phase2_epochs in phase-2
//     epoch j; kHni 0 in phase 1, then per layer hni_noise_factors(hni, j / phase2_epochs)
//     (hni: one value per supernet layer, from a HILAL report); kConstant 1 throughout;
//     kNone trains analog candidates in FP32 (ablation);
//     int8 candidates with QAT unless supernet.qat is off. SGD (momentum, weight decay,
//     gradient clipping) with a cosine lr over phases 1+2, epochs of images_per_epoch
//     images drawn from the training pool (never the validation split).
//   phase 3 (ranking): weights frozen; each step samples samples_per_step mappings from the
//     architecture distribution (per-layer softmax of the logits, seeded per step), scores
//     them (mps_score.h: validation accuracy at drift_s, simulated latency and energy,
//     digital weight bytes), ranks them by non-dominated sorting (pareto.h) and takes one
//     Adam step (state kept across steps) on the pairwise hinge loss (mps_ranking.h). Stops
//     when the argmax mapping has not changed for stable_steps steps, or after max_steps.
// - Rank check (rank_check > 0; not a setting, so a finished run folder takes it later):
//   after ranking, check_mps_ranking (mps_rank_check.h) on that many phase-3 subnets,
//   from the weights saved at the end of phase 2 (run_dir/phase2.pt, with the supernet's
//   own batch-norm statistics); the model is restored afterwards, so the search's result
//   does not depend on it. The report's "rank_check" holds the figures.
// - Fine-tune (finetune_epochs > 0, issue 13 item 7): the argmax subnet alone trains for
//   up to finetune_epochs more epochs (mps_phases.h finetune_subnet_epoch: full analog noise,
//   QAT, constant lr finetune_lr), its validation accuracy (as phase 3 scores it) measured
//   before and after every epoch; the weights of the best epoch (epoch 0 = no fine-tune, so
//   it never ends worse on validation) are the extracted ones. The report's "finetune" holds
//   the accuracy with and without. One committed unit per epoch.
// - Extraction: the argmax mapping (scored with the supernet weights, before any fine-tune), and
// the Pareto front over every mapping scored
//   in phase 3 in (validation error, latency, energy); its hypervolume with every objective
//   divided by all-digital's (FP model's validation error; the all-digital preset's
//   simulated latency and energy) and reference point hv_reference.
// - Resume: run_dir/state.json (phase, epochs and steps done, history, scores) and
//   run_dir/state.pt (model and supernet weights and buffers, logits, optimizer states),
//   committed after every epoch and every ranking step (temporary file + rename). The same
//   options resume; different options are refused naming the key. An interrupted run
//   resumed gives the same mapping and weights as an uninterrupted one (same threads).
// - Outputs in run_dir when finished: finetuned.pt (the extracted subnet's weights, batch
//   norm recalibrated for it, skip projections included; `eval --ckpt` reads it),
//   front-I.pt (front point I's weights: the supernet's after phase 2, batch norm
//   recalibrated for that subnet; never the argmax's fine-tuned ones),
//   mapping.json, front-I.json, report.json.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mapping/cost_oracle.h"
#include "mapping/mps_score.h"
#include "mapping/staged_finetune.h"
#include "nn/eval/loaded_model.h"
#include "nn/supernet/supernet.h"

namespace aimcsim::mapping {

enum class NoiseSchedule { kNone, kConstant, kProgressive, kHni };
const char* to_string(NoiseSchedule s);
// "none", "constant", "progressive", "hni"
NoiseSchedule parse_noise_schedule(const std::string& text);

// kHni's per-layer factors at phase-2 progress p in [0, 1] (epoch j of P2: p = j / P2),
// from each layer's HILAL noise sensitivity HNI (FACTS.md s.4): layer l of rank r_l in
// [0, 1] (fraction of the other layers with a lower HNI) starts its ramp at p = r_l / 2 and
// reaches 1 at p = 1: factor = clamp((p - r_l / 2) / (1 - r_l / 2), 0, 1). The most robust
// layer ramps like kProgressive; the most sensitive gets no noise before half of phase 2,
// so the network adapts to the robust layers' noise first. Every layer ends at 1.
std::vector<double> hni_noise_factors(const std::vector<double>& hni, double progress);

struct MpsOptions {
  nn::SupernetOptions supernet;
  NoiseSchedule noise = NoiseSchedule::kProgressive;
  std::vector<double> hni;  // kHni: per supernet layer, in layer order
  int phase1_epochs = 2;
  int phase2_epochs = 4;
  std::int64_t images_per_epoch = 10000;
  std::int64_t batch_size = 128;
  double lr = 0.01;  // cosine peak; the weights start from the FP checkpoint
  double momentum = 0.9, weight_decay = 5e-4, grad_clip = 5.0;
  int samples_per_step = 16;  // FACTS.md s.6 (N = 16)
  int max_steps = 30;
  int stable_steps = 5;
  double ranking_lr = 0.05;                 // Adam on the logits
  double margin = 0.1;                      // FACTS.md s.6
  std::int64_t phase3_validation = 1000;    // validation images scored per mapping
  std::int64_t recalibration_images = 512;  // batch-norm recalibration (training pool)
  int rank_check = 0;          // subnets in the ranking check (mps_rank_check.h); 0 = none
  int finetune_epochs = 0;     // of the extracted subnet (0 = none)
  double finetune_lr = 0.005;  // constant; as the LAFT stages (staged_finetune.h)
  ScorerOptions scorer;
  std::array<double, 3> hv_reference{2.0, 1.0, 1.0};  // (error, latency, energy) / all-digital
  std::uint64_t seed = 0;
  std::string run_dir;
  int stop_after = 0;  // return after this many epochs + ranking steps of this call (0 = all)
  bool progress = true;
  std::string label = "mps";  // method name in reports ("mps", "mpaas")
};

struct MpsResult {
  bool finished = false;
  int units_done = 0, units_total = 0;  // epochs + ranking steps + fine-tune epochs
  Mapping mapping{"mps"};
  SubnetScore argmax;               // scored with the supernet's weights
  double finetuned_accuracy = 0.0;  // validation, after the fine-tune (= argmax's without)
  std::vector<SubnetScore> front;
  std::vector<std::string> front_checkpoints;  // run_dir/front-I.pt, one per front point
  double hypervolume = 0.0;
  double search_seconds = 0.0;  // summed over sessions
  std::string checkpoint_path, mapping_path, report_path;
  nlohmann::json report;
};

MpsResult run_mps(nn::LoadedModel& m, const FinetuneData& data, CostOracle& oracle,
                  const MpsOptions& options);

}  // namespace aimcsim::mapping
