// The MPS supernetwork (supernet.h).
#include "nn/supernet/supernet.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <limits>

#include "models/digital/quantize.h"
#include "models/error.h"
#include "nn/eval/layer_numerics.h"

namespace aimcsim::nn {
namespace {

constexpr double kQatScaleMomentum = 0.9;  // as nn/train/hwa_training.cpp

template <typename Fn>
torch::Tensor over_rows(const torch::Tensor& x, Fn&& fn) {
  if (x.dim() == 2) return fn(x);
  auto sizes = x.sizes().vec();
  torch::Tensor y = fn(x.reshape({-1, sizes.back()}));
  sizes.back() = y.size(1);
  return y.view(sizes);
}

torch::Tensor fp_forward(const MappableLayer& layer, const torch::Tensor& x, const torch::Tensor& w,
                         const torch::Tensor& b) {
  if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
    const ConvGeometry& g = conv->geometry();
    return torch::conv2d(x, w, b, {g.stride[0], g.stride[1]}, {g.padding[0], g.padding[1]}, {1, 1},
                         g.groups);
  }
  return torch::linear(x, w, b);
}

class ExtrasImpl final : public torch::nn::Module {
 public:
  ExtrasImpl() { projections = register_module("skip", SkipProjections()); }
  SkipProjections projections{nullptr};
};
TORCH_MODULE(Extras);

}  // namespace

const char* to_string(WeightSharing sharing) {
  return sharing == WeightSharing::kSeparate ? "separate" : "shared";
}

std::vector<Target> parse_candidates(const std::string& text) {
  std::vector<Target> out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    const auto t = parse_target(item);
    if (!t) {
      throw Error("--candidates '" + text + "': unknown candidate '" + item +
                  "'; expected a comma-separated subset of analog, int8, fp16, skip");
    }
    if (std::find(out.begin(), out.end(), *t) != out.end()) {
      throw Error("--candidates '" + text + "': candidate '" + item + "' given twice");
    }
    out.push_back(*t);
    begin = end + 1;
  }
  return out;
}

struct Supernet::State {
  std::vector<SupernetLayer> layers;
  SupernetOptions options;
  std::vector<int> choice;
  double noise = 0.0;
  std::vector<double> layer_noise;  // per-layer factor on `noise`; empty = 1 everywhere
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(0);
  std::vector<double> qat_max_abs;   // per layer, EMA of the int8 candidate's input max|x|
  bool recording = false;            // recalibration pass: record int8 input max|x|
  std::vector<double> observed_max;  // per layer
  std::vector<torch::Tensor> analog_w, analog_b, int8_w, int8_b;  // kSeparate copies
  Extras extras{nullptr};

  const torch::Tensor& weight(std::size_t l, Target t) const {
    const auto& copies = t == Target::kAnalog ? analog_w : int8_w;
    return copies[l].defined() ? copies[l] : layers[l].layer->weight();
  }
  const torch::Tensor& bias(std::size_t l, Target t) const {
    const auto& copies = t == Target::kAnalog ? analog_b : int8_b;
    return copies[l].defined() ? copies[l] : layers[l].layer->bias();
  }

  torch::Tensor run(std::size_t l, const MappableLayer& layer, const torch::Tensor& x) {
    const Target t = layers[l].candidates.at(static_cast<std::size_t>(choice.at(l)));
    switch (t) {
      case Target::kAnalog:
        return run_analog(l, layer, x);
      case Target::kInt8:
        return run_int8(l, layer, x);
      case Target::kFp16:
        return fp_forward(layer, x, layer.weight(), layer.bias());
      case Target::kSkip:
        return apply_skip(layer, layers[l].skip, *extras->projections, x);
    }
    throw Error("supernet: unhandled candidate");
  }

