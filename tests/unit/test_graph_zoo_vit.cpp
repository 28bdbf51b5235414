// Reference traces with attention and cell-based topologies: DeiT-Tiny/16
// (ViT, 224x224x3) and a NAS-Bench-201 network. The stored files in traces/
// must equal the generated graphs. Regenerate with
// AIMCSIM_WRITE_TRACES=1 ./test_graph_zoo_vit.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"

using namespace aimcsim;

namespace {

Graph check_stored(const Graph& generated, const std::string& file) {
  std::string path = AIMCSIM_SOURCE_DIR;  // appended, not concatenated: GCC 12 -Warray-bounds
  path.append("/traces/").append(file);
  if (std::getenv("AIMCSIM_WRITE_TRACES") != nullptr) write_trace_file(generated, path);
  Graph stored = read_trace_file(path);
  CHECK(stored == generated);
  return stored;
}

// Splits tokens (1 x N x D) into heads (1 x H x N x D/H).
Tensor heads(GraphBuilder& b, const std::string& p, Tensor x, std::int64_t h) {
  const Shape& s = b.shape(x);
  return b.transpose(p + "_t", b.reshape(p + "_r", x, {1, s[1], h, s[2] / h}), {0, 2, 1, 3});
}

// DeiT-Tiny/16 (timm names): dim 192, depth 12, 3 heads, MLP 768. q, k, v are
// separate linears (same weights as timm's fused qkv); the 1/sqrt(d) scale is
// folded into q.
Graph vit_tiny(int depth) {
  const std::int64_t dim = 192, n_heads = 3;
  GraphBuilder b("vit_tiny_patch16_224");
  Tensor x = b.input("x", {1, 3, 224, 224});
  x = b.conv2d("patch_embed.proj", x,
               {.out_channels = dim, .kernel = 16, .stride = 16, .bias = true});
  x = b.transpose("patch_embed.tokens", b.flatten("patch_embed.flatten", x, 2), {0, 2, 1});
  x = b.concat("cls_concat", {b.constant("cls_token", {1, 1, dim}), x}, 1);
  x = b.add("pos_add", {x, b.constant("pos_embed", {1, 197, dim})});
  for (int i = 0; i < depth; ++i) {
    const std::string p = "blocks." + std::to_string(i) + ".";
    Tensor y = b.layernorm(p + "norm1", x);
    Tensor q = heads(b, p + "attn.q", b.linear(p + "attn.q", y, dim, true), n_heads);
    Tensor k = heads(b, p + "attn.k", b.linear(p + "attn.k", y, dim, true), n_heads);
    Tensor v = heads(b, p + "attn.v", b.linear(p + "attn.v", y, dim, true), n_heads);
    Tensor a = b.softmax(p + "attn.softmax", b.matmul(p + "attn.qk", q, k, true));
    Tensor ctx = b.transpose(p + "attn.ctx_t", b.matmul(p + "attn.av", a, v), {0, 2, 1, 3});
    ctx = b.reshape(p + "attn.ctx_r", ctx, {1, 197, dim});
    x = b.add(p + "add1", {x, b.linear(p + "attn.proj", ctx, dim, true)});
    y = b.gelu(p + "mlp.act", b.linear(p + "mlp.fc1", b.layernorm(p + "norm2", x), 4 * dim, true));
    x = b.add(p + "add2", {x, b.linear(p + "mlp.fc2", y, dim, true)});
  }
  x = b.flatten("cls_flatten", b.slice("cls_select", b.layernorm("norm", x), 1, 0, 1), 1);
  b.output("logits", b.linear("head", x, 1000, true));
  return std::move(b).build();
}

// NAS-Bench-201 network (Dong & Yang 2020), C=16, N=5, CIFAR 32x32x3, with the
// best CIFAR-10 cell |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+
// |skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|. Convs are ReLU-Conv-BN.
Graph nasbench201() {
  GraphBuilder b("nasbench201_cifar10_best");
  auto rcb = [&](const std::string& p, Tensor x, std::int64_t c, std::int64_t stride) {
    Tensor y = b.conv2d(p + ".conv", b.relu(p + ".relu", x),
                        {.out_channels = c, .kernel = 3, .stride = stride, .padding = 1});
    return b.batchnorm(p + ".bn", y);
  };
  Tensor x = b.input("x", {1, 3, 32, 32});
  x = b.batchnorm("stem.1", b.conv2d("stem.0", x, {.out_channels = 16, .kernel = 3, .padding = 1}));
  int cell = 0;
  for (int stage = 0; stage < 3; ++stage) {
    const std::int64_t c = 16 << stage;
    if (stage > 0) {
      const std::string p = "cells." + std::to_string(cell++) + ".";
      Tensor y = rcb(p + "conv_b", rcb(p + "conv_a", x, c, 2), c, 1);
      Tensor s = b.avgpool(p + "downsample.0", x, 2, 2);
      s = b.conv2d(p + "downsample.1", s, {.out_channels = c});
      x = b.add(p + "add", {y, s});
    }
    for (int i = 0; i < 5; ++i) {
      const std::string p = "cells." + std::to_string(cell++) + ".";
      Tensor n1 = rcb(p + "edge1_0", x, c, 1);
      Tensor n2 = b.add(p + "node2", {rcb(p + "edge2_0", x, c, 1), rcb(p + "edge2_1", n1, c, 1)});
      x = b.add(p + "node3", {x, rcb(p + "edge3_1", n1, c, 1), rcb(p + "edge3_2", n2, c, 1)});
    }
  }
  x = b.relu("lastact.1", b.batchnorm("lastact.0", x));
  x = b.flatten("flatten", b.global_avgpool("global_pooling", x));
  b.output("logits", b.linear("classifier", x, 10, true));
  return std::move(b).build();
}

}  // namespace

TEST_CASE("vit_tiny_patch16_224.trace: DeiT-Tiny parameter count and attention MACs") {
  const Graph g = check_stored(vit_tiny(12), "vit_tiny_patch16_224.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 5'717'416);  // timm deit_tiny_patch16_224
  // Per block: 4 x 197*192*192 (q, k, v, proj) + 2 x 197*192*768 (MLP); plus
  // patch embedding 196*768*192 and head 192*1000.
  const std::int64_t block = 4LL * 197 * 192 * 192 + 2LL * 197 * 192 * 768;
  CHECK(t.mappable_macs == 12 * block + 196LL * 768 * 192 + 192 * 1000);
  // QK^T and AV: 3 heads x 197 x 64 x 197 each, digital only.
  CHECK(t.dynamic_macs == 12 * 2 * 3LL * 197 * 64 * 197);
  CHECK(g.op(*g.find("blocks.0.attn.qk")).output_shape == Shape{1, 3, 197, 197});
  CHECK_FALSE(g.op(*g.find("blocks.0.attn.qk")).mappable());
}

TEST_CASE("nasbench201_cifar10_best.trace: cell topology") {
  const Graph g = check_stored(nasbench201(), "nasbench201_cifar10_best.trace");
  const Op& node3 = g.op(*g.find("cells.16.node3"));
  CHECK(node3.inputs.size() == 3);
  CHECK(node3.output_shape == Shape{1, 64, 8, 8});
  // stem + 15 cells x 5 convs (edges 1<-0, 2<-0, 2<-1, 3<-1, 3<-2) + 2 reduction
  // blocks x 3 convs + classifier
  CHECK(g.totals().mappable_ops == 1 + 15 * 5 + 2 * 3 + 1);
}
