// Internal to nn/hessian: the model state of a sensitivity analysis (eval mode, FP32
// layers, no parameter requiring grad), restored on destruction. Not a public header.
#pragma once

#include <memory>
#include <vector>

#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

// Puts the model into the analysis state (eval, FP32 layers, no parameter requiring grad)
// and restores mode, executors and requires_grad flags on destruction.
class AnalysisState {
 public:
  explicit AnalysisState(ZooModel& model)
      : model_(model), training_(model.is_training()), layers_(mappable_layers(model)) {
    for (const auto& l : layers_) executors_.push_back(l->executor());
    for (const auto& p : model.parameters()) {
      params_.push_back(p);
      requires_grad_.push_back(p.requires_grad());
      p.set_requires_grad(false);
    }
    for (const auto& l : layers_) l->reset_executor();
    model.eval();
  }
  ~AnalysisState() {
    for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->set_executor(executors_[i]);
    for (std::size_t i = 0; i < params_.size(); ++i)
      params_[i].set_requires_grad(requires_grad_[i]);
    model_.train(training_);
  }
  AnalysisState(const AnalysisState&) = delete;
  AnalysisState& operator=(const AnalysisState&) = delete;
  const std::vector<std::shared_ptr<MappableLayer>>& layers() const { return layers_; }

 private:
  ZooModel& model_;
  bool training_;
  std::vector<std::shared_ptr<MappableLayer>> layers_;
  std::vector<MappableLayer::Executor> executors_;
  std::vector<at::Tensor> params_;
  std::vector<bool> requires_grad_;
};

}  // namespace aimcsim::nn
