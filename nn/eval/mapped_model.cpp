// Installing target executors on a model (mapped_model.h).
#include "nn/eval/mapped_model.h"

#include <torch/torch.h>

#include <algorithm>
#include <bit>

#include "models/error.h"
#include "nn/data/fmnist.h"
#include "nn/supernet/skip.h"
#include "nn/zoo/mappable.h"

namespace aimcsim::nn {
namespace {

// The skip projections of an MPS subnet registered anywhere in `model` (null: none).
std::shared_ptr<SkipProjectionsImpl> find_projections(ZooModel& model) {
  for (const auto& m : model.modules(false)) {
    if (auto p = std::dynamic_pointer_cast<SkipProjectionsImpl>(m)) return p;
  }
  return nullptr;
}

// What a layer mapped to skip runs: the identity where shapes allow, else its learned
// projection. `last`: the layer is the model's last mappable one (the classifier).
MappableLayer::Executor skip_executor(const MappableLayer& layer, bool last,
                                      const std::shared_ptr<SkipProjectionsImpl>& projections,
                                      const std::string& mapping_source) {
  const SkipKind kind = skip_kind(layer, last);
  if (kind == SkipKind::kNone) {
    throw MappingError(mapping_source + ": layer '" + layer.name() +
                       "' is mapped to skip, which it cannot be (the classifier, or a "
                       "convolution no 1x1 projection can stand in for)");
  }
  if (kind == SkipKind::kProjection && !(projections && projections->has(layer.name()))) {
    throw MappingError(mapping_source + ": layer '" + layer.name() +
                       "' is mapped to skip but needs a learned projection the weights do "
                       "not hold (evaluate with the checkpoint `aimcsim map mps` wrote)");
  }
  return [kind, projections](const MappableLayer& l, const torch::Tensor& x) {
    return kind == SkipKind::kIdentity ? x : projections->project(l.name(), x);
  };
}

}  // namespace

Int8Scales calibrate_int8_inputs(ZooModel& model, const std::vector<std::string>& layer_names,
                                 const at::Tensor& images, std::int64_t batch_size) {
  Int8Scales scales;
  if (layer_names.empty()) return scales;
  std::map<std::string, double, std::less<>> max_abs;
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  std::vector<std::shared_ptr<MappableLayer>> observed;
  for (const auto& layer : mappable_layers(model)) {
    if (std::find(layer_names.begin(), layer_names.end(), layer->name()) == layer_names.end()) {
      continue;
    }
    observed.push_back(layer);
    double& slot = max_abs[layer->name()];
    layer->set_executor([&slot](const MappableLayer& l, const torch::Tensor& x) {
      slot = std::max(slot, x.abs().max().item<double>());
      return l.forward_fp(x);
    });
  }
  for (std::int64_t begin = 0; begin < images.size(0); begin += batch_size) {
    model.forward(images.slice(0, begin, std::min(begin + batch_size, images.size(0))));
  }
  for (const auto& layer : observed) layer->reset_executor();
  model.train(was_training);
  for (const auto& [name, m] : max_abs) scales[name] = m > 0.0 ? m / 127.0 : 1.0;
  return scales;
}

Int8Scales calibrate_int8_inputs(ZooModel& model, const Mapping& mapping, const at::Tensor& images,
                                 std::int64_t batch_size) {
  const std::vector<std::string> int8 = layers_mapped_to(model, mapping, Target::kInt8);
  const std::vector<std::shared_ptr<MappableLayer>> layers = mappable_layers(model);
  const std::shared_ptr<SkipProjectionsImpl> projections = find_projections(model);
  std::vector<std::shared_ptr<MappableLayer>> skipped;
  try {
    for (const auto& layer : layers) {
      if (mapping.at(layer->name()) != Target::kSkip) continue;
      layer->set_executor(
          skip_executor(*layer, layer == layers.back(), projections, mapping.source()));
      skipped.push_back(layer);
    }
    Int8Scales scales = calibrate_int8_inputs(model, int8, images, batch_size);
    for (const auto& layer : skipped) layer->reset_executor();
    return scales;
  } catch (...) {
    for (const auto& layer : skipped) layer->reset_executor();
    throw;
  }
}

std::vector<std::string> layers_mapped_to(ZooModel& model, const Mapping& mapping, Target target) {
  std::vector<std::string> names;
  for (const auto& layer : mappable_layers(model)) {
    if (mapping.at(layer->name()) == target) names.push_back(layer->name());
  }
  return names;
}

std::uint64_t read_seed_at(std::uint64_t seed, double t_s) {
  return mix_seed(seed, std::bit_cast<std::uint64_t>(t_s));
}

MappedModel::MappedModel(ZooModel& model, const Mapping& mapping, const AnalogSetup& setup,
                         const Int8Scales& int8_scales)
    : layers_(mappable_layers(model)), projections_(find_projections(model)) {
  try {
    install(mapping, setup, int8_scales);
  } catch (...) {
    for (const auto& layer : layers_) layer->reset_executor();
    throw;
  }
}

void MappedModel::install(const Mapping& mapping, const AnalogSetup& setup,
                          const Int8Scales& int8_scales) {
  for (const auto& layer : layers_) {
    const Target target = mapping.at(layer->name());
    switch (target) {
      case Target::kFp16:
        layer->set_executor(fp16_executor());
        break;
      case Target::kInt8: {
        const auto scale = int8_scales.find(layer->name());
        if (scale == int8_scales.end()) {
          throw Error("layer '" + layer->name() + "' is mapped to int8 but has no calibrated " +
                      "input scale (run calibrate_int8_inputs first)");
        }
        layer->set_executor(int8_executor(scale->second));
        break;
      }
      case Target::kAnalog: {
        auto runtime = std::make_shared<AnalogLayerRuntime>(*layer, setup);
        layer->set_executor(analog_executor(runtime));
        analog_.push_back(std::move(runtime));
        break;
      }
      case Target::kSkip:
        layer->set_executor(
            skip_executor(*layer, layer == layers_.back(), projections_, mapping.source()));
        break;
    }
  }
}

MappedModel::~MappedModel() {
  for (const auto& layer : layers_) layer->reset_executor();
}

void MappedModel::program(std::uint64_t seed) {
  for (std::size_t i = 0; i < analog_.size(); ++i) analog_[i]->program(mix_seed(seed, i));
}

void MappedModel::read_at(double t_s, std::uint64_t seed) {
  const std::uint64_t at_t = read_seed_at(seed, t_s);
  for (std::size_t i = 0; i < analog_.size(); ++i) analog_[i]->read_at(t_s, mix_seed(at_t, i));
}

}  // namespace aimcsim::nn
