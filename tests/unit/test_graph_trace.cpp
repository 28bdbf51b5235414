// Trace reader and writer (sim/graph/trace_reader.h, trace_writer.h): round
// trips, and a FILE:LINE error naming the problem for each kind of bad input.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "sim/graph/graph_error.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"

using namespace aimcsim;

namespace {

const std::string kData = std::string(AIMCSIM_SOURCE_DIR) + "/tests/data/traces/";

// Asserts that reading `text` as bad.trace fails at `line` with `part` in the message.
void expect_error(const std::string& text, int line, const std::string& part) {
  try {
    parse_trace(text, "bad.trace");
  } catch (const TraceError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.rfind("bad.trace:" + std::to_string(line) + ": ", 0) == 0);
    CHECK(what.find(part) != std::string::npos);
    CHECK(e.line() == line);
    return;
  }
  FAIL("no TraceError; expected line " << line << ": " << part);
}

const std::string kHead = "aimcsim-trace 1\nnetwork n\ninput x shape=1x3x8x8\n";

}  // namespace

TEST_CASE("hand-written trace: comments, defaults, any op order") {
  const Graph g = read_trace_file(kData + "handwritten.trace");
  CHECK(g.name() == "handwritten");
  CHECK(g.size() == 10);
  // Topological order keeps file order where dependencies allow.
  CHECK(g.op(OpId{1}).name == "conv1");
  CHECK(g.op(OpId{2}).name == "bn1");
  CHECK(g.op(OpId{4}).name == "skip");
  const Op& conv1 = g.op(*g.find("conv1"));
  CHECK(conv1.attrs.stride == Hw{1, 1});  // default
  CHECK(conv1.attrs.kernel == Hw{3, 3});
  CHECK(conv1.inputs == std::vector<OpId>{*g.find("x")});
  CHECK(g.op(*g.find("sum")).output_shape == Shape{1, 8, 16, 16});
  CHECK(g.totals().mappable_macs == 3 * 3 * 3 * 8 * 256 + 3 * 8 * 256 + 8 * 4);
  CHECK(g.consumers(*g.find("x")) == std::vector<OpId>{*g.find("conv1"), *g.find("skip")});
}

TEST_CASE("round trip: read(write(g)) == g and the text is a fixed point") {
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(AIMCSIM_SOURCE_DIR) + "/traces")) {
    if (entry.path().extension() != ".trace") continue;
    INFO(entry.path().string());
    const Graph g = read_trace_file(entry.path());
    const std::string text = trace_text(g);
    const Graph back = parse_trace(text, "roundtrip");
    CHECK(back == g);
    CHECK(trace_text(back) == text);
  }
  const Graph hand = read_trace_file(kData + "handwritten.trace");
  const std::string text = trace_text(hand);
  CHECK(parse_trace(text) == hand);
  // Non-default optional attributes are written, defaults are not.
  CHECK(text.find("conv2d conv1 in=x in_channels=3 out_channels=8 kernel=3 padding=1  #") !=
        std::string::npos);
  CHECK(text.find("bias=true") != std::string::npos);
  CHECK(text.find("stride=") == std::string::npos);
  // A graph with a changed attribute is not equal.
  const std::string changed =
      std::string(text).replace(text.find("out_features=4"), 14, "out_features=5");
  CHECK_FALSE(parse_trace(changed) == hand);
}

TEST_CASE("bad traces on disk: cycle, dangling edge, shape mismatch") {
  auto check_file = [](const std::string& name, int line, const std::string& part) {
    try {
      read_trace_file(kData + name);
      FAIL("no error for " << name);
    } catch (const TraceError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).rfind(kData + name + ":" + std::to_string(line) + ": ", 0) == 0);
      CHECK(std::string(e.what()).find(part) != std::string::npos);
    }
  };
  check_file("cycle.trace", 5, "cycle in the graph: b -> c -> d -> b; expected a DAG");
  check_file("dangling.trace", 5, "relu 'relu1': operand 'bn1' is not defined in this file");
  check_file("shape_mismatch.trace", 6,
             "add 'sum': operand shapes 1x8x8x8 and 1x8x4x4 differ; expected identical shapes");
  check_file("does_not_exist.trace", 0, "cannot open");
}

