// The skip candidate (skip.h).
#include "nn/supernet/skip.h"

#include <torch/serialize/archive.h>
#include <torch/torch.h>

#include <cmath>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"

namespace aimcsim::nn {
namespace {

std::string module_key(const std::string& layer_name) {
  std::string key = layer_name;
  for (char& c : key) c = c == '.' ? '_' : c;
  return "skip_" + key;
}


}  // namespace

const char* to_string(SkipKind kind) {
  switch (kind) {
    case SkipKind::kNone:
      return "none";
    case SkipKind::kIdentity:
      return "identity";
    case SkipKind::kProjection:
      return "projection";
  }
  return "?";
}

SkipKind skip_kind(const MappableLayer& layer, bool is_classifier) {
  if (is_classifier) return SkipKind::kNone;
  if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
    const ConvGeometry& g = conv->geometry();
    for (int d = 0; d < 2; ++d) {
      if (g.kernel[d] - 2 * g.padding[d] != 1) return SkipKind::kNone;
    }
    const bool same = g.in_channels == g.out_channels && g.stride[0] == 1 && g.stride[1] == 1;
    return same ? SkipKind::kIdentity : SkipKind::kProjection;
  }
  const auto& linear = dynamic_cast<const MappableLinearImpl&>(layer);
  return linear.in_features() == linear.out_features() ? SkipKind::kIdentity
                                                       : SkipKind::kProjection;
}

void SkipProjectionsImpl::add(const MappableLayer& layer, std::uint64_t seed) {
  if (skip_kind(layer, false) != SkipKind::kProjection || has(layer.name())) return;
  torch::Tensor weight;
  if (const auto* conv = dynamic_cast<const MappableConv2dImpl*>(&layer)) {
    const ConvGeometry& g = conv->geometry();
    auto options = torch::nn::Conv2dOptions(g.in_channels, g.out_channels, 1)
                       .stride({g.stride[0], g.stride[1]})
                       .bias(false);
    auto module = register_module(module_key(layer.name()), torch::nn::Conv2d(options));
    convs_.emplace(layer.name(), module);
    weight = module->weight;
  } else {
    const auto& linear = dynamic_cast<const MappableLinearImpl&>(layer);
    auto options =
        torch::nn::LinearOptions(linear.in_features(), linear.out_features()).bias(false);
    auto module = register_module(module_key(layer.name()), torch::nn::Linear(options));
    linears_.emplace(layer.name(), module);
    weight = module->weight;
  }
  // FNV-1a of the name: a layer's init does not depend on which other layers have one.
  std::uint64_t name_hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : layer.name()) name_hash = (name_hash ^ c) * 0x100000001b3ULL;
  at::Generator gen = seeded_generator(mix_seed(seed, name_hash));
  const double bound = 1.0 / std::sqrt(static_cast<double>(weight[0].numel()));  // fan_in
  torch::NoGradGuard no_grad;
  weight.uniform_(-bound, bound, gen);
}

bool SkipProjectionsImpl::has(const std::string& layer_name) const {
  return convs_.count(layer_name) != 0 || linears_.count(layer_name) != 0;
}

torch::Tensor SkipProjectionsImpl::project(const std::string& layer_name,
                                           const torch::Tensor& x) const {
  if (const auto c = convs_.find(layer_name); c != convs_.end()) {
    const torch::nn::Conv2dImpl& conv = *c->second;
    return torch::conv2d(x, conv.weight, {}, conv.options.stride());
  }
  if (const auto l = linears_.find(layer_name); l != linears_.end()) {
    return torch::linear(x, l->second->weight);
  }
  throw Error("skip of layer '" + layer_name +
              "': it needs a learned projection and none was trained or stored (run `aimcsim "
              "map mps` and evaluate with the weights its report names)");
}

std::vector<std::string> SkipProjectionsImpl::names() const {
  std::vector<std::string> out;
  for (const auto& [name, m] : convs_) out.push_back(name);
  for (const auto& [name, m] : linears_) out.push_back(name);
  return out;
}

torch::Tensor apply_skip(const MappableLayer& layer, SkipKind kind,
                         const SkipProjectionsImpl& projections, const torch::Tensor& x) {
  switch (kind) {
    case SkipKind::kIdentity:
      return x;
    case SkipKind::kProjection:
      return projections.project(layer.name(), x);
    case SkipKind::kNone:
      break;
  }
  throw Error("layer '" + layer.name() + "' cannot be skipped (the classifier, or a " +
              "convolution whose output size a 1x1 projection cannot match)");
}

SkipProjections load_skip_projections(const std::string& checkpoint,
                                      const std::vector<std::shared_ptr<MappableLayer>>& layers) {
  SkipProjections out;
  torch::serialize::InputArchive file, model, mps, skip;
  try {
    file.load_from(checkpoint);
  } catch (const c10::Error&) {
    return out;  // load_checkpoint already reported an unreadable file
  }
  if (!file.try_read("model", model) || !model.try_read("mps", mps) ||
      !mps.try_read("skip", skip)) {
    return out;
  }
  torch::NoGradGuard no_grad;
  for (const auto& layer : layers) {
    if (skip_kind(*layer, false) != SkipKind::kProjection) continue;
    torch::serialize::InputArchive one;
    torch::Tensor w;
    if (!skip.try_read(module_key(layer->name()), one) || !one.try_read("weight", w)) continue;
    out->add(*layer, 0);  // overwritten below
    torch::Tensor target = out->named_parameters()[module_key(layer->name()) + ".weight"];
    if (!target.sizes().equals(w.sizes())) {
      throw Error(checkpoint + ": skip projection of '" + layer->name() +
                  "' has the wrong shape for the layer");
    }
    target.copy_(w);
  }
  return out;
}

}  // namespace aimcsim::nn
