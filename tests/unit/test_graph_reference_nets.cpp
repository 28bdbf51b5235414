// test-links: aimcsim_sim
// Reference traces of issue 18 in traces/: BERT-base (sequence 128 and 384),
// ResNet-18, VGG-16 and AlexNet at ImageNet shapes. Each stored file must equal
// the graph the generator below builds, and its totals must match published
// figures (torchvision parameter counts and GFLOPS = GMAC figures; BERT-base's
// 85.1 M encoder parameters of its 110 M) or hand counts.
// Regenerate the files with AIMCSIM_WRITE_TRACES=1 ./test_graph_reference_nets.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"

using namespace aimcsim;

namespace {

std::string trace_path(const std::string& file) {
  std::string path = AIMCSIM_SOURCE_DIR;
  path.append("/traces/").append(file);
  return path;
}

Graph check_stored(const Graph& generated, const std::string& file) {
  if (std::getenv("AIMCSIM_WRITE_TRACES") != nullptr) write_trace_file(generated, trace_path(file));
  Graph stored = read_trace_file(trace_path(file));
  CHECK(stored == generated);
  return stored;
}

// BERT-base encoder (Devlin et al. 2019; HF transformers names): hidden 768,
// 12 layers, 12 heads, FFN 3072, GELU. The input is the summed word, position
// and token-type embeddings (table lookups, no MACs); the pooler and task heads
// are left out. The attention scale 1/sqrt(64) is taken as folded into query.
Graph bert_base(std::int64_t seq) {
  constexpr std::int64_t kHidden = 768, kHeads = 12, kHeadDim = 64, kFfn = 3072;
  GraphBuilder b("bert_base_seq" + std::to_string(seq));
  Tensor x = b.input("embeddings.sum", {1, seq, kHidden});
  x = b.layernorm("embeddings.LayerNorm", x);
  for (int l = 0; l < 12; ++l) {
    const std::string p = "encoder.layer." + std::to_string(l) + ".";
    auto heads = [&](const std::string& name) {
      Tensor t = b.linear(p + "attention.self." + name, x, kHidden, true);
      t = b.reshape(p + "attention.self." + name + ".heads", t, {1, seq, kHeads, kHeadDim});
      return b.transpose(p + "attention.self." + name + ".transpose", t, {0, 2, 1, 3});
    };
    Tensor q = heads("query"), k = heads("key"), v = heads("value");
    Tensor s = b.matmul(p + "attention.self.scores", q, k, true);
    s = b.softmax(p + "attention.self.softmax", s);
    Tensor c = b.matmul(p + "attention.self.context", s, v);
    c = b.transpose(p + "attention.self.context.transpose", c, {0, 2, 1, 3});
    c = b.reshape(p + "attention.self.context.merge", c, {1, seq, kHidden});
    Tensor a = b.linear(p + "attention.output.dense", c, kHidden, true);
    x = b.layernorm(p + "attention.output.LayerNorm", b.add(p + "attention.output.add", {a, x}));
    Tensor f = b.gelu(p + "intermediate.gelu", b.linear(p + "intermediate.dense", x, kFfn, true));
    f = b.linear(p + "output.dense", f, kHidden, true);
    x = b.layernorm(p + "output.LayerNorm", b.add(p + "output.add", {f, x}));
  }
  b.output("last_hidden_state", x);
  return std::move(b).build();
}

// torchvision resnet18.
Graph resnet18() {
  GraphBuilder b("resnet18_imagenet");
  Tensor x = b.input("x", {1, 3, 224, 224});
  x = b.relu("relu", b.batchnorm("bn1", b.conv2d("conv1", x, {.out_channels = 64, .kernel = 7,
                                                            .stride = 2, .padding = 3})));
  x = b.maxpool("maxpool", x, 3, 2, 1);
  std::int64_t in = 64;
  const std::int64_t widths[4] = {64, 128, 256, 512};
  for (int s = 0; s < 4; ++s) {
    for (int k = 0; k < 2; ++k) {
      const std::string p = "layer" + std::to_string(s + 1) + "." + std::to_string(k) + ".";
      const std::int64_t stride = (s > 0 && k == 0) ? 2 : 1, w = widths[s];
      Tensor y = b.conv2d(p + "conv1", x, {.out_channels = w, .kernel = 3, .stride = stride, .padding = 1});
      y = b.relu(p + "relu1", b.batchnorm(p + "bn1", y));
      y = b.batchnorm(p + "bn2", b.conv2d(p + "conv2", y, {.out_channels = w, .kernel = 3, .padding = 1}));
      Tensor sc = x;
      if (stride != 1 || in != w) {
        sc = b.conv2d(p + "downsample.0", x, {.out_channels = w, .kernel = 1, .stride = stride});
        sc = b.batchnorm(p + "downsample.1", sc);
      }
      x = b.relu(p + "relu2", b.add(p + "add", {y, sc}));
      in = w;
    }
  }
  x = b.flatten("flatten", b.global_avgpool("avgpool", x));
  b.output("logits", b.linear("fc", x, 1000, true));
  return std::move(b).build();
}

// torchvision vgg16 (no batch norm); eval-mode dropout has no op; the adaptive
// average pool is the identity at 7x7.
Graph vgg16() {
  GraphBuilder b("vgg16_imagenet");
  Tensor x = b.input("x", {1, 3, 224, 224});
  const int cfg[] = {64, 64, -1, 128, 128, -1, 256, 256, 256, -1, 512, 512, 512, -1, 512, 512, 512, -1};
  int i = 0;
  for (int c : cfg) {
    const std::string n = "features." + std::to_string(i);
    if (c < 0) {
      x = b.maxpool(n, x, 2, 2);
      ++i;
    } else {
      x = b.conv2d(n, x, {.out_channels = c, .kernel = 3, .padding = 1, .bias = true});
      x = b.relu("features." + std::to_string(i + 1), x);
      i += 2;
    }
  }
  x = b.flatten("flatten", x);
  x = b.relu("classifier.1", b.linear("classifier.0", x, 4096, true));
  x = b.relu("classifier.4", b.linear("classifier.3", x, 4096, true));
  b.output("logits", b.linear("classifier.6", x, 1000, true));
  return std::move(b).build();
}

// torchvision alexnet; the adaptive average pool is the identity at 6x6.
Graph alexnet() {
  GraphBuilder b("alexnet_imagenet");
  Tensor x = b.input("x", {1, 3, 224, 224});
  x = b.relu("features.1", b.conv2d("features.0", x, {.out_channels = 64, .kernel = 11, .stride = 4, .padding = 2, .bias = true}));
  x = b.maxpool("features.2", x, 3, 2);
  x = b.relu("features.4", b.conv2d("features.3", x, {.out_channels = 192, .kernel = 5, .padding = 2, .bias = true}));
  x = b.maxpool("features.5", x, 3, 2);
  x = b.relu("features.7", b.conv2d("features.6", x, {.out_channels = 384, .kernel = 3, .padding = 1, .bias = true}));
  x = b.relu("features.9", b.conv2d("features.8", x, {.out_channels = 256, .kernel = 3, .padding = 1, .bias = true}));
  x = b.relu("features.11", b.conv2d("features.10", x, {.out_channels = 256, .kernel = 3, .padding = 1, .bias = true}));
  x = b.flatten("flatten", b.maxpool("features.12", x, 3, 2));
  x = b.relu("classifier.2", b.linear("classifier.1", x, 4096, true));
  x = b.relu("classifier.5", b.linear("classifier.4", x, 4096, true));
  b.output("logits", b.linear("classifier.6", x, 1000, true));
  return std::move(b).build();
}

}  // namespace