  torch::Tensor run_analog(std::size_t l, const MappableLayer& layer, const torch::Tensor& x) {
    const torch::Tensor& w = weight(l, Target::kAnalog);
    const torch::Tensor& b = bias(l, Target::kAnalog);
    if (!options.analog_hwa) return fp_forward(layer, x, w, b);
    const double noise = this->noise * (layer_noise.empty() ? 1.0 : layer_noise[l]);
    AnalogNumericsParams numerics = options.numerics;
    numerics.out_noise *= noise;
    numerics.w_noise *= noise;
    HwaParams hwa = options.hwa;
    hwa.weight_noise_gamma *= noise;
    const c10::optional<at::Tensor> bias_opt =
        b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt;
    if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
      return hwa_analog_conv2d(x, w, bias_opt, conv_geometry_of(*conv), numerics, hwa, gen);
    }
    return over_rows(x, [&](const torch::Tensor& rows) {
      return hwa_analog_linear(rows, w, bias_opt, numerics, hwa, gen);
    });
  }

  torch::Tensor run_int8(std::size_t l, const MappableLayer& layer, const torch::Tensor& x) {
    const torch::Tensor& w = weight(l, Target::kInt8);
    const torch::Tensor& b = bias(l, Target::kInt8);
    const double batch_max = x.detach().abs().max().item<double>();
    if (recording) observed_max[l] = std::max(observed_max[l], batch_max);
    if (!options.qat) return fp_forward(layer, x, w, b);
    double& ema = qat_max_abs[l];
    if (layer.is_training()) {
      ema = ema > 0.0 ? kQatScaleMomentum * ema + (1.0 - kQatScaleMomentum) * batch_max : batch_max;
    }
    // A recalibration pass quantises with each batch's own max: it must not depend on the
    // training EMA, which a resumed run does not have (the EMA is not checkpointed).
    const double m = ema > 0.0 && !recording ? ema : batch_max;
    const torch::Tensor xq = fake_quant_int8_per_tensor(x, m > 0.0 ? m / kInt8MaxLevel : 1.0);
    return fp_forward(layer, xq, fake_quant_int8_per_channel(w), b);
  }
};

Supernet::Supernet(std::shared_ptr<ZooModel> model, SupernetOptions options)
    : model_(std::move(model)), options_(std::move(options)), state_(std::make_shared<State>()) {
  if (options_.candidates.empty()) throw Error("supernet: no candidates");
  const auto mappable = mappable_layers(*model_);
  if (mappable.empty()) {
    throw Error("supernet: model '" + model_->name() + "' has no mappable layers");
  }
  state_->extras = Extras();
  torch::NoGradGuard no_grad;
  for (std::size_t l = 0; l < mappable.size(); ++l) {
    SupernetLayer s{mappable[l]->name(), mappable[l], {}, SkipKind::kNone};
    s.skip = skip_kind(*mappable[l], l + 1 == mappable.size());
    for (Target t : options_.candidates) {
      if (t != Target::kSkip || s.skip != SkipKind::kNone) s.candidates.push_back(t);
    }
    if (s.candidates.empty()) {
      throw Error("supernet: layer '" + s.name + "' has no candidate left (" +
                  (l + 1 == mappable.size() ? "the classifier cannot be skipped"
                                            : "its skip needs shapes a projection cannot match") +
                  "); add analog, int8 or fp16 to --candidates");
    }
    if (s.skip == SkipKind::kProjection &&
        std::find(s.candidates.begin(), s.candidates.end(), Target::kSkip) != s.candidates.end()) {
      state_->extras->projections->add(*mappable[l], options_.seed);
    }
    max_candidates_ = std::max(max_candidates_, static_cast<int>(s.candidates.size()));
    layers_.push_back(std::move(s));
  }
  const std::size_t n = layers_.size();
  state_->analog_w.resize(n);
  state_->analog_b.resize(n);
  state_->int8_w.resize(n);
  state_->int8_b.resize(n);
  if (options_.sharing == WeightSharing::kSeparate) {
    for (std::size_t l = 0; l < n; ++l) {
      const auto& layer = layers_[l].layer;
      const auto& c = layers_[l].candidates;
      const std::string key = "l" + std::to_string(l);
      for (Target t : {Target::kAnalog, Target::kInt8}) {
        if (std::find(c.begin(), c.end(), t) == c.end()) continue;
        auto& w = t == Target::kAnalog ? state_->analog_w[l] : state_->int8_w[l];
        auto& b = t == Target::kAnalog ? state_->analog_b[l] : state_->int8_b[l];
        const std::string tag = key + "_" + std::string(target_name(t));
        w = state_->extras->register_parameter(tag + "_weight", layer->weight().detach().clone());
        if (layer->bias().defined()) {
          b = state_->extras->register_parameter(tag + "_bias", layer->bias().detach().clone());
        }
      }
    }
  }
  model_->register_module("mps", state_->extras.ptr());
  logits_ = torch::zeros({static_cast<std::int64_t>(n), max_candidates_});
  state_->layers = layers_;
  state_->options = options_;
  state_->choice.assign(n, 0);
  state_->qat_max_abs.assign(n, 0.0);
  state_->observed_max.assign(n, 0.0);
  install_executors();
}

