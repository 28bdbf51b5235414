// Net2WiderNet on the inner layers of ResNet basic blocks (widen.h).
#include "nn/zoo/widen.h"

#include <torch/torch.h>

#include <map>
#include <random>

#include "models/error.h"
#include "nn/zoo/zoo.h"

namespace aimcsim::nn {
namespace {

constexpr const char* kConv1 = ".conv1.weight";

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
torch::Tensor widened(const std::string& key, const torch::Tensor& old,
                      const std::map<std::string, ChannelMap>& maps) {
  for (const auto& [block, map] : maps) {
    if (key.rfind(block + ".", 0) != 0) continue;
    const std::string leaf = key.substr(block.size() + 1);
    if (leaf == "conv1.weight" || leaf == "conv1.bias" || leaf.rfind("bn1.", 0) == 0) {
      if (leaf == "bn1.num_batches_tracked") return old.clone();
      return old.index_select(0, map.source);
    }
    if (leaf == "conv2.weight") {
      const torch::Tensor scale = map.count.index_select(0, map.source).view({1, -1, 1, 1});
      return old.index_select(1, map.source) / scale;
    }
  }
  return {};
}

}  // namespace

std::vector<InnerLayer> resnet_inner_layers(ZooModel& model) {
  std::vector<InnerLayer> blocks;
  const auto params = model.named_parameters();
  for (const auto& p : params) {
    if (!ends_with(p.key(), kConv1) || p.key().rfind("layer", 0) != 0) continue;
    InnerLayer b;
    b.block = p.key().substr(0, p.key().size() - std::string(kConv1).size());
    b.width = p.value().size(0);
    const torch::Tensor* conv2 = params.find(b.block + ".conv2.weight");
    b.stream = conv2 != nullptr ? conv2->size(0) : 0;
    blocks.push_back(b);
  }
  return blocks;
}

std::shared_ptr<ZooModel> widen_resnet(ZooModel& trained,
                                       const std::vector<std::int64_t>& inner_widths,
                                       std::uint64_t seed) {
  const std::vector<InnerLayer> blocks = resnet_inner_layers(trained);
  ModelSpec spec = parse_model_spec(trained.name());
  if (blocks.empty() || spec.kind == ModelKind::kNasBench201) {
    throw Error("widening: model '" + trained.name() + "' is not a zoo ResNet");
  }
  if (inner_widths.size() != blocks.size()) {
    throw Error("widening " + trained.name() + ": " + std::to_string(inner_widths.size()) +
                " widths for " + std::to_string(blocks.size()) + " basic blocks");
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
  spec.inner_widths = inner_widths;
  std::shared_ptr<ZooModel> wide = make_model(spec);
  torch::NoGradGuard no_grad;
  auto copy_all = [&](auto&& to, auto&& from) {
    for (auto& t : to) {
      const torch::Tensor* old = from.find(t.key());
      if (old == nullptr) throw Error("widening: " + t.key() + " missing in " + trained.name());
      torch::Tensor value = widened(t.key(), *old, maps);
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
