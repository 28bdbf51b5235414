// Per-op shape inference and counting (sim/graph/shape_inference.h): MAC
// formulas of FACTS.md s.7 incl. grouped/depthwise conv and matmul, weights,
// vector ops, bytes, and the GraphError raised for each kind of bad op.
#include <doctest/doctest.h>

#include <string>

#include "sim/graph/graph_builder.h"
#include "sim/graph/graph_error.h"

using namespace aimcsim;

namespace {

// A copy: later additions may move the graph's vertex storage.
Op op_of(const GraphBuilder& b, Tensor t) { return b.graph().op(t.id); }

}  // namespace

TEST_CASE("conv2d: kh*kw*(C_in/groups)*C_out*H_out*W_out MACs, shapes and weights") {
  GraphBuilder b("t");
  Tensor x = b.input("x", {1, 32, 15, 17});
  SUBCASE("dense 3x3, stride 2, padding 1") {
    const Op c = op_of(
        b, b.conv2d("c", x,
                    {.out_channels = 64, .kernel = 3, .stride = 2, .padding = 1, .bias = true}));
    // H_out = floor((15 + 2 - 2 - 1)/2) + 1 = 8, W_out = floor((17 + 2 - 2 - 1)/2) + 1 = 9
    CHECK(c.output_shape == Shape{1, 64, 8, 9});
    CHECK(c.stats.weights == 3 * 3 * 32 * 64);
    CHECK(c.stats.bias == 64);
    CHECK(c.stats.params == 3 * 3 * 32 * 64 + 64);
    CHECK(c.stats.macs == 3 * 3 * 32 * 64 * 8 * 9);
    CHECK(c.mappable());
  }
  SUBCASE("grouped (groups=4) rectangular kernel") {
    const Op c = op_of(b, b.conv2d("c", x, {.out_channels = 16, .kernel = {1, 3}, .groups = 4}));
    CHECK(c.output_shape == Shape{1, 16, 15, 15});
    CHECK(c.stats.macs == 1 * 3 * (32 / 4) * 16 * 15 * 15);
    CHECK(c.stats.weights == 1 * 3 * 8 * 16);
  }
  SUBCASE("depthwise (groups = channels) with dilation 2") {
    const Op c = op_of(
        b, b.conv2d("c", x,
                    {.out_channels = 32, .kernel = 3, .padding = 2, .dilation = 2, .groups = 32}));
    CHECK(c.output_shape == Shape{1, 32, 15, 17});
    CHECK(c.stats.macs == 3 * 3 * 1 * 32 * 15 * 17);
    CHECK(c.stats.weights == 3 * 3 * 32);
  }
  SUBCASE("batch of 4 multiplies MACs, not weights") {
    Tensor x4 = b.input("x4", {4, 32, 15, 17});
    const Op c = op_of(b, b.conv2d("c", x4, {.out_channels = 8}));
    CHECK(c.stats.macs == 4 * 32 * 8 * 15 * 17);
    CHECK(c.stats.weights == 32 * 8);
  }
}

TEST_CASE("linear: in*out MACs per token, matmul: M*K*N per batch") {
  GraphBuilder b("t");
  Tensor tokens = b.input("tokens", {2, 197, 192});
  const Op l = op_of(b, b.linear("l", tokens, 768, true));
  CHECK(l.output_shape == Shape{2, 197, 768});
  CHECK(l.stats.macs == 2LL * 197 * 192 * 768);
  CHECK(l.stats.weights == 192 * 768);
  CHECK(l.stats.vector_ops == 2LL * 197 * 768);  // bias adds

  Tensor q = b.input("q", {2, 3, 197, 64});
  Tensor k = b.input("k", {2, 3, 197, 64});
  const Tensor qk_out = b.matmul("qk", q, k, true);
  const Op qk = op_of(b, qk_out);
  CHECK(qk.output_shape == Shape{2, 3, 197, 197});
  CHECK(qk.stats.macs == 2LL * 3 * 197 * 64 * 197);
  CHECK(qk.stats.weights == 0);
  CHECK_FALSE(qk.mappable());
  Tensor v = b.input("v", {2, 3, 197, 32});
  const Op av = op_of(b, b.matmul("av", qk_out, v));
  CHECK(av.output_shape == Shape{2, 3, 197, 32});
  CHECK(av.stats.macs == 2LL * 3 * 197 * 197 * 32);
}