Supernet::~Supernet() {
  for (const auto& s : layers_) s.layer->reset_executor();
}

void Supernet::install_executors() {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    layers_[l].layer->set_executor(
        [state = state_, l](const MappableLayer& layer, const torch::Tensor& x) {
          return state->run(l, layer, x);
        });
  }
}

std::vector<int> Supernet::candidates_per_layer() const {
  std::vector<int> k;
  for (const auto& s : layers_) k.push_back(static_cast<int>(s.candidates.size()));
  return k;
}

void Supernet::activate(const std::vector<int>& choice) {
  if (choice.size() != layers_.size()) throw Error("supernet: a choice per layer expected");
  for (std::size_t l = 0; l < choice.size(); ++l) {
    if (choice[l] < 0 || choice[l] >= static_cast<int>(layers_[l].candidates.size())) {
      throw Error("supernet: candidate index out of range for layer '" + layers_[l].name + "'");
    }
  }
  state_->choice = choice;
  install_executors();  // a MappedModel may have replaced them
}

const std::vector<int>& Supernet::active() const { return state_->choice; }
void Supernet::set_noise_scale(double scale) { state_->noise = scale; }
double Supernet::noise_scale() const { return state_->noise; }
void Supernet::set_layer_noise_factors(std::vector<double> factors) {
  if (!factors.empty() && factors.size() != layers_.size()) {
    throw Error("supernet: " + std::to_string(factors.size()) + " layer noise factors for " +
                std::to_string(layers_.size()) + " layers");
  }
  state_->layer_noise = std::move(factors);
}
void Supernet::reseed(std::uint64_t seed) {
  state_->gen = at::make_generator<at::CPUGeneratorImpl>(seed);
}

void Supernet::reset_qat() {
  std::fill(state_->qat_max_abs.begin(), state_->qat_max_abs.end(), 0.0);
}

void Supernet::clip_analog_weights() {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const auto& c = layers_[l].candidates;
    if (std::find(c.begin(), c.end(), Target::kAnalog) == c.end()) continue;
    torch::Tensor w = state_->weight(l, Target::kAnalog);
    hwa_clip_weights_(w, options_.hwa.clip_n_std);
  }
}

torch::Tensor Supernet::log_probs() const {
  auto mask = torch::zeros_like(logits_, torch::kBool);
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    mask[static_cast<std::int64_t>(l)]
        .slice(0, 0, static_cast<std::int64_t>(layers_[l].candidates.size()))
        .fill_(true);
  }
  return torch::log_softmax(
      logits_.masked_fill(mask.logical_not(), -std::numeric_limits<double>::infinity()), 1);
}

std::vector<int> Supernet::argmax() const {
  const torch::Tensor lp = log_probs().detach();
  std::vector<int> out;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    int best = 0;
    for (int k = 1; k < static_cast<int>(layers_[l].candidates.size()); ++k) {
      if (lp[static_cast<std::int64_t>(l)][k].item<double>() >
          lp[static_cast<std::int64_t>(l)][best].item<double>()) {
        best = k;
      }
    }
    out.push_back(best);
  }
  return out;
}

