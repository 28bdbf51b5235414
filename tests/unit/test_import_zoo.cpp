// test-links: aimcsim_sim
// An exported zoo network (scripts/export-onnx.py mirrors nn/zoo/ in Python)
// imported back has the same MACs, weights and mappable layer names, in the
// same order, as `graph --model`: compared with traces/fmnist_*.trace, which
// tests/unit/test_zoo_graph_export.cpp keeps equal to a fresh `graph --model`
// export. The ONNX files hold shapes only (their weights were external data,
// deleted), and BatchNorm is folded into the convs by torch's export.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/graph/trace_reader.h"
#include "sim/import/onnx_import.h"

using namespace aimcsim;

namespace {

struct Layer {
  std::string name;
  OpKind kind;
  std::int64_t macs, weights;
  Shape output_shape;
  bool operator==(const Layer&) const = default;
};

std::vector<Layer> mappable(const Graph& g) {
  std::vector<Layer> out;
  for (OpId id : g.ids()) {
    const Op& op = g.op(id);
    if (op.mappable()) out.push_back({op.name, op.kind, op.stats.macs, op.stats.weights, op.output_shape});
  }
  return out;
}

void check_same(const std::string& trace, const std::string& file) {
  const std::string root = AIMCSIM_SOURCE_DIR;
  const Graph imported = import_onnx_file(root + "/tests/data/onnx/" + file, {}).graph;
  const Graph zoo = read_trace_file(root + "/traces/" + trace);
  const auto a = mappable(imported), b = mappable(zoo);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK_MESSAGE(a[i] == b[i], a[i].name << " vs " << b[i].name);
  }
  CHECK(imported.totals().mappable_macs == zoo.totals().mappable_macs);
  CHECK(imported.totals().weights == zoo.totals().weights);
}

}  // namespace

TEST_CASE("onnx zoo resnet8: same mappable layers, MACs and weights as graph --model") {
  check_same("fmnist_resnet8.trace", "fmnist_resnet8.onnx");
}

TEST_CASE("onnx zoo vgg-small: same mappable layers, MACs and weights as graph --model") {
  check_same("fmnist_vgg_small.trace", "fmnist_vgg_small.onnx");
}

TEST_CASE("onnx zoo resnet20 exported at opset 11: same mappable layers, MACs and weights") {
  check_same("fmnist_resnet20.trace", "fmnist_resnet20_opset11.onnx");
}
