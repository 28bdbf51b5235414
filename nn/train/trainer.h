// FP32 training of a zoo model on Fashion-MNIST (issue 3, item 1).
//
// Recipe: SGD (momentum 0.9, weight decay 5e-4, Nesterov off), cosine learning
// rate per step from `lr` to 0 over all epochs, gradient L2-norm clipping,
// cross-entropy loss; augmentation = random crop with 2-pixel zero padding +
// horizontal flip (nn/train/augment.h); inputs normalised with the
// Fashion-MNIST mean/std. Test accuracy is evaluated after every epoch and a
// checkpoint is written to `out` after every epoch (nn/train/checkpoint.h).
//
// Determinism: torch::manual_seed(seed) before the model is built; each epoch e
// then reseeds torch (seed, e) and its own std::mt19937_64 (seed, e) for the
// shuffle and augmentation, so the state at an epoch boundary is fully given
// by (seed, epochs done, weights, optimizer state). Hence `resume` continues
// bit for bit like an uninterrupted run (same thread count assumed).
//
// Resume: with `resume` and an existing `out`, the checkpoint must be of the
// same model and the same recipe (seed, batch size, lr, momentum, weight
// decay, clipping, epochs, train_limit), else aimcsim::Error says which field
// differs. Without an existing checkpoint training starts from scratch.
//
// Hooks (TrainHooks) let hardware-aware training (nn/train/hwa_training.h) change the
// forward pass: prepare() runs once the model is built and its weights loaded,
// on_epoch_start(e) before epoch e's batches (reseed noise here for exact resume),
// after_step() after every optimizer step (weight clipping). Their `description` is stored
// in the checkpoint (CheckpointMeta::training) and must match on resume. Test accuracy is
// always measured in FP32 with every executor switched off.
//
// Fine-tuning: `init_from` names a finished checkpoint of the same model whose weights
// (not its optimizer state) start the run; ignored when resuming from `out`.
//
// train_epoch() is the one SGD epoch loop, public so that other loops (the staged noisy
// fine-tuning of mapping/staged_finetune.h) run exactly the same steps on their own data,
// model and optimizer. before_eval() is not called by train() (its test accuracy is FP32);
// loops that validate the noisy model call it first, so the noise of a validation pass is
// the same draw every time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/data/fmnist.h"
#include "nn/zoo/zoo_model.h"

namespace torch::optim {
class SGD;
}

namespace aimcsim::nn {

struct TrainHooks {
  std::string description = "fp";  // CheckpointMeta::training
  std::function<void(ZooModel&)> prepare;
  std::function<void(ZooModel&, int epoch)> on_epoch_start;  // epoch 0-based
  std::function<void(ZooModel&)> after_step;
  std::function<void(ZooModel&)> before_eval;  // reseed noise for a noisy validation pass
};

struct TrainOptions {
  std::string model = "resnet20";  // zoo name (nn/zoo/zoo.h)
  int epochs = 10;
  std::string out;  // checkpoint path; empty = no checkpoint
  uint64_t seed = 0;
  bool resume = false;
  int64_t batch_size = 128;
  double lr = 0.1;  // peak of the cosine schedule
  double momentum = 0.9;
  double weight_decay = 5e-4;
  double grad_clip = 5.0;     // max gradient L2 norm; 0 = off
  int64_t train_limit = 0;    // use the first N training images (0 = all)
  int64_t test_limit = 0;     // evaluate on the first N test images (0 = all)
  int stop_after_epochs = 0;  // return after this many epochs of this call (0 = all)
  bool progress = true;       // progress bar on stderr
  std::string init_from;      // start from this checkpoint's weights (fine-tuning)
  bool cosine_lr = true;      // false: constant `lr` (fine-tuning stages)
  TrainHooks hooks;
};

struct EpochStats {
  int epoch = 0;  // 1-based
  double train_loss = 0.0;
  double train_accuracy = 0.0;  // fraction, on augmented batches
  double test_accuracy = 0.0;   // fraction
  double seconds = 0.0;         // wall time of the epoch incl. evaluation
};

struct TrainResult {
  std::shared_ptr<ZooModel> model;
  std::vector<EpochStats> epochs;  // run by this call
  int epochs_done = 0;             // in total, including resumed ones
  double best_test_accuracy = 0.0;
  double last_test_accuracy = 0.0;
};

// Loads Fashion-MNIST from `data_dir` and trains.
TrainResult train(const TrainOptions& options, const std::string& data_dir = kFmnistDir);
// Trains on already-loaded data (tests pass small subsets).
TrainResult train(const TrainOptions& options, const Dataset& train_set, const Dataset& test_set);

// One epoch of SGD over `data` with the recipe of `options` (batch size, lr schedule over
// options.epochs, gradient clipping, hooks.on_epoch_start / after_step, progress bar),
// seeded from (options.seed, epoch). Returns (mean loss, accuracy) on the augmented batches.
std::pair<double, double> train_epoch(const TrainOptions& options, ZooModel& model,
                                      torch::optim::SGD& optimizer, const Dataset& data, int epoch);

// Top-1 accuracy (fraction) in eval mode, FP32 or with whatever executors are set.
double evaluate(ZooModel& model, const Dataset& data, int64_t batch_size = 500);

}  // namespace aimcsim::nn
