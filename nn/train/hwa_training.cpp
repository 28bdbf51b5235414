// HWA training and QAT hooks (hwa_training.h).
#include "nn/train/hwa_training.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <memory>
#include <optional>

#include "models/digital/quantize.h"
#include "nn/eval/layer_numerics.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/mappable.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::nn {
namespace {

constexpr double kQatScaleMomentum = 0.9;

// INT8 QAT forward with an EMA activation scale (kept in `max_abs`, max|x| units).
MappableLayer::Executor qat_int8_executor(std::shared_ptr<double> max_abs) {
  return [max_abs](const MappableLayer& layer, const torch::Tensor& x) {
    const double batch_max = x.detach().abs().max().item<double>();
    if (layer.is_training()) {
      *max_abs = *max_abs > 0.0
                     ? kQatScaleMomentum * *max_abs + (1.0 - kQatScaleMomentum) * batch_max
                     : batch_max;
    }
    const double m = *max_abs > 0.0 ? *max_abs : batch_max;
    return int8_executor(m > 0.0 ? m / kInt8MaxLevel : 1.0)(layer, x);
  };
}

std::string describe(const HwaTrainSetup& s) {
  const AnalogNumericsParams& n = s.numerics;
  return fmt::format(
      "hwa mapping={} gamma={} clip_n_std={} dac_bits={} adc_bits={} inp_bound={} "
      "out_bound={} out_noise={} w_noise={} noise_management={} tile={}x{} hw={}",
      s.mapping, s.hwa.weight_noise_gamma, s.hwa.clip_n_std, n.dac_bits, n.adc_bits, n.inp_bound,
      n.out_bound, n.out_noise, n.w_noise,
      n.noise_management == NoiseManagement::kAbsMax ? "abs_max" : "none", n.tile_rows, n.tile_cols,
      s.hw_label);
}

// `mapping` empty: resolve setup.mapping against the model's graph when prepared.
TrainHooks hwa_hooks(std::optional<Mapping> given, const HwaTrainSetup& setup, std::uint64_t seed) {
  struct State {
    std::shared_ptr<at::Generator> gen =
        std::make_shared<at::Generator>(at::make_generator<at::CPUGeneratorImpl>(0));
    std::vector<std::shared_ptr<MappableLayer>> analog;
    std::vector<std::shared_ptr<double>> qat_max_abs;  // reset every epoch (exact resume)
  };
  auto state = std::make_shared<State>();
  TrainHooks hooks;
  hooks.description = describe(setup);
  hooks.prepare = [given = std::move(given), setup, state](ZooModel& model) {
    const Mapping mapping = given ? *given : resolve_mapping(setup.mapping, model_to_graph(model));
    for (const auto& layer : mappable_layers(model)) {
      switch (mapping.at(layer->name())) {
        case Target::kAnalog:
          layer->set_executor(hwa_executor(setup.numerics, setup.hwa, state->gen));
          state->analog.push_back(layer);
          break;
        case Target::kInt8:
          state->qat_max_abs.push_back(std::make_shared<double>(0.0));
          layer->set_executor(qat_int8_executor(state->qat_max_abs.back()));
          break;
        case Target::kFp16:
        case Target::kSkip:
          break;
      }
    }
  };
  hooks.on_epoch_start = [state, seed](ZooModel&, int epoch) {
    for (const auto& m : state->qat_max_abs) *m = 0.0;
    *state->gen = at::make_generator<at::CPUGeneratorImpl>(
        mix_seed(mix_seed(seed, 0x485741), static_cast<std::uint64_t>(epoch)));
  };
  hooks.after_step = [state, clip = setup.hwa.clip_n_std](ZooModel&) {
    for (const auto& layer : state->analog) {
      torch::Tensor w = layer->weight();
      hwa_clip_weights_(w, clip);
    }
  };
  hooks.before_eval = [state, seed](ZooModel&) {
    *state->gen = at::make_generator<at::CPUGeneratorImpl>(mix_seed(seed, 0x56414C));
  };
  return hooks;
}

}  // namespace

TrainHooks make_hwa_hooks(const HwaTrainSetup& setup, std::uint64_t seed) {
  return hwa_hooks(std::nullopt, setup, seed);
}

TrainHooks make_hwa_hooks(const Mapping& mapping, const HwaTrainSetup& setup, std::uint64_t seed) {
  return hwa_hooks(mapping, setup, seed);
}

}  // namespace aimcsim::nn
