// How a mappable layer computes on each target (DESIGN.md s.5): executors that replace a
// MappableLayer's FP32 op (nn/zoo/mappable.h) with the numerics of models/.
//
// Contract:
// - fp16_executor: weights, bias, input and output rounded to IEEE half, FP32 accumulate.
// - int8_executor(scale): per-output-channel INT8 weights, input fake-quantised with the
//   per-tensor activation scale from calibration (max|x| / 127); straight-through
//   gradients, so the same executor serves quantisation-aware training (QAT).
// - AnalogLayerRuntime (inference): program(seed) maps the layer's current weights onto
//   PCM tiles (programming noise and drift exponents drawn once, FACTS.md s.1); read_at(t,
//   seed) draws the conductances at t seconds (drift, 1/f noise, compensation alpha) and
//   reseeds the generator of the per-MVM noise (output noise, DAC/ADC). Forward calls must
//   come after read_at(); every draw comes from generators seeded by the caller.
// - hwa_executor (training): the HWA forward of models/analog/hwa.h with a fresh weight
//   noise draw per call from the shared generator.
// Linear layers accept any leading dimensions ([N, in], [N, tokens, in]); convolutions go
// through im2col, including grouped and depthwise ones.
#pragma once

#include <ATen/core/Generator.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "models/analog/analog_conv.h"
#include "models/analog/hwa.h"
#include "models/analog/programmed_layer.h"
#include "models/params/analog_params.h"
#include "models/params/pcm_params.h"
#include "nn/zoo/mappable.h"

namespace aimcsim {
struct HardwareConfig;
}

namespace aimcsim::nn {

// Everything the analog numerics need: the device model and the per-MVM path.
struct AnalogSetup {
  PcmParams pcm;
  AnalogNumericsParams numerics;
};

// [device] and [tile] of a hardware config.
AnalogSetup analog_setup_of(const HardwareConfig& config);

// The im2col geometry of a mappable convolution.
Conv2dGeometry conv_geometry_of(const MappableConv2dImpl& conv);

MappableLayer::Executor fp16_executor();
MappableLayer::Executor int8_executor(double input_scale);

class AnalogLayerRuntime final {
 public:
  AnalogLayerRuntime(const MappableLayer& layer, AnalogSetup setup);

  // Programs the layer's weights as they are now. Replaces an earlier programming.
  void program(std::uint64_t seed);
  // Conductances at t_s >= 0 seconds after programming; requires program().
  void read_at(double t_s, std::uint64_t seed);
  torch::Tensor forward(const MappableLayer& layer, const torch::Tensor& x);

  bool programmed() const { return programmed_.has_value(); }
  const ProgrammedLayer& programmed_layer() const { return *programmed_; }

 private:
  const MappableLayer* layer_;
  AnalogSetup setup_;
  std::optional<Conv2dGeometry> conv_;  // set for convolutions
  std::optional<ProgrammedLayer> programmed_;
  std::optional<AnalogLayerWeights> weights_;  // at the last read_at()
  at::Generator gen_;
};

MappableLayer::Executor analog_executor(std::shared_ptr<AnalogLayerRuntime> runtime);

MappableLayer::Executor hwa_executor(const AnalogNumericsParams& numerics, const HwaParams& hwa,
                                     std::shared_ptr<at::Generator> gen);

// A generator seeded with `seed` (CPU, Philox-free mt19937 of ATen).
at::Generator seeded_generator(std::uint64_t seed);

// Mixes seeds into one (splitmix64 steps), for per-layer / per-time streams.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

}  // namespace aimcsim::nn
