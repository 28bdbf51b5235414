// The `skip` candidate of a mappable layer (MPS, issue 13 item 2; FACTS.md s.6): the layer
// is removed; its output is its input where the shapes allow (identity), else a learned
// bias-free projection (1x1 convolution with the layer's stride, or a linear layer).
//
// Contract:
// - skip_kind(layer, is_classifier): kNone for the classifier (skipping it would leave no
//   logits) and for convolutions whose output size differs from a 1x1 conv's with the same
//   stride (kernel - 2 * padding != 1); kIdentity for a conv with C_in = C_out, stride 1 and
//   kernel - 2 * padding = 1, or a linear layer with in = out; else kProjection.
// - SkipProjections holds one projection per layer that needs it, registered under the
//   layer's name with '.' replaced by '_'; initialised like LibTorch's default (Kaiming
//   uniform, a = sqrt(5): U(-1/sqrt(fan_in), 1/sqrt(fan_in))) but from a generator seeded by
//   (seed, layer name), never the global one, so a run is the same in any process.
//   apply_skip() returns x (identity) or the projection of x; it throws aimcsim::Error for a
//   kNone layer or a missing projection.
// - A checkpoint saved with a supernet registered on the model holds the projections
//   (model/mps/skip/skip_NAME/weight); load_skip_projections() reads them back, so
//   `eval`/`compare` can run a mapping with skipped layers (nn/eval/mapped_model.h).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nn/zoo/mappable.h"

namespace aimcsim::nn {

enum class SkipKind { kNone, kIdentity, kProjection };
const char* to_string(SkipKind kind);

SkipKind skip_kind(const MappableLayer& layer, bool is_classifier);

class SkipProjectionsImpl final : public torch::nn::Module {
 public:
  SkipProjectionsImpl() = default;
  // Adds the projection `layer` needs (no-op unless skip_kind is kProjection).
  void add(const MappableLayer& layer, std::uint64_t seed);
  bool has(const std::string& layer_name) const;
  torch::Tensor project(const std::string& layer_name, const torch::Tensor& x) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, torch::nn::Conv2d> convs_;
  std::map<std::string, torch::nn::Linear> linears_;
};
TORCH_MODULE(SkipProjections);

// x through the skip of `layer` (identity or projection).
torch::Tensor apply_skip(const MappableLayer& layer, SkipKind kind,
                         const SkipProjectionsImpl& projections, const torch::Tensor& x);

// The projections an aimcsim checkpoint holds (written with a supernet registered on the
// model: model/mps/skip/...), for those of `layers` that need one; none: an empty module.
SkipProjections load_skip_projections(const std::string& checkpoint,
                                      const std::vector<std::shared_ptr<MappableLayer>>& layers);

}  // namespace aimcsim::nn