TEST_CASE("bert_base_seq128.trace: 85,056,000 encoder params, 10.87 G linear and 0.30 G attention MACs") {
  const Graph g = check_stored(bert_base(128), "bert_base_seq128.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 85'056'000);  // BERT-base 109,482,240 minus embedding tables and pooler
  CHECK(t.mappable_ops == 72);
  CHECK(t.mappable_macs == 12LL * 128 * (4 * 768 * 768 + 2 * 768 * 3072));  // 10,871,635,968
  CHECK(t.dynamic_macs == 12LL * 2 * 128 * 128 * 768);                       // 301,989,888
}

TEST_CASE("bert_base_seq384.trace: MACs scale with the sequence, attention quadratically") {
  const Graph g = check_stored(bert_base(384), "bert_base_seq384.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 85'056'000);
  CHECK(t.mappable_macs == 32'614'907'904);  // 3 x the sequence-128 figure
  CHECK(t.dynamic_macs == 2'717'908'992);    // 9 x
  CHECK(g.op(*g.find("encoder.layer.11.attention.self.scores")).output_shape ==
        Shape{1, 12, 384, 384});
}

TEST_CASE("resnet18_imagenet.trace: torchvision parameter count and 1.81 G MACs") {
  const Graph g = check_stored(resnet18(), "resnet18_imagenet.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 11'689'512);  // torchvision resnet18
  CHECK(t.mappable_macs == 1'814'073'344);
  CHECK(t.mappable_ops == 21);
}

TEST_CASE("vgg16_imagenet.trace: torchvision parameter count and 15.47 G MACs") {
  const Graph g = check_stored(vgg16(), "vgg16_imagenet.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 138'357'544);  // torchvision vgg16
  CHECK(t.mappable_macs == 15'470'264'320);
  CHECK(t.mappable_ops == 16);
}

TEST_CASE("alexnet_imagenet.trace: torchvision parameter count and 0.71 G MACs") {
  const Graph g = check_stored(alexnet(), "alexnet_imagenet.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 61'100'840);  // torchvision alexnet
  CHECK(t.mappable_macs == 714'188'480);
  CHECK(t.mappable_ops == 8);
}