Mapping Supernet::mapping_of(const std::vector<int>& choice, const std::string& source) const {
  Mapping m(source);
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    m.set(layers_[l].name, layers_[l].candidates.at(static_cast<std::size_t>(choice.at(l))));
  }
  return m;
}

int Supernet::candidate_index(std::size_t l, Target t) const {
  const auto& c = layers_[l].candidates;
  const auto it = std::find(c.begin(), c.end(), t);
  if (it == c.end()) {
    throw Error("supernet: layer '" + layers_[l].name + "' does not offer candidate '" +
                std::string(target_name(t)) + "'");
  }
  return static_cast<int>(it - c.begin());
}

std::vector<int> Supernet::choice_of(const Mapping& mapping) const {
  std::vector<int> choice;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    choice.push_back(candidate_index(l, mapping.at(layers_[l].name)));
  }
  return choice;
}

Int8Scales Supernet::recalibrate(const std::vector<int>& choice, const torch::Tensor& images,
                                 std::int64_t batch_size, bool reset_bn) {
  activate(choice);
  const double noise = state_->noise;
  state_->noise = 0.0;
  model_->eval();
  std::vector<std::pair<std::shared_ptr<torch::nn::BatchNorm2dImpl>, c10::optional<double>>> bns;
  for (const auto& m : model_->modules(false)) {
    auto bn = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(m);
    if (bn && reset_bn) {
      bns.emplace_back(bn, bn->options.momentum());
      bn->reset_running_stats();
      bn->options.momentum(c10::nullopt);  // cumulative average over the pass
      bn->train(true);
    }
  }
  std::fill(state_->observed_max.begin(), state_->observed_max.end(), 0.0);
  state_->recording = true;
  {
    torch::NoGradGuard no_grad;
    for (std::int64_t b = 0; b < images.size(0); b += batch_size) {
      model_->forward(images.slice(0, b, std::min(b + batch_size, images.size(0))));
    }
  }
  state_->recording = false;
  for (auto& [bn, momentum] : bns) {
    bn->options.momentum(momentum);
    bn->train(false);
  }
  state_->noise = noise;
  Int8Scales scales;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    if (layers_[l].candidates[static_cast<std::size_t>(choice[l])] != Target::kInt8) continue;
    const double m = state_->observed_max[l];
    scales[layers_[l].name] = m > 0.0 ? m / kInt8MaxLevel : 1.0;
  }
  return scales;
}

Supernet::Materialised::Materialised(std::vector<std::shared_ptr<MappableLayer>> layers)
    : layers_(std::move(layers)) {
  for (const auto& l : layers_) {
    saved_.emplace_back(l->weight().detach().clone(),
                        l->bias().defined() ? l->bias().detach().clone() : torch::Tensor());
  }
}

Supernet::Materialised::~Materialised() {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->weight().copy_(saved_[i].first);
    if (saved_[i].second.defined()) layers_[i]->bias().copy_(saved_[i].second);
  }
}

std::unique_ptr<Supernet::Materialised> Supernet::materialise(const std::vector<int>& choice) {
  std::vector<std::shared_ptr<MappableLayer>> changed;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> sources;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const Target t = layers_[l].candidates.at(static_cast<std::size_t>(choice.at(l)));
    if (t != Target::kAnalog && t != Target::kInt8) continue;
    const auto& copies = t == Target::kAnalog ? state_->analog_w : state_->int8_w;
    if (!copies[l].defined()) continue;
    changed.push_back(layers_[l].layer);
    sources.emplace_back(state_->weight(l, t), state_->bias(l, t));
  }
  auto guard = std::make_unique<Materialised>(changed);
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    changed[i]->weight().copy_(sources[i].first);
    if (sources[i].second.defined()) changed[i]->bias().copy_(sources[i].second);
  }
  return guard;
}

const SkipProjectionsImpl& Supernet::projections() const { return *state_->extras->projections; }
torch::nn::Module& Supernet::extras() { return *state_->extras; }

}  // namespace aimcsim::nn
