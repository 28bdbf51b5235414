// Net2WiderNet on the inner layers of zoo blocks (widen.h).
#include "nn/zoo/widen.h"

#include <torch/torch.h>

#include <map>
#include <random>

#include "models/error.h"
#include "nn/zoo/zoo.h"

namespace aimcsim::nn {
namespace {

// Where a model family's inner layers are, as leaves relative to a block's path.
struct InnerFamily {
  std::string marker;              // the producer's weight; marks a block
  std::string producer;            // the producer layer
  std::vector<std::string> grown;  // leaf prefixes whose dimension 0 grows
  std::string consumer;            // the weight whose dimension 1 grows
};

// nullptr for a model without widenable inner layers.
const InnerFamily* family_of(const std::string& model_name) {
  static const InnerFamily kResnet{"conv1.weight", "conv1", {"conv1.", "bn1."}, "conv2.weight"};
  static const InnerFamily kVit{"mlp.fc1.weight", "mlp.fc1", {"mlp.fc1."}, "mlp.fc2.weight"};
  static const InnerFamily kMobilenet{
      "expand.conv.weight", "expand.conv", {"expand.", "dw."}, "project.conv.weight"};
  switch (parse_model_spec(model_name).kind) {
    case ModelKind::kResnet8:
    case ModelKind::kResnet20:
    case ModelKind::kResnet32:
      return &kResnet;
    case ModelKind::kVitTiny:
      return &kVit;
    case ModelKind::kMobilenetV2Small:
      return &kMobilenet;
    default:
      return nullptr;
  }
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Where each new channel's copy comes from: j < old keeps j; j >= old draws from [0, old).
struct ChannelMap {
  torch::Tensor source;  // int64 [new]
  torch::Tensor count;   // float [old]: channels now carrying each old channel
};

ChannelMap channel_map(std::int64_t old_width, std::int64_t new_width, std::uint64_t seed) {
  std::mt19937_64 rng(seed);  // portable: raw 64-bit outputs, reduced by modulo
  std::vector<std::int64_t> source(static_cast<std::size_t>(new_width));
  for (std::int64_t j = 0; j < new_width; ++j) {
    source[static_cast<std::size_t>(j)] =
        j < old_width ? j
                      : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(old_width));
  }
  ChannelMap map;
  map.source = torch::tensor(source, torch::kInt64);
  map.count = torch::zeros({old_width}, torch::kFloat32)
                  .index_add_(0, map.source, torch::ones({new_width}, torch::kFloat32));
  return map;
}

// The widened copy of `old` for key `key`, or an undefined tensor if the key is not part
// of a widened block.
torch::Tensor widened(const std::string& key, const torch::Tensor& old, const InnerFamily& family,
                      const std::map<std::string, ChannelMap>& maps) {
  for (const auto& [block, map] : maps) {
    if (key.rfind(block + ".", 0) != 0) continue;
    const std::string leaf = key.substr(block.size() + 1);
    for (const std::string& grown : family.grown) {
      if (leaf.rfind(grown, 0) != 0) continue;
      if (ends_with(leaf, "num_batches_tracked")) return old.clone();
      return old.index_select(0, map.source);
    }
    if (leaf == family.consumer) {
      std::vector<std::int64_t> shape(static_cast<std::size_t>(old.dim()), 1);
      shape[1] = -1;  // [out, in] or [out, in, kh, kw]
      return old.index_select(1, map.source) / map.count.index_select(0, map.source).view(shape);
    }
  }
  return {};
}

}  // namespace

std::vector<InnerLayer> inner_layers(ZooModel& model) {
  const InnerFamily* family = family_of(model.name());
  if (family == nullptr) return {};
  std::vector<InnerLayer> blocks;
  const auto params = model.named_parameters();
  for (const auto& p : params) {
    if (!ends_with(p.key(), "." + family->marker)) continue;
    InnerLayer b;
    b.block = p.key().substr(0, p.key().size() - family->marker.size() - 1);
    b.producer = b.block + "." + family->producer;
    b.width = p.value().size(0);
    const torch::Tensor* consumer = params.find(b.block + "." + family->consumer);
    b.stream = consumer != nullptr ? consumer->size(0) : 0;
    blocks.push_back(b);
  }
  return blocks;
}

std::shared_ptr<ZooModel> widen_model(ZooModel& trained,
                                      const std::vector<std::int64_t>& inner_widths,
                                      std::uint64_t seed) {
  const InnerFamily* family = family_of(trained.name());
  const std::vector<InnerLayer> blocks = inner_layers(trained);
  if (family == nullptr || blocks.empty()) {
    throw Error("widening: model '" + trained.name() +
                "' has no inner layers to widen (resnet8/20/32, vit-tiny and "
                "mobilenetv2-small have)");
  }
  if (inner_widths.size() != blocks.size()) {
    throw Error("widening " + trained.name() + ": " + std::to_string(inner_widths.size()) +
                " widths for " + std::to_string(blocks.size()) + " inner layers");
  }
  std::map<std::string, ChannelMap> maps;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (inner_widths[i] < blocks[i].width) {
      throw Error("widening " + blocks[i].block + ": width " + std::to_string(inner_widths[i]) +
                  " is below its current " + std::to_string(blocks[i].width));
    }
    if (inner_widths[i] > blocks[i].width) {
      maps.emplace(blocks[i].block,
                   channel_map(blocks[i].width, inner_widths[i], seed * 0x9E3779B97F4A7C15ULL + i));
    }
  }
  ModelSpec spec = parse_model_spec(trained.name());
  spec.inner_widths = inner_widths;
  std::shared_ptr<ZooModel> wide = make_model(spec);
  torch::NoGradGuard no_grad;
  auto copy_all = [&](auto&& to, auto&& from) {
    for (auto& t : to) {
      const torch::Tensor* old = from.find(t.key());
      if (old == nullptr) throw Error("widening: " + t.key() + " missing in " + trained.name());
      torch::Tensor value = widened(t.key(), *old, *family, maps);
      if (!value.defined()) value = *old;
      t.value().copy_(value);
    }
  };
  copy_all(wide->named_parameters(), trained.named_parameters());
  copy_all(wide->named_buffers(), trained.named_buffers());
  wide->train(trained.is_training());
  return wide;
}

std::int64_t parameter_count(ZooModel& model) {
  std::int64_t n = 0;
  for (const auto& p : model.parameters()) n += p.numel();
  return n;
}

}  // namespace aimcsim::nn
