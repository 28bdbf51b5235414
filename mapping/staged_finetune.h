// One stage of noisy fine-tuning (HILAL's LAFT, LionHEART; FACTS.md s.3, s.4, s.5): HWA
// noise injection on the analog layers of a Mapping, short "epochs" of a fixed number of
// training images, validation after every epoch, early stopping, best weights kept.
//
// Contract:
// - Data: the validation split is held out of the 60,000 training images (split_validation:
//   the LAST `validation_images`, default 5,000; the rest is the training pool). The test set
//   is never used for any decision of a search.
// - finetune_stage(): epoch e (1-based) trains on `images_per_epoch` images drawn without
//   replacement from the pool by a std::mt19937_64 seeded from (stage_seed, e), with the SGD
//   epoch of nn/train/trainer.h (train_epoch; crop+flip augmentation, constant lr, gradient
//   clipping, a fresh SGD with momentum per stage) and the HWA hooks of
//   nn/train/hwa_training.h on the mapping's analog layers: weight noise gamma * max|W| per
//   forward, the config's analog numerics (DAC/ADC, output noise), weights clipped to
//   +- clip_n_std after every step. Digital layers train in FP32.
// - Validation accuracy (on the first options.validation_images images of the split, all
//   if 0) is that of the NOISY analog model (the papers early-stop on the
//   accuracy of the model that will run on the analog hardware): eval mode, the same HWA
//   forward, its noise reseeded to one fixed stream before every pass (common random
//   numbers, so epochs are compared on the same noise draw). Epoch 0 is the stage's starting
//   weights, so a stage never ends worse than it started.
// - Early stopping (EarlyStopper): kNoImprovement stops after `patience` epochs in a row
//   that do not beat the best (LAFT); kBelowBest after `patience` epochs in a row strictly
//   below the best (LionHEART: "P evaluations in a row fall below the best"). At most
//   max_epochs. On return the model holds the weights and buffers of the best epoch (first
//   one on ties) and every layer runs its FP32 op again.
// - Same stage_seed, data, weights and thread count -> bit-identical weights.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/analog/hwa.h"
#include "models/params/analog_params.h"
#include "nn/data/fmnist.h"
#include "nn/zoo/zoo_model.h"
#include "sim/mapping/mapping.h"

namespace aimcsim::mapping {

inline constexpr std::int64_t kDefaultValidationImages = 5000;

struct FinetuneData {
  nn::Dataset train;       // training pool (first 60,000 - validation images)
  nn::Dataset validation;  // held out: the last `validation_images` training images
};

// Splits the training set: the last `validation_images` form the validation split.
FinetuneData split_validation(const nn::Dataset& full_train,
                              std::int64_t validation_images = kDefaultValidationImages);

enum class EarlyStopRule { kNoImprovement, kBelowBest };
std::string early_stop_rule_name(EarlyStopRule rule);  // "no-improvement", "below-best"

// Pure early-stopping bookkeeping over a sequence of validation accuracies.
class EarlyStopper final {
 public:
  EarlyStopper(EarlyStopRule rule, int patience);
  // Records epoch `epoch`'s accuracy; returns true if it is the new best (strictly better).
  bool record(int epoch, double accuracy);
  bool should_stop() const { return bad_in_a_row_ >= patience_; }
  int best_epoch() const { return best_epoch_; }
  double best_accuracy() const { return best_; }

 private:
  EarlyStopRule rule_;
  int patience_;
  int bad_in_a_row_ = 0;
  int best_epoch_ = -1;
  double best_ = 0.0;
};

struct StageOptions {
  std::int64_t images_per_epoch = 2000;  // training images per "epoch"
  // Epochs are validated on the first N images of the validation split (0 = all of it):
  // epochs are compared on the same images and noise draw, so a paired difference needs
  // fewer images than an absolute accuracy (LionHEART's drift check uses the whole split).
  std::int64_t validation_images = 0;
  int max_epochs = 10;  // per stage
  int patience = 2;     // P
  EarlyStopRule rule = EarlyStopRule::kNoImprovement;
  std::int64_t batch_size = 128;
  double lr = 0.005;  // constant during fine-tuning
  double momentum = 0.9;
  double weight_decay = 5e-4;
  double grad_clip = 5.0;  // max gradient L2 norm; 0 = off
  bool progress = false;   // progress bars on stderr
};

// Weight clipping of fine-tuning: +- 3 std. Clipping an FP-trained resnet8 to +- 2 std (the
// from-scratch HWA default) cost ~40 points of validation accuracy after one step here, more
// than a short stage recovers; 3 std keeps the FP accuracy (measured in
// tests/unit/test_finetune_search.cpp's setting, 2 vs 2.5 vs 3 std).
inline constexpr double kFinetuneClipStd = 3.0;

// The HWA forward: the config's [tile] numerics and the noise-injection settings.
struct HwaSetup {
  AnalogNumericsParams numerics;
  HwaParams hwa{0.08, kFinetuneClipStd};  // gamma 0.08 (FACTS.md s.3, s.4)
};

// Replaces the validation pass (tests: a deterministic fake). Called with the model (its
// executors set) and the epoch (0 = before training); returns an accuracy in [0, 1].
using ValidationHook = std::function<double(nn::ZooModel& model, int epoch)>;

struct StageResult {
  std::vector<double> validation_accuracy;  // [0] = starting weights, [e] after epoch e
  int epochs_trained = 0;
  int best_epoch = 0;
  double best_validation_accuracy = 0.0;
  double seconds = 0.0;             // wall time of the stage
  double training_seconds = 0.0;    // of which: the training epochs
  double validation_seconds = 0.0;  // of which: the validation passes (epoch 0 included)
};

StageResult finetune_stage(nn::ZooModel& model, const Mapping& mapping, const FinetuneData& data,
                           const StageOptions& options, const HwaSetup& hwa,
                           std::uint64_t stage_seed, const ValidationHook& validation = {});

// Copies of every parameter and buffer of a module, for best-epoch and revert bookkeeping.
class WeightSnapshot final {
 public:
  explicit WeightSnapshot(torch::nn::Module& model);
  void restore(torch::nn::Module& model) const;
  bool equals(torch::nn::Module& model) const;  // bit-identical

 private:
  std::vector<at::Tensor> tensors_;  // parameters, then buffers, in named order
};

}  // namespace aimcsim::mapping