TEST_CASE("bad traces: each problem names the line and what was expected") {
  expect_error("", 0, "empty file; expected the header 'aimcsim-trace 1'");
  expect_error("# c\nnetwork n\n", 2, "expected the header 'aimcsim-trace 1'");
  expect_error("aimcsim-trace 2\n", 1, "version 2 is not supported; expected 1");
  expect_error("aimcsim-trace 1\ninput x shape=1x3\n", 2, "op before the network line");
  expect_error("aimcsim-trace 1\n", 0, "no network line");
  expect_error("aimcsim-trace 1\nnetwork n\n", 0, "no input op");
  expect_error(kHead + "network m\n", 4, "network is given twice");
  expect_error(kHead + "conv3d c in=x\n", 4, "unknown op 'conv3d'; expected one of: input,");
  expect_error(kHead + "relu in=x\n", 4, "relu has no valid name");
  expect_error(kHead + "relu x in=x\n", 4, "duplicate name 'x' (first defined on line 3)");
  expect_error(kHead + "relu r in=x size=3\n", 4,
               "relu 'r': unknown attribute 'size'; expected one of: in");
  expect_error(kHead + "conv2d c in=x in_channels=3 out_channels=8 kernal=3\n", 4,
               "unknown attribute 'kernal'; expected one of: in, in_channels, out_channels, "
               "kernel, stride");
  expect_error(kHead + "conv2d c in=x in_channels=3 out_channels=8\n", 4,
               "conv2d 'c': missing attribute kernel (kernel size, elements); expected kernel=N "
               "or HxW");
  expect_error(kHead + "conv2d c in=x in_channels=3 out_channels=8 kernel=3 bias=yes\n", 4,
               "attribute bias=yes is malformed; expected true or false");
  expect_error(kHead + "conv2d c in=x in_channels=3 out_channels=eight kernel=3\n", 4,
               "attribute out_channels=eight is malformed; expected an integer");
  expect_error(kHead + "conv2d c in=x in_channels=3 out_channels=8 kernel=0x3\n", 4,
               "attribute kernel=0 is invalid; expected an integer >= 1");
  expect_error(kHead + "conv2d c in=x in_channels=4 out_channels=8 kernel=3\n", 4,
               "operand has 3 channels (shape 1x3x8x8); expected in_channels=4");
  expect_error(kHead + "flatten f in=x\nlinear fc in=f in_features=100 out_features=10\n", 5,
               "linear 'fc': operand's last dimension is 192 (shape 1x192); expected "
               "in_features=100");
  expect_error(kHead + "relu r in=x in=x\n", 4, "attribute in given twice");
  expect_error(kHead + "relu r\n", 4, "missing attribute in; expected in=OPERAND");
  expect_error(kHead + "relu r in=x,x\n", 4, "relu 'r': has 2 operands; expected 1");
  expect_error(kHead + "relu r in=x junk\n", 4, "'junk' is not an attribute; expected key=value");
  expect_error(kHead + "input y in=x shape=1x2\n", 4,
               "unknown attribute 'in'; expected one of: "
               "shape");
  expect_error(kHead + "input y shape=1x0\n", 4, "attribute shape=1x0 is malformed");
  expect_error(kHead + "relu r in=r\n", 4, "cycle in the graph: r -> r");
  expect_error(kHead + "relu r in=x,\n", 4, "in=x, is malformed");
}

TEST_CASE("huge dimensions: counts above 2^50 are an error naming the op, never negative") {
  // 2^60 elements: the element count itself is over the limit.
  expect_error(
      "aimcsim-trace 1\nnetwork n\ninput x shape=1x1048576x1048576x1048576\n"
      "relu r in=x\n",
      4, "relu 'r': count 1099511627776 x 1048576 exceeds 2^50");
  // 2^26 x 2^26 weights: 2^52 (in 64 bits this fits; the MACs at batch 2^12 would not).
  expect_error(
      "aimcsim-trace 1\nnetwork n\ninput x shape=1x67108864\n"
      "linear fc in=x in_features=67108864 out_features=67108864\n",
      4, "linear 'fc': count 67108864 x 67108864 exceeds 2^50");
  // MACs: weights fit, weights x output pixels do not (the old code wrapped negative).
  expect_error(
      "aimcsim-trace 1\nnetwork n\ninput x shape=1x4096x32768x32768\n"
      "conv2d c in=x in_channels=4096 out_channels=4096 kernel=1\n",
      4, "conv2d 'c': count ");
  // Just below the limit reads: 2^25 x 2^25 = 2^50 weights.
  const Graph g = parse_trace(
      "aimcsim-trace 1\nnetwork n\ninput x shape=1x33554432\n"
      "linear fc in=x in_features=33554432 out_features=33554432\n"
      "output out in=fc\n",
      "ok.trace");
  CHECK(g.totals().macs == kMaxCount);
  CHECK(g.totals().weight_bytes == kMaxCount);  // 8-bit weights
}
