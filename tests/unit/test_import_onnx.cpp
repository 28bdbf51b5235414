// test-links: aimcsim_sim
// ONNX import (sim/import/onnx_import.h): one test model per op family from
// tests/data/onnx/ (written by scripts/export-onnx.py), shapes and MACs counted
// by hand; decomposed LayerNorm/GELU/Softmax of a torch export fused back;
// QDQ layers int8 in the default mapping; unknown ops; bad files.
#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "sim/import/import_error.h"
#include "sim/import/onnx_import.h"

using namespace aimcsim;

namespace {

std::string model_path(const std::string& file) {
  std::string path = AIMCSIM_SOURCE_DIR;
  path.append("/tests/data/onnx/").append(file);
  return path;
}

Workload load(const std::string& file, OnnxImportOptions options = {}) {
  return import_onnx_file(model_path(file), options);
}

const Op& op(const Graph& g, const std::string& name) {
  const auto id = g.find(name);
  REQUIRE_MESSAGE(id.has_value(), "no op " << name);
  return g.op(*id);
}

int count_kind(const Graph& g, OpKind kind) {
  int n = 0;
  for (OpId id : g.ids()) n += g.op(id).kind == kind;
  return n;
}

std::string import_error(const std::string& file, OnnxImportOptions options = {}) {
  try {
    load(file, options);
  } catch (const ImportError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("onnx conv: groups, dilation, asymmetric pads and SAME_UPPER become conv2d + pad") {
  const Graph g = load("conv_family.onnx").graph;
  const Op& grouped = op(g, "block.grouped");
  CHECK(grouped.kind == OpKind::kConv2d);
  CHECK(grouped.attrs.groups == 2);
  CHECK(grouped.attrs.dilation == Hw{2, 2});
  CHECK(grouped.attrs.padding == Hw{1, 2});  // the symmetric part; 2 more rows below as a pad op
  CHECK(op(g, "block.grouped/pad_h").attrs.after == 2);
  CHECK(grouped.output_shape == Shape{1, 16, 16, 16});
  CHECK(grouped.stats.macs == 3 * 3 * 4 * 16 * 16 * 16);
  const Op& dw = op(g, "dw");
  CHECK(dw.attrs.groups == 16);
  CHECK(dw.output_shape == Shape{1, 16, 8, 8});  // SAME_UPPER, stride 2: ceil(16/2)
  CHECK(dw.stats.macs == 9 * 16 * 8 * 8);
  CHECK(op(g, "pw").attrs.bias);
  const GraphTotals t = g.totals();
  CHECK(t.mappable_ops == 3);
  CHECK(t.mappable_macs == 147'456 + 9'216 + 32'768);
}

TEST_CASE(
    "onnx linear: Gemm and MatMul with constant weights are mappable, MatMul of two activations is "
    "digital") {
  const Graph g = load("linear_family.onnx").graph;
  CHECK(op(g, "fc1").kind == OpKind::kLinear);
  CHECK(op(g, "fc1").attrs.out_features == 64);  // transB: weight 64x32
  CHECK(op(g, "fc2").attrs.bias);                // MatMul + Add fused
  CHECK(op(g, "fc2").stats.macs == 4 * 16 * 24);
  CHECK(op(g, "scores/MatMul").kind == OpKind::kMatmul);
  CHECK(op(g, "fc3").output_shape == Shape{1, 4, 5});
  const GraphTotals t = g.totals();
  CHECK(t.mappable_ops == 3);
  CHECK(t.mappable_macs == 2048 + 1536 + 80);
  CHECK(t.dynamic_macs == 4 * 24 * 4);
  CHECK_FALSE(g.find("fc2/Add").has_value());
}

TEST_CASE("onnx pooling and norms: ceil_mode, asymmetric pool pads, global pool, softmax") {
  const Graph g = load("pool_norm_family.onnx").graph;
  CHECK(op(g, "bn/BN").kind == OpKind::kBatchNorm);
  CHECK(op(g, "pool/MaxPool").output_shape == Shape{1, 4, 5, 5});  // ceil_mode: 5, not 4
  CHECK(op(g, "avg/AveragePool").output_shape == Shape{1, 4, 5, 5});
  CHECK(op(g, "gap/GAP").kind == OpKind::kGlobalAvgPool);
  CHECK(op(g, "softmax/Softmax").output_shape == Shape{1, 4});
  CHECK(g.totals().vector_ops == 800 + 400 + 900 + 500 + 104 + 16);
}

TEST_CASE("onnx element-wise ops, activations, LayerNormalization, shape arithmetic folds away") {
  const Graph g = load("elementwise_family.onnx").graph;
  CHECK(op(g, "act/Clip").kind == OpKind::kRelu6);
  CHECK(op(g, "act/Sigmoid").kind == OpKind::kSigmoid);
  CHECK(op(g, "act/HardSwish").kind == OpKind::kHswish);
  CHECK(op(g, "res/Add").kind == OpKind::kAdd);
  CHECK(op(g, "res/Sub").kind == OpKind::kMul);
  CHECK(op(g, "ln/LN").kind == OpKind::kLayerNorm);
  CHECK(op(g, "Reshape").output_shape == Shape{2, 32});  // target from Shape/Gather/Concat
  CHECK(op(g, "Slice").output_shape == Shape{2, 10});    // 2:30:3
  CHECK(op(g, "Pad").output_shape == Shape{2, 13});
  CHECK(op(g, "cat/Concat").output_shape == Shape{2, 26});
  CHECK_FALSE(g.find("Shape").has_value());
  CHECK_FALSE(g.find("Gather").has_value());
  CHECK(g.totals().params == 8 + 16);  // the scale vector and the LayerNorm affine
}

TEST_CASE("onnx QDQ: a quantised layer is int8 in the default mapping, the others fp16") {
  const Workload w = load("qdq.onnx");
  CHECK(w.default_mapping.at("conv1") == Target::kInt8);
  CHECK(w.default_mapping.at("conv2") == Target::kFp16);
  CHECK(op(w.graph, "conv1").stats.weights == 8 * 3 * 3 * 3);
  CHECK(resolve_workload_mapping("default", w) == w.default_mapping);
}

TEST_CASE(
    "onnx torch export: decomposed LayerNorm, GELU and Softmax fused, embedding lookup, "
    "attention") {
  const Graph g = load("tiny_encoder.onnx").graph;
  CHECK(count_kind(g, OpKind::kLayerNorm) == 3);
  CHECK(count_kind(g, OpKind::kGelu) == 1);
  CHECK(count_kind(g, OpKind::kSoftmax) == 1);
  CHECK(op(g, "emb_norm").kind == OpKind::kLayerNorm);
  CHECK(op(g, "embed").kind == OpKind::kConstant);
  CHECK(op(g, "embed").output_shape == Shape{1, 8, 32});
  for (const char* name : {"query", "key", "value", "attn_out", "ffn_in", "ffn_out"}) {
    CHECK(op(g, name).kind == OpKind::kLinear);
    CHECK(op(g, name).attrs.bias);
  }
  const GraphTotals t = g.totals();
  CHECK(t.mappable_macs == 8 * (4 * 32 * 32 + 2 * 32 * 64));
  CHECK(t.dynamic_macs == 2 * (2 * 8 * 16 * 8));  // QK^T and AV, 2 heads
  for (OpId id : g.ids()) {
    const std::string& name = g.op(id).name;
    CHECK_MESSAGE(name.find("ReduceMean") == std::string::npos, name);
    CHECK_MESSAGE(name.find("Erf") == std::string::npos, name);
  }
}

TEST_CASE("onnx torch export at opsets 11, 14 and 17 imports to the same graph ops") {
  const Graph g14 = load("tiny_encoder.onnx").graph;
  for (const char* file : {"tiny_encoder_opset11.onnx", "tiny_encoder_opset17.onnx"}) {
    const Graph g = load(file).graph;
    CHECK(g.size() == g14.size());
    for (OpKind kind : all_op_kinds()) CHECK(count_kind(g, kind) == count_kind(g14, kind));
    CHECK(g.totals().mappable_macs == g14.totals().mappable_macs);
    CHECK(g.totals().params == g14.totals().params);
  }
}

TEST_CASE("onnx unsupported op: an error naming type and node, or vector work with a warning") {
  const std::string e = import_error("unknown_op.onnx");
  CHECK(e.find("unknown_op.onnx") != std::string::npos);
  CHECK(e.find("'/cumsum/CumSum' (CumSum)") != std::string::npos);
  CHECK(e.find("--unknown-ops digital") != std::string::npos);
  const Workload w =
      load("unknown_op.onnx", {.input_shapes = {}, .unknown_ops = UnknownOps::kDigital});
  const Op& cumsum = op(w.graph, "cumsum/CumSum");
  CHECK(cumsum.output_shape == Shape{1, 6, 5});
  CHECK(cumsum.stats.vector_ops == 30);  // one per output element, never zero
  REQUIRE(w.warnings.size() == 1);
  CHECK(w.warnings[0].find("CumSum '/cumsum/CumSum'") != std::string::npos);
}

TEST_CASE("onnx bad files: truncated, not ONNX, unreadable opset, dynamic dimension") {
  const std::string truncated = import_error("bad_truncated.onnx");
  CHECK(truncated.find("bad_truncated.onnx: ") != std::string::npos);
  CHECK(truncated.find('\n') == std::string::npos);
  CHECK(import_error("bad_not_onnx.onnx").find("not an ONNX model") != std::string::npos);
  CHECK(import_error("bad_opset18.onnx").find("opset 18 is newer") != std::string::npos);
  const std::string dyn = import_error("dynamic_batch.onnx");
  CHECK(dyn.find("input 'x' dimension 0 ('N') is dynamic") != std::string::npos);
  CHECK(dyn.find("--input-shape x=") != std::string::npos);
  const Workload w = load("dynamic_batch.onnx", {.input_shapes = {{"x", {2, 3, 8, 8}}}});
  CHECK(w.graph.totals().mappable_macs == 3 * 3 * 3 * 4 * 6 * 6 * 2);
  CHECK(import_error("dynamic_batch.onnx",
                     {.input_shapes = {{"x", {1, 3, 8, 8}}, {"y", {1, 3, 8, 8}}}})
            .find("names 'y', which is no graph input") != std::string::npos);
}

TEST_CASE("onnx malformed constant subgraphs: an error naming the node, no out-of-bounds read") {
  // Before: the slice aborted the process, the zero-step Range never ended, the
  // gather and the broadcast read past their data, the repeated perm was taken.
  const std::pair<const char*, const char*> cases[] = {
      {"slice_axis", "node '/s/Slice' (Slice): axis 7 is out of range for rank 1"},
      {"gather_index",
       "node '/g/Gather' (Gather): index 100000 is out of range for dimension 1 of size 2"},
      {"range_zero", "node '/r/Range' (Range): Range(4, 0, 0) has no finite length"},
      {"broadcast", "node '/c/Add' (Add): operands 3 and 4 do not broadcast"},
      {"transpose_perm", "node '/t/Transpose' (Transpose): perm 0,0 is not a permutation"},
  };
  for (const auto& [name, expected] : cases) {
    const std::string file = std::string("bad_fold_") + name + ".onnx";
    const std::string e = import_error(file);
    CHECK_MESSAGE(e.find(file + ": " + expected) != std::string::npos, e);
    CHECK(e.find('\n') == std::string::npos);
  }
}
