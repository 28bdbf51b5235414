// test-links: aimcsim_sim
// SCALE-Sim topology (conv and GEMM) and NeuroSim NetWork.csv import
// (sim/import/layer_csv.h): header, CRLF, spaces, optional trailing comma, the
// 9th column, chains, rows with too few columns, and binary input.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "sim/import/import_error.h"
#include "sim/import/layer_csv.h"

using namespace aimcsim;

namespace {

Graph read(const std::string& text) {
  std::istringstream in(text);
  return read_layer_csv(in, "net.csv", "net");
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const ImportError& e) {
    return e.what();
  }
  return "no error";
}

const Op& op(const Graph& g, const std::string& name) {
  const auto id = g.find(name);
  REQUIRE_MESSAGE(id.has_value(), "no op " << name);
  return g.op(*id);
}

}  // namespace

TEST_CASE(
    "scalesim conv topology: header, CRLF, spaces, optional trailing comma, stride_w column") {
  const Graph g = read(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\r\n"
      " Conv1, 227, 227, 11, 11, 3, 96, 4,\r\n"
      "Conv2,31,31,5,5,96,256,1\r\n"
      "Conv3, 15, 15, 3, 3, 256, 384, 1, 2,\r\n"
      "Conv4, 15, 15, 3, 3, 384, 384, 1, padded\r\n");
  CHECK(op(g, "Conv1").output_shape == Shape{1, 96, 55, 55});  // already padded: (227-11)/4+1
  CHECK(op(g, "Conv1").stats.macs == 105'415'200);
  CHECK(op(g, "Conv2").stats.macs == 447'897'600);
  CHECK(op(g, "Conv3").attrs.stride == Hw{1, 2});
  CHECK(op(g, "Conv3").output_shape == Shape{1, 384, 13, 7});
  CHECK(op(g, "Conv4").attrs.stride == Hw{1, 1});  // a non-integer 9th column is not stride_w
  CHECK(g.totals().mappable_ops == 4);
  CHECK(g.outputs().size() == 1);
}

TEST_CASE("scalesim gemm topology: M x K input times K x N weight") {
  const Graph g = read("Layer, M, N, K,\nGEMM1, 128, 64, 256,\nGEMM2, 128, 32, 64\n");
  CHECK(op(g, "GEMM1").kind == OpKind::kLinear);
  CHECK(op(g, "GEMM1").stats.macs == 128 * 64 * 256);
  CHECK(op(g, "GEMM2").stats.macs == 128 * 32 * 64);
  CHECK(op(g, "GEMM2").inputs.front() == *g.find("GEMM1"));  // chained directly
}

TEST_CASE("neurosim NetWork.csv: same-padded convs, pooled rows, a chain without adapters") {
  const Graph g = read("32,32,3,3,3,128,0,1\n32,32,128,3,3,128,1,1\n16,16,128,3,3,256,0,1\n");
  CHECK(op(g, "layer1").stats.macs == 3'538'944);
  CHECK(op(g, "layer2").stats.macs == 150'994'944);
  CHECK(op(g, "layer2.pool").output_shape == Shape{1, 128, 16, 16});
  CHECK(op(g, "layer3").stats.macs == 75'497'472);
  CHECK(g.size() == 6);  // input, 3 convs, 1 pool, output
}

TEST_CASE("layer csv bad rows: too few columns, non-numbers, unknown header") {
  const std::string few = error_of("32,32,3,3,3,128,0,1\n16,16,128,3\n");
  CHECK(few ==
        "net.csv:2: 4 columns; expected 8 (ifm_h, ifm_w, ifm_c, kernel_h, kernel_w, "
        "ofm_c, followed_by_maxpool, stride)");
  CHECK(error_of("Layer name, IFMAP Height, IFMAP Width\nConv1, 8, 8\n")
            .find("net.csv:2: 3 columns") == 0);
  CHECK(error_of("Layer, M, N, K\nG, 4, x, 2\n").find("net.csv:2: column 3 (N) is 'x'") == 0);
  CHECK(error_of("a,b,c\n").find("net.csv:1: header") == 0);
}

TEST_CASE("layer csv from a binary file: the error stays one printable line, cut to length") {
  const std::string e =
      error_of(std::string("\x7f"
                           "ELF\x02\x01\0\0\r,\x03\x04\n",
                           13));
  CHECK(e.find("net.csv:1: header '?elf???") == 0);
  CHECK(e.find("8 integers") != std::string::npos);  // not cut at the NUL byte
  for (char c : e) CHECK((c >= 0x20 && c < 0x7f));
  std::string long_header(500, 'x');
  long_header += '\n';
  const std::string wide = error_of(long_header);
  CHECK(wide.find("header '" + std::string(60, 'x') + "...'") != std::string::npos);
  const std::string pool = error_of("8,8,3,3,3,8,0,1\n8,8,8,3,3,8,\x01\x02,1\n");
  CHECK(pool ==
        "net.csv:2: column 7 (followed_by_maxpool) is '?"
        "?'; expected 0 or 1");
}
