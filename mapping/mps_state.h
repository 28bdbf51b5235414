// The run folder of an MPS search (mps.h): state after every epoch and ranking step.
//
// Layout of `dir`: state.json (format, settings, progress, history, scores; names the
// weights file) and state-K.pt (K = units done: model + supernet weights and buffers, the
// logits, the SGD and Adam states present at that point).
// Contract: commit() writes state-K.pt (temporary file, rename), then state.json (temporary
// file, rename: the commit point), then deletes the previous state-*.pt. load() returns
// nullopt for a folder without state.json; a state with other settings throws
// aimcsim::Error naming the folder and the first differing key; a corrupt file throws
// aimcsim::Error naming it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include <torch/types.h>

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}

namespace aimcsim::mapping {

class MpsRunState final {
 public:
  MpsRunState(std::string dir, nlohmann::json settings);

  // Loads the committed state into model/logits/optimizers (those non-null and present).
  std::optional<nlohmann::json> load(torch::nn::Module& model, torch::Tensor& logits,
                                     torch::optim::Optimizer* sgd,
                                     torch::optim::Optimizer* adam) const;
  void commit(nlohmann::json progress, torch::nn::Module& model, const torch::Tensor& logits,
              torch::optim::Optimizer* sgd, torch::optim::Optimizer* adam) const;
  std::string path(const std::string& file) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  nlohmann::json settings_;
};

// Every parameter and buffer of `model` (supernet extras included) to `path` (temporary
// file, rename) and back; a missing or corrupt file throws aimcsim::Error naming it.
void save_module_weights(torch::nn::Module& model, const std::string& path);
void load_module_weights(torch::nn::Module& model, const std::string& path);

}  // namespace aimcsim::mapping
