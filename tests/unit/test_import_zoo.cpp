// An exported zoo network (scripts/export-onnx.py mirrors nn/zoo/ in Python)
// imported back has the same MACs, weights and mappable layer names, in the
// same order, as `graph --model` (nn/export/model_graph.h). The files hold
// shapes only (their weights were external data, deleted).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/import/onnx_import.h"

using namespace aimcsim;

namespace {

struct Layer {
  std::string name;
  std::int64_t macs, weights;
  bool operator==(const Layer&) const = default;
};

std::vector<Layer> mappable(const Graph& g) {
  std::vector<Layer> out;
  for (OpId id : g.ids()) {
    const Op& op = g.op(id);
    if (op.mappable()) out.push_back({op.name, op.stats.macs, op.stats.weights});
  }
  return out;
}

void check_same(const std::string& model, const std::string& file) {
  std::string path = AIMCSIM_SOURCE_DIR;
  path.append("/tests/data/onnx/").append(file);
  const Graph imported = import_onnx_file(path, {}).graph;
  const Graph zoo = nn::model_to_graph(*nn::make_model(model));
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
  check_same("resnet8", "fmnist_resnet8.onnx");
}

TEST_CASE("onnx zoo vgg-small: same mappable layers, MACs and weights as graph --model") {
  check_same("vgg-small", "fmnist_vgg_small.onnx");
}