TEST_CASE("element-wise, normalisation and pooling ops: shapes and vector ops") {
  GraphBuilder b("t");
  Tensor x = b.input("x", {1, 8, 6, 6});
  CHECK(op_of(b, b.relu("r", x)).stats.vector_ops == 288);
  CHECK(op_of(b, b.add("a3", {x, x, x})).stats.vector_ops == 2 * 288);
  const Op bn = op_of(b, b.batchnorm("bn", x));
  CHECK(bn.stats.params == 16);
  CHECK(bn.stats.vector_ops == 2 * 288);
  const Op mp = op_of(b, b.maxpool("mp", x, 3, 2, 1));
  CHECK(mp.output_shape == Shape{1, 8, 3, 3});
  CHECK(mp.stats.vector_ops == 72 * 9);
  const Op ap = op_of(b, b.avgpool("ap", x, 2, 2));
  CHECK(ap.output_shape == Shape{1, 8, 3, 3});
  CHECK(ap.stats.vector_ops == 72 * 5);
  const Op gp = op_of(b, b.global_avgpool("gp", x));
  CHECK(gp.output_shape == Shape{1, 8, 1, 1});
  CHECK(gp.stats.vector_ops == 8 * 37);
  Tensor gate = b.input("gate", {1, 8, 1, 1});
  CHECK(op_of(b, b.mul("se", x, gate)).output_shape == Shape{1, 8, 6, 6});
  Tensor t = b.input("t", {1, 10, 12});
  const Op ln = op_of(b, b.layernorm("ln", t));
  CHECK(ln.stats.params == 24);
  CHECK(op_of(b, b.softmax("sm", t)).stats.vector_ops == 4 * 120);
  CHECK(bn.output_bytes(8) == 288);
  CHECK(bn.input_bytes(16) == 576);
  CHECK(bytes_of(3, 4) == 2);  // 12 bits round up to 2 bytes
}

TEST_CASE("layout ops: flatten, reshape, transpose, concat, slice, pad, zeros") {
  GraphBuilder b("t");
  Tensor x = b.input("x", {1, 192, 14, 14});
  Tensor f = b.flatten("f", x, 2);
  CHECK(b.shape(f) == Shape{1, 192, 196});
  Tensor t = b.transpose("t", f, {0, 2, 1});
  CHECK(b.shape(t) == Shape{1, 196, 192});
  Tensor c = b.concat("c", {b.constant("cls", {1, 1, 192}), t}, 1);
  CHECK(b.shape(c) == Shape{1, 197, 192});
  CHECK(b.graph().op(*b.graph().find("cls")).stats.params == 192);
  const Op zeros = op_of(b, b.zeros("z", {1, 16, 7, 7}));  // no operand, no params, no work
  CHECK(zeros.output_shape == Shape{1, 16, 7, 7});
  CHECK(zeros.stats == OpStats{});
  CHECK(op_kind_name(zeros.kind) == "zeros");
  CHECK(b.shape(b.reshape("r", c, {1, 197, 3, -1})) == Shape{1, 197, 3, 64});
  CHECK(b.shape(b.slice("s", x, 2, 0, 14, 2)) == Shape{1, 192, 7, 14});
  CHECK(b.shape(b.slice("s2", x, -1, 1, 14, 3)) == Shape{1, 192, 14, 5});
  CHECK(b.shape(b.pad("p", x, 1, 8, 8)) == Shape{1, 208, 14, 14});
  CHECK(b.shape(b.flatten("f1", x)) == Shape{1, 192 * 196});
}

TEST_CASE("bad ops throw GraphError naming the op and the expectation") {
  GraphBuilder b("t");
  Tensor x = b.input("x", {1, 16, 8, 8});
  Tensor y = b.input("y", {1, 32, 4, 4});
  auto fails_with = [](auto&& fn, const std::string& part) {
    try {
      fn();
    } catch (const GraphError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(part) != std::string::npos);
      return;
    }
    FAIL("no GraphError; expected one containing: " << part);
  };
  fails_with([&] { b.add("a", {x, y}); }, "add 'a': operand shapes 1x16x8x8 and 1x32x4x4 differ");
  fails_with([&] { b.conv2d("c", x, {.out_channels = 8, .kernel = 3, .groups = 3}); },
             "groups=3 must divide in_channels=16");
  fails_with([&] { b.conv2d("c", x, {.out_channels = 8, .kernel = 11}); },
             "kernel 11 (dilation 1) does not fit input H 8");
  fails_with([&] { b.conv2d("c", x, {.out_channels = 0, .kernel = 1}); },
             "out_channels=0 is invalid; expected an integer >= 1");
  OpAttrs lin;
  lin.in_features = 7;
  lin.out_features = 3;
  fails_with([&] { b.op("l", OpKind::kLinear, lin, {x}); },
             "last dimension is 8 (shape 1x16x8x8); expected in_features=7");
  fails_with([&] { b.matmul("m", x, y); }, "cannot multiply 1x16x8x8 by 1x32x4x4");
  fails_with([&] { b.reshape("r", x, {1, 100}); }, "expected the same element count");
  fails_with([&] { b.transpose("t", x, {0, 1, 1, 2}); }, "perm is not a permutation");
  fails_with([&] { b.concat("c", {x, y}); }, "differ outside axis 1");
  fails_with([&] { b.slice("s", x, 2, 4, 9); }, "out of range");
  fails_with([&] { b.softmax("s", x, 4); }, "axis=4 is out of range for rank 4");
  fails_with([&] { b.mul("m", x, y); }, "do not broadcast");
  fails_with([&] { b.op("r", OpKind::kRelu, {}, {x, y}); }, "has 2 operands; expected 1");
  fails_with([&] { b.relu("x", x); }, "relu 'x': duplicate name");
  fails_with([&] { b.relu("bad name", x); }, "name is invalid");
  fails_with([&] { b.input("i", {1, 0, 3}); }, "expected dims >= 1");
  CHECK(b.graph().size() == 2);  // failed additions left the graph unchanged
}
