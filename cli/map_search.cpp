// `aimcsim map`'s flags and printing (map_search.h); the searches run in mapping/search.h.
#include "cli/map_search.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "mapping/methods.h"
#include "mapping/search_method.h"

namespace aimcsim::cli {

std::string map_methods_text() {
  std::string text = search_methods_text();
  for (MappingMethod m : all_mapping_methods()) text += ", " + std::string(method_name(m));
  return text;
}

void add_search_options(CLI::App* cmd, SearchRequest& o, const std::string& calib_batch_size_flag) {
  cmd->add_option("--images-per-epoch", o.images_per_epoch,
                  "LAFT/LionHEART: training images per fine-tuning epoch")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{60000}))
      ->capture_default_str();
  cmd->add_option("--max-epochs", o.max_epochs, "LAFT/LionHEART: max epochs per stage")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--patience", o.patience, "LAFT/LionHEART: early-stopping patience P")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--lr", o.lr, "LAFT/LionHEART: fine-tuning learning rate (constant)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--validation", o.validation_images,
                  "LAFT/LionHEART: validation images held out (the last N training images)")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{30000}))
      ->capture_default_str();
  cmd->add_option("--stage-validation", o.stage_validation_images,
                  "LAFT/LionHEART: validate each fine-tuning epoch on the first N held-out "
                  "images (0: all; LionHEART's drift check always uses all)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{30000}))
      ->capture_default_str();
  cmd->add_option("--threshold", o.threshold,
                  "LionHEART: allowed accuracy drop below all-digital (fraction; 0.02 = 2 points)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--eval-seeds", o.eval_seeds, "LionHEART: programming seeds of the 1-day check")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--probes", o.probes, "Hutchinson Rademacher probes per layer")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--power-steps", o.power_steps, "Power-iteration steps per layer")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--sensitivity-estimator", o.sensitivity_estimator,
                  "HILAL: Tr and lambda_max: auto (gauss-newton where it equals the Hessian "
                  "block, else per-layer), gauss-newton (all layers at once, no double "
                  "backward), per-layer (the reference) or shared (whole-model HVPs)")
      ->check(CLI::IsMember({"auto", "gauss-newton", "per-layer", "shared"}))
      ->capture_default_str();
  cmd->add_option("--batches", o.batches, "Calibration batches from the training split")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--restarts", o.restarts, "k-means restarts (lowest inertia kept)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_flag("--no-progress", o.no_progress, "No progress bar on stderr");
  cmd->add_option(calib_batch_size_flag, o.batch_size, "HILAL: images per calibration batch")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{60000}))
      ->capture_default_str();
  cmd->add_option("--candidates", o.candidates,
                  "MPS: candidate targets per layer (subset of analog,int8,fp16,skip)")
      ->capture_default_str();
  cmd->add_option("--weight-sharing", o.weight_sharing,
                  "MPS: analog/int8/fp16 candidates keep separate weights or share one")
      ->check(CLI::IsMember({"separate", "shared"}))
      ->capture_default_str();
  cmd->add_option("--noise", o.noise,
                  "MPS: analog candidates' noise: none (FP), constant, progressive (phase 2 "
                  "ramp), hni (per-layer ramp, sensitive layers later; needs --hni-from)")
      ->check(CLI::IsMember({"none", "constant", "progressive", "hni"}))
      ->capture_default_str();
  cmd->add_option("--hni-from", o.hni_from,
                  "MPS --noise hni: HILAL report (map hilal --json) giving each layer's HNI");
  cmd->add_flag("--no-qat", o.no_qat, "MPS: int8 candidates train in FP32 (ablation)");
  cmd->add_flag("--no-bn-recalibration", o.no_bn_recalibration,
                "MPS: score subnets with the shared batch-norm statistics");
  cmd->add_option("--phase1-epochs", o.phase1_epochs, "MPS: fairness-training epochs")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  cmd->add_option("--phase2-epochs", o.phase2_epochs, "MPS: progressive-noise epochs")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  cmd->add_option("--mps-images-per-epoch", o.mps_images_per_epoch,
                  "MPS: training images per supernet epoch")
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{60000}))
      ->capture_default_str();
  cmd->add_option("--mps-lr", o.mps_lr, "MPS: SGD peak learning rate (cosine) of phases 1-2")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--samples", o.samples, "MPS: mappings sampled per ranking step (N)")
      ->capture_default_str();
  cmd->add_option("--max-steps", o.max_steps, "MPS: ranking step budget")->capture_default_str();
  cmd->add_option("--stable-steps", o.stable_steps,
                  "MPS: stop ranking once the argmax mapping is unchanged this many steps")
      ->capture_default_str();
  cmd->add_option("--ranking-lr", o.ranking_lr, "MPS: Adam learning rate on the logits")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--margin", o.margin, "MPS: pairwise hinge margin")->capture_default_str();
  cmd->add_option("--widen-tolerance", o.widen_tolerance,
                  "MPAAS: widen block inner layers while the simulated all-analog latency and "
                  "energy rise by at most this fraction (0 = no rise at all)")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  cmd->add_option("--rank-check", o.rank_check,
                  "MPS: after ranking, compare the supernet's accuracy estimates (with and "
                  "without batch-norm recalibration) with a short stand-alone training of this "
                  "many subnets (Kendall tau; 0 = none)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd->add_option("--finetune-epochs", o.finetune_epochs,
                  "MPS: epochs of noisy fine-tuning of the extracted subnet (best validation "
                  "epoch kept; 0 = none)")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  cmd->add_option("--finetune-lr", o.finetune_lr, "MPS: constant learning rate of that fine-tune")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--phase3-validation", o.phase3_validation,
                  "MPS: validation images scored per mapping in phase 3")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{30000}))
      ->capture_default_str();
}

void run_map(const SearchRequest& o) { std::cout << run_search(o).summary; }

}  // namespace aimcsim::cli
