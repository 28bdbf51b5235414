// Training checkpoints: one file holding the model's identity, its weights and
// buffers, the optimizer state and the training progress, so that training
// resumes exactly (nn/train/trainer.h) and later tools can rebuild the model.
//
// Format: a LibTorch archive (torch::serialize, zip) with the keys
//   format = "aimcsim-checkpoint-v1", model.name, model.hyper_parameters,
//   train.* (the CheckpointMeta fields below), model (weights+buffers),
//   optimizer (SGD state; absent if saved without an optimizer).
//
// Contract:
//  - save_checkpoint() writes `path`.tmp and renames it over `path` (atomic on
//    POSIX), creating the parent folder if needed.
//  - read_checkpoint_meta() reads only the metadata.
//  - load_checkpoint() first checks that the file is an aimcsim checkpoint
//    whose model name and hyper-parameters equal the given model's, then
//    loads weights (and the optimizer state if `optimizer` is non-null) and
//    checks every tensor shape. Every failure (missing, truncated or corrupt
//    file, another model, shape mismatch) throws aimcsim::Error naming the
//    file and what was expected; the model is then left unusable only if the
//    failure happened after the identity checks (shape mismatch).
//  - load_model() builds the zoo model named in the checkpoint and loads it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "nn/zoo/zoo_model.h"

namespace torch::optim {
class Optimizer;
}

namespace aimcsim::nn {

struct CheckpointMeta {
  std::string model_name;
  std::string hyper_parameters;
  int epochs_done = 0;   // completed epochs
  int epochs_total = 0;  // length of the cosine schedule
  uint64_t seed = 0;
  int64_t batch_size = 0;
  double lr = 0.0;  // peak learning rate
  double momentum = 0.0;
  double weight_decay = 0.0;
  double grad_clip = 0.0;           // max global L2 norm of the gradient (0 = off)
  int64_t train_limit = 0;          // training images used (0 = all)
  double best_test_accuracy = 0.0;  // fraction in [0, 1]
  double last_test_accuracy = 0.0;  // after epochs_done epochs
  std::string history;  // one line per epoch: "epoch train_loss train_acc test_acc seconds"
  // How the weights were trained: "fp" (plain FP32), or the HWA/QAT description of
  // nn/train/hwa_training.h ("hwa mapping=... gamma=... ..."). Absent in older files: "fp".
  std::string training = "fp";
  std::string init_from;  // checkpoint the run started from (fine-tuning); empty = scratch
};

void save_checkpoint(const std::string& path, const CheckpointMeta& meta, ZooModel& model,
                     torch::optim::Optimizer* optimizer);

CheckpointMeta read_checkpoint_meta(const std::string& path);

CheckpointMeta load_checkpoint(const std::string& path, ZooModel& model,
                               torch::optim::Optimizer* optimizer);

std::shared_ptr<ZooModel> load_model(const std::string& path);

}  // namespace aimcsim::nn
