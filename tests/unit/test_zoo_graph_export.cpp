// test-links: aimcsim_nn
// Zoo -> graph IR export (nn/export/model_graph.h): the exported graph's
// mappable ops must be exactly the layers the torch forward pass calls
// (list_mappable_layers: names, order, weight shapes, groups, strides, bias,
// activation shapes, MACs), its params the model's, and the shipped
// traces/fmnist_*.trace files the fresh export.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "models/error.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/layer_info.h"
#include "nn/zoo/zoo.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

// Every zoo model, and NAS-Bench-201 cells with every op kind: 333133 (best
// CIFAR-10 cell: convs, skip), 024100 (none, 1x1 conv, avg pool, skip; node 1
// is all zeros and the cell output is its input), 331043 (none, skip, pool),
// 000000 (every node zero).
const std::vector<std::string> kModels = {"resnet8",
                                          "resnet20",
                                          "resnet32",
                                          "vgg-small",
                                          "mobilenetv2-small",
                                          "vit-tiny",
                                          "nasbench201:333133",
                                          "nasbench201:024100",
                                          "nasbench201:331043",
                                          "nasbench201:000000"};

// The shipped traces and the zoo model each was exported from.
const std::map<std::string, std::string> kShippedTraces = {
    {"fmnist_resnet8.trace", "resnet8"},
    {"fmnist_resnet20.trace", "resnet20"},
    {"fmnist_resnet32.trace", "resnet32"},
    {"fmnist_vgg_small.trace", "vgg-small"},
    {"fmnist_mobilenetv2_small.trace", "mobilenetv2-small"},
    {"fmnist_vit_tiny.trace", "vit-tiny"},
    {"fmnist_nasbench201_333133.trace", "nasbench201:333133"},
    {"fmnist_resnet20_inner_28_28_28_85_33_32_66_64_64.trace",
     "resnet20@inner=28,28,28,85,33,32,66,64,64"},
    {"fmnist_resnet20_inner_16_16_16_32_32_32_64_64_64.trace",
     "resnet20@inner=16,16,16,32,32,32,64,64,64"},
    {"fmnist_vit_tiny_inner_128_256_128_128_192_133.trace",
     "vit-tiny@inner=128,256,128,128,192,133"},
    {"fmnist_mobilenetv2_small_inner_64_96_96_128_171_128_256.trace",
     "mobilenetv2-small@inner=64,96,96,128,171,128,256"},
};

std::vector<std::int64_t> drop_batch(const Shape& s) { return {s.begin() + 1, s.end()}; }

std::vector<std::int64_t> weight_shape(const Op& op) {
  const OpAttrs& a = op.attrs;
  if (op.kind == OpKind::kLinear) return {a.out_features, a.in_features};
  return {a.out_channels, a.in_channels / a.groups, a.kernel.h, a.kernel.w};
}

std::vector<OpId> mappable_ops(const Graph& g) {
  std::vector<OpId> ids;
  for (OpId id : g.ids()) {
    if (g.op(id).mappable()) ids.push_back(id);
  }
  return ids;
}

std::int64_t count_kind(const Graph& g, OpKind kind) {
  std::int64_t n = 0;
  for (OpId id : g.ids()) n += g.op(id).kind == kind;
  return n;
}

std::int64_t numel_sum(const std::vector<torch::Tensor>& tensors) {
  std::int64_t n = 0;
  for (const auto& t : tensors) n += t.defined() ? t.numel() : 0;
  return n;
}

}  // namespace

TEST_CASE("every zoo model's graph has the forward pass's mappable layers, shapes and MACs") {
  for (const std::string& name : kModels) {
    CAPTURE(name);
    auto model = make_model(name);
    const Graph g = model_to_graph(*model);
    const auto layers = list_mappable_layers(*model);
    const auto ids = mappable_ops(g);
    REQUIRE(ids.size() == layers.size());
    std::int64_t mappable_params = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const Op& op = g.op(ids[i]);
      const MappableLayerInfo& l = layers[i];
      CAPTURE(l.name);
      CHECK(op.name == l.name);  // same names in the same (execution) order
      CHECK(op.kind == (l.kind == LayerKind::kConv2d ? OpKind::kConv2d : OpKind::kLinear));
      CHECK(weight_shape(op) == l.weight_shape);
      CHECK(op.stats.weights == l.weight_count);
      CHECK(op.attrs.bias == l.has_bias);
      CHECK(op.stats.macs == l.macs);
      CHECK(drop_batch(op.input_shapes.at(0)) == l.input_shape);
      CHECK(drop_batch(op.output_shape) == l.output_shape);
      if (op.kind == OpKind::kConv2d) {
        CHECK(op.attrs.groups == l.groups);
        CHECK(op.attrs.stride.h == l.stride);
      }
      mappable_params += op.stats.params;
    }
    std::int64_t layer_params = 0;
    for (const auto& layer : mappable_layers(*model)) {
      layer_params += numel_sum({layer->weight(), layer->bias()});
    }
    const GraphTotals t = g.totals();
    CHECK(mappable_params == layer_params);
    CHECK(t.params == numel_sum(model->parameters()));  // + batchnorm/layernorm affine, pos_embed
    CHECK(t.mappable_macs == total_macs(layers));
    REQUIRE(g.outputs().size() == 1);
    CHECK(g.op(g.outputs()[0]).output_shape == Shape{1, kNumClasses});
    CHECK(g.op(g.inputs().at(0)).output_shape == Shape{1, 1, 28, 28});
    CHECK(g.name() == graph_name(*model));
    CHECK(parse_trace(trace_text(g)) == g);  // the trace format holds every export
  }
}

