#include "nn/zoo/vit.h"

#include <torch/torch.h>

#include <cmath>

#include "nn/zoo/mappable.h"

namespace aimcsim::nn {
namespace {

class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(int64_t dim, int64_t heads) : heads_(heads) {
    qkv_ = register_module("qkv", MappableLinear(dim, 3 * dim));
    proj_ = register_module("proj", MappableLinear(dim, dim));
  }

  // x: [B, T, C] -> [B, T, C].
  torch::Tensor forward(const torch::Tensor& x) {
    const int64_t b = x.size(0), t = x.size(1), c = x.size(2), d = c / heads_;
    auto qkv = qkv_(x).reshape({b, t, 3, heads_, d}).permute({2, 0, 3, 1, 4});  // [3,B,H,T,D]
    auto q = qkv[0], k = qkv[1], v = qkv[2];
    auto att = torch::softmax(torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(d)), -1);
    auto y = torch::matmul(att, v).transpose(1, 2).reshape({b, t, c});
    return proj_(y);
  }

 private:
  int64_t heads_;
  MappableLinear qkv_{nullptr}, proj_{nullptr};
};
TORCH_MODULE(Attention);

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(int64_t dim, int64_t hidden) {
    fc1_ = register_module("fc1", MappableLinear(dim, hidden));
    fc2_ = register_module("fc2", MappableLinear(hidden, dim));
  }
  torch::Tensor forward(const torch::Tensor& x) { return fc2_(torch::gelu(fc1_(x))); }

 private:
  MappableLinear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(Mlp);

class BlockImpl : public torch::nn::Module {
 public:
  BlockImpl(int64_t dim, int64_t heads, int64_t hidden) {
    norm1_ = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    attn_ = register_module("attn", Attention(dim, heads));
    norm2_ = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    mlp_ = register_module("mlp", Mlp(dim, hidden));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = x + attn_(norm1_(x));
    return y + mlp_(norm2_(y));
  }

 private:
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr};
  Attention attn_{nullptr};
  Mlp mlp_{nullptr};
};
TORCH_MODULE(Block);

class PatchEmbedImpl : public torch::nn::Module {
 public:
  PatchEmbedImpl(int64_t patch, int64_t dim) {
    proj_ = register_module("proj", MappableConv2d(1, dim, patch, patch, 0, 1, /*bias=*/true));
  }
  // [B,1,28,28] -> [B, tokens, dim]
  torch::Tensor forward(const torch::Tensor& x) { return proj_(x).flatten(2).transpose(1, 2); }

 private:
  MappableConv2d proj_{nullptr};
};
TORCH_MODULE(PatchEmbed);

class VitTiny final : public ZooModel {
 public:
  explicit VitTiny(const VitParams& p) : params_(p) {
    TORCH_CHECK(28 % p.patch == 0 && p.dim % p.heads == 0, "bad ViT parameters");
    const int64_t tokens = (28 / p.patch) * (28 / p.patch);
    patch_embed_ = register_module("patch_embed", PatchEmbed(p.patch, p.dim));
    pos_embed_ = register_parameter("pos_embed", torch::randn({1, tokens, p.dim}) * 0.02);
    for (int64_t i = 0; i < p.depth; ++i) blocks_->push_back(Block(p.dim, p.heads, p.mlp_hidden));
    register_module("blocks", blocks_);
    norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({p.dim})));
    head_ = register_module("head", MappableLinear(p.dim, kNumClasses));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = patch_embed_(x) + pos_embed_;
    for (auto& block : *blocks_) y = block->as<BlockImpl>()->forward(y);
    return head_(norm_(y).mean(1));
  }

  std::string hyper_parameters() const override {
    const auto& p = params_;
    return "arch=vit patch=" + std::to_string(p.patch) + " dim=" + std::to_string(p.dim) +
           " depth=" + std::to_string(p.depth) + " heads=" + std::to_string(p.heads) +
           " mlp_hidden=" + std::to_string(p.mlp_hidden) +
           " pooling=mean norm=pre activation=gelu input=1x28x28 classes=10";
  }

 private:
  VitParams params_;
  PatchEmbed patch_embed_{nullptr};
  torch::Tensor pos_embed_;
  torch::nn::ModuleList blocks_;
  torch::nn::LayerNorm norm_{nullptr};
  MappableLinear head_{nullptr};
};

}  // namespace

std::shared_ptr<ZooModel> make_vit(const VitParams& params) {
  return std::make_shared<VitTiny>(params);
}

}  // namespace aimcsim::nn
