// The MPS supernetwork (issue 13 item 2; FACTS.md s.6): a trained zoo model whose every
// mappable layer offers candidate targets (analog, int8, fp16, skip), one architecture logit
// per candidate, and the executors that train whichever subnet is active.
//
// Contract:
// - Built from a zoo model with its FP weights. Layer l offers the options' candidates in
//   the order given, minus skip where skip_kind() is kNone (the classifier; convolutions a
//   1x1 projection cannot stand in for). A layer left with no candidate is an error.
// - Weights: kSeparate gives analog and int8 their own copies of the FP weight and bias
//   (fp16 keeps the layer's own); kShared (default) lets all three use the layer's weight. Either
//   way the copies start equal to the FP weights. Extra weights and skip projections live in a
//   module registered on the model as "mps", so model.parameters() holds everything phases
//   1-2 train and WeightSnapshot/checkpoints see it.
// - activate(choice) sets the subnet (candidate index per layer) that the next forward
//   passes run. Candidates compute (training numerics):
//     analog: with options.analog_hwa the HWA forward of models/analog/hwa.h (weight noise
//             gamma * s * max|W|, the config's DAC/ADC and noise management, output noise
//             out_noise * s, w_noise * s; s = noise_scale() times the layer's factor of
//             set_layer_noise_factors(), 1 when none are set), else the FP32 op;
//     int8:   with options.qat per-channel INT8 weights and an input fake-quant whose scale
//             follows an EMA of max|x| (as nn/train/hwa_training.h), else the FP32 op;
//     fp16:   the FP32 op (the rounding error is far below the training noise);
//     skip:   identity or the layer's projection (skip.h).
//   Noise draws come from one generator reseeded by reseed().
// - Logits: [layers, max candidates], 0 at start; log_probs() is the per-layer log-softmax
//   over the layer's own candidates (absent slots -inf). A Mapping converts to and from
//   a choice; argmax() takes the first of equal maxima.
// - recalibrate(choice, images): batch-norm statistics re-estimated for that subnet (running
//   stats reset, cumulative average over the images in eval-mode executors with noise 0,
//   batches of `batch_size`), and returns the INT8 input scales (max|x| / 127) of the layers
//   the subnet sends to int8. Same inputs -> same statistics.
// - materialise(mapping) copies each layer's chosen candidate weights into the layer
//   (analog/int8 copies under kSeparate) so that MappedModel (programming, drift, INT8)
//   evaluates exactly that subnet (its skipped layers through the projections registered
//   on the model); the returned guard restores the layer weights.
#pragma once

#include <ATen/core/Generator.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/analog/hwa.h"
#include "models/params/analog_params.h"
#include "nn/eval/mapped_model.h"
#include "nn/supernet/skip.h"
#include "nn/zoo/zoo_model.h"
#include "sim/mapping/mapping.h"

namespace aimcsim::nn {

enum class WeightSharing { kSeparate, kShared };
const char* to_string(WeightSharing sharing);

struct SupernetOptions {
  std::vector<Target> candidates{Target::kAnalog, Target::kInt8, Target::kFp16, Target::kSkip};
  // Shared by default: measured on resnet20 / configs/lowres.toml with the reduced budget of
  // mappings/README.md, shared weights gave 68 % vs 58 % training accuracy after phase 2 and
  // a mean validation accuracy over the 96 phase-3 subnets of 69.5 % vs 56.4 % (separate).
  WeightSharing sharing = WeightSharing::kShared;
  AnalogNumericsParams numerics;  // the hardware config's [tile] numerics
  HwaParams hwa{0.08, 3.0};       // gamma (FACTS.md s.3) and clip (staged_finetune.h: 3 std)
  bool analog_hwa = true;         // analog candidates train through the analog path
  bool qat = true;                // int8 candidates train with fake-quant
  std::uint64_t seed = 0;         // initial weights of skip projections (skip.h)
};

// Parses "analog,int8,fp16,skip" (any non-empty subset, no repeats).
std::vector<Target> parse_candidates(const std::string& text);

struct SupernetLayer {
  std::string name;
  std::shared_ptr<MappableLayer> layer;
  std::vector<Target> candidates;  // offered, in options order
  SkipKind skip = SkipKind::kNone;
};

class Supernet final {
 public:
  Supernet(std::shared_ptr<ZooModel> model, SupernetOptions options);
  ~Supernet();
  Supernet(const Supernet&) = delete;
  Supernet& operator=(const Supernet&) = delete;

  ZooModel& model() { return *model_; }
  const SupernetOptions& options() const { return options_; }
  const std::vector<SupernetLayer>& layers() const { return layers_; }
  int max_candidates() const { return max_candidates_; }
  std::vector<int> candidates_per_layer() const;

  void activate(const std::vector<int>& choice);
  const std::vector<int>& active() const;
  void set_noise_scale(double scale);
  double noise_scale() const;
  // Per-layer factors on the noise scale (one per layer, in [0, 1]); empty: 1 for all.
  void set_layer_noise_factors(std::vector<double> factors);
  void reseed(std::uint64_t seed);
  // Restarts the INT8 candidates' EMA input scales (every epoch, so a resume is exact).
  void reset_qat();
  // Clips analog candidate weights to +- options.hwa.clip_n_std std (after an SGD step).
  void clip_analog_weights();

  torch::Tensor& logits() { return logits_; }
  torch::Tensor log_probs() const;
  std::vector<int> argmax() const;
  Mapping mapping_of(const std::vector<int>& choice, const std::string& source = "mps") const;
  std::vector<int> choice_of(const Mapping& mapping) const;

  // reset_bn false: only the INT8 scales are measured (batch norm keeps its statistics).
  Int8Scales recalibrate(const std::vector<int>& choice, const torch::Tensor& images,
                         std::int64_t batch_size = 128, bool reset_bn = true);

  class Materialised;
  std::unique_ptr<Materialised> materialise(const std::vector<int>& choice);

  const SkipProjectionsImpl& projections() const;
  torch::nn::Module& extras();  // the "mps" module (candidate weights, projections)

 private:
  struct State;
  void install_executors();
  int candidate_index(std::size_t layer, Target t) const;

  std::shared_ptr<ZooModel> model_;
  SupernetOptions options_;
  std::vector<SupernetLayer> layers_;
  int max_candidates_ = 0;
  torch::Tensor logits_;
  std::shared_ptr<State> state_;
};

// Restores the layer weights changed by Supernet::materialise().
class Supernet::Materialised final {
 public:
  Materialised(std::vector<std::shared_ptr<MappableLayer>> layers);
  ~Materialised();

 private:
  std::vector<std::shared_ptr<MappableLayer>> layers_;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> saved_;  // weight, bias
};

}  // namespace aimcsim::nn