TEST_CASE("a batch of N scales shapes and MACs by N") {
  for (const std::string name : {"resnet8", "vit-tiny", "nasbench201:024100"}) {
    CAPTURE(name);
    auto model = make_model(name);
    const Graph one = model_to_graph(*model);
    const Graph four = model_to_graph(*model, 4);
    CHECK(four.op(four.outputs().at(0)).output_shape == Shape{4, kNumClasses});
    CHECK(four.totals().macs == 4 * one.totals().macs);
    CHECK(four.totals().params == one.totals().params);
  }
  CHECK_THROWS_AS(model_to_graph(*make_model("resnet8"), 0), Error);
}

TEST_CASE("non-mappable structure: residuals, shortcuts, attention, cells") {
  const Graph r20 = model_to_graph(*make_model("resnet20"));
  CHECK(count_kind(r20, OpKind::kAdd) == 9);
  CHECK(count_kind(r20, OpKind::kRelu) == 1 + 9 * 2);
  CHECK(count_kind(r20, OpKind::kBatchNorm) == 19);
  CHECK(count_kind(r20, OpKind::kPad) == 2);  // option A at layer2.0 and layer3.0
  const Op& pad = r20.op(*r20.find("layer2.0.shortcut.pad"));
  CHECK(pad.output_shape == Shape{1, 32, 14, 14});
  CHECK(pad.attrs.before == 8);
  CHECK(r20.op(*r20.find("layer2.0.add")).inputs.at(1) == *r20.find("layer2.0.shortcut.pad"));

  const Graph mb = model_to_graph(*make_model("mobilenetv2-small"));
  CHECK(count_kind(mb, OpKind::kAdd) == 5);  // stride-1 blocks with in == out
  CHECK(count_kind(mb, OpKind::kRelu6) == 1 + 7 + 8 + 1);
  CHECK(mb.op(*mb.find("blocks.1.dw.conv")).attrs.groups == 64);

  const Graph vgg = model_to_graph(*make_model("vgg-small"));
  CHECK(count_kind(vgg, OpKind::kMaxPool) == 3);
  CHECK(vgg.op(*vgg.find("flatten")).output_shape == Shape{1, 1152});

  const Graph vit = model_to_graph(*make_model("vit-tiny"));
  CHECK(count_kind(vit, OpKind::kSoftmax) == 6);
  CHECK(count_kind(vit, OpKind::kLayerNorm) == 6 * 2 + 1);
  CHECK(count_kind(vit, OpKind::kGelu) == 6);
  CHECK(count_kind(vit, OpKind::kAdd) == 1 + 6 * 2);
  CHECK(vit.op(*vit.find("blocks.0.attn.qk")).output_shape == Shape{1, 4, 49, 49});
  CHECK_FALSE(vit.op(*vit.find("blocks.0.attn.qk")).mappable());
  CHECK(vit.totals().dynamic_macs == 6 * 2 * 4 * 49 * 49 * 16);  // QK^T and AV per head
  CHECK(vit.op(*vit.find("pos_embed")).stats.params == 49 * 64);

  // Best cell: node2 and node3 sum their edges; node3 also takes the cell input (skip).
  const Graph best = model_to_graph(*make_model("nasbench201:333133"));
  CHECK(best.name() == "nasbench201:333133");
  const Op& node3 = best.op(*best.find("cells.0.node3"));
  CHECK(node3.inputs.size() == 3);
  CHECK(node3.inputs.at(0) == *best.find("stem.bn"));
  // 024100: node1 is zeros (its only edge is none); node2 = conv1x1(x) + pool(zeros);
  // node3 = skip(x), so each cell returns its input.
  const Graph zero = model_to_graph(*make_model("nasbench201:024100"));
  CHECK(zero.op(*zero.find("cells.0.node1")).kind == OpKind::kZeros);
  CHECK(zero.op(*zero.find("cells.0.node2")).inputs.size() == 2);
  CHECK(zero.op(*zero.find("cells.0.edge2_1.pool")).inputs.at(0) == *zero.find("cells.0.node1"));
  CHECK(zero.consumers(*zero.find("cells.0.node2")).empty());
  CHECK(zero.op(*zero.find("cells.1.edge2_0.relu")).inputs.at(0) == *zero.find("stem.bn"));
  const Graph none = model_to_graph(*make_model("nasbench201:000000"));
  CHECK(count_kind(none, OpKind::kZeros) == 15 * 3);
  CHECK(none.op(*none.find("cells.5.relu_a")).inputs.at(0) == *none.find("cells.4.node3"));
}

TEST_CASE("shipped traces/fmnist_*.trace equal the fresh export") {
  const std::filesystem::path dir = std::filesystem::path(AIMCSIM_SOURCE_DIR) / "traces";
  for (const auto& [file, name] : kShippedTraces) {
    CAPTURE(file);
    const Graph stored = read_trace_file(dir / file);
    CHECK(stored == model_to_graph(*make_model(name)));
  }
  // Every fmnist trace in the folder is listed above, so none goes unchecked.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    CAPTURE(file);
    if (file.rfind("fmnist_", 0) == 0) CHECK(kShippedTraces.count(file) == 1);
  }
}
