#include "nn/zoo/vit.h"

#include <torch/torch.h>

#include <cmath>

#include "models/error.h"
#include "nn/zoo/mappable.h"
#include "sim/graph/graph_builder.h"

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

  // forward() as graph ops; `path` is the module path (`blocks.0.attn`). The
  // scale 1/sqrt(d) has no op: it is taken as folded into the q weights.
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    const Shape s = g.shape(x);
    const int64_t b = s[0], t = s[1], c = s[2], d = c / heads_;
    auto qkv = g.reshape(path + ".qkv_split", qkv_->add_to_graph(g, x), {b, t, 3, heads_, d});
    qkv = g.transpose(path + ".qkv_heads", qkv, {2, 0, 3, 1, 4});  // [3,B,H,T,D]
    // qkv[i] as [B,H,T,D]
    auto part = [&](const char* n, int64_t i) {
      return g.reshape(path + "." + n, g.slice(path + "." + n + "_slice", qkv, 0, i, i + 1),
                       {b, heads_, t, d});
    };
    auto q = part("q", 0), k = part("k", 1), v = part("v", 2);
    auto att = g.softmax(path + ".softmax", g.matmul(path + ".qk", q, k, /*transpose_b=*/true));
    auto y = g.transpose(path + ".ctx_t", g.matmul(path + ".av", att, v), {0, 2, 1, 3});
    return proj_->add_to_graph(g, g.reshape(path + ".ctx", y, {b, t, c}));
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
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    return fc2_->add_to_graph(g, g.gelu(path + ".act", fc1_->add_to_graph(g, x)));
  }

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
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    auto a = attn_->build_graph(g, path + ".attn", g.layernorm(path + ".norm1", x));
    auto y = g.add(path + ".add1", {x, a});
    auto m = mlp_->build_graph(g, path + ".mlp", g.layernorm(path + ".norm2", y));
    return g.add(path + ".add2", {y, m});
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
  aimcsim::Tensor build_graph(GraphBuilder& g, aimcsim::Tensor x) const {
    auto y = g.flatten("patch_embed.flatten", proj_->add_to_graph(g, x), 2);
    return g.transpose("patch_embed.tokens", y, {0, 2, 1});
  }

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
    for (int64_t i = 0; i < p.depth; ++i) {
      const int64_t hidden = p.mlp_hidden_per_block.empty()
                                 ? p.mlp_hidden
                                 : p.mlp_hidden_per_block[static_cast<std::size_t>(i)];
      blocks_->push_back(Block(p.dim, p.heads, hidden));
    }
    register_module("blocks", blocks_);
    norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({p.dim})));
    head_ = register_module("head", MappableLinear(p.dim, kNumClasses));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = patch_embed_(x) + pos_embed_;
    for (auto& block : *blocks_) y = block->as<BlockImpl>()->forward(y);
    return head_(norm_(y).mean(1));
  }

  aimcsim::Tensor build_graph(GraphBuilder& g, aimcsim::Tensor x) const override {
    auto y = patch_embed_->build_graph(g, x);
    y = g.add("pos_add", {y, pos_embed_graph(g, g.shape(y)[0])});
    for (size_t i = 0; i < blocks_->size(); ++i) {
      y = blocks_->at<BlockImpl>(i).build_graph(g, "blocks." + std::to_string(i), y);
    }
    y = g.layernorm("norm", y);
    // mean over tokens: [B,T,C] -> [B,C,T,1] -> global average pool -> [B,C]
    const Shape s = g.shape(y);
    y = g.transpose("pool.channels_first", y, {0, 2, 1});
    y = g.reshape("pool.nchw", y, {s[0], s[2], s[1], 1});
    return head_->add_to_graph(g, g.flatten("flatten", g.global_avgpool("pool", y)));
  }

  std::string hyper_parameters() const override {
    const auto& p = params_;
    return "arch=vit patch=" + std::to_string(p.patch) + " dim=" + std::to_string(p.dim) +
           " depth=" + std::to_string(p.depth) + " heads=" + std::to_string(p.heads) +
           " mlp_hidden=" + std::to_string(p.mlp_hidden) +
           " pooling=mean norm=pre activation=gelu input=1x28x28 classes=10" + inner_text();
  }

 private:
  // Widened MLPs (nn/zoo/widen.h); nothing for the plain network, whose checkpoints predate them.
  std::string inner_text() const {
    std::string s;
    for (std::size_t i = 0; i < params_.mlp_hidden_per_block.size(); ++i) {
      s += (i ? "," : " inner_widths=") + std::to_string(params_.mlp_hidden_per_block[i]);
    }
    return s;
  }

  // The learned [1, T, C] position embedding, repeated over a batch of `n`
  // (concat: data movement only) because graph adds take identical shapes.
  aimcsim::Tensor pos_embed_graph(GraphBuilder& g, int64_t n) const {
    auto pos = g.constant("pos_embed", pos_embed_.sizes().vec());
    return n == 1 ? pos : g.concat("pos_embed.batch", std::vector<aimcsim::Tensor>(n, pos), 0);
  }

  VitParams params_;
  PatchEmbed patch_embed_{nullptr};
  torch::Tensor pos_embed_;
  torch::nn::ModuleList blocks_;
  torch::nn::LayerNorm norm_{nullptr};
  MappableLinear head_{nullptr};
};

}  // namespace

std::shared_ptr<ZooModel> make_vit(const VitParams& params) {
  const auto& widths = params.mlp_hidden_per_block;
  if (!widths.empty() && static_cast<int64_t>(widths.size()) != params.depth) {
    throw Error("vit with " + std::to_string(params.depth) + " blocks: MLP widths list has " +
                std::to_string(widths.size()) + " entries");
  }
  for (int64_t w : widths) {
    if (w < 1) throw Error("vit MLP width " + std::to_string(w) + ": expected 1 or more");
  }
  return std::make_shared<VitTiny>(params);
}

}  // namespace aimcsim::nn
