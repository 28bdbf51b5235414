#include "nn/export/model_graph.h"

#include <algorithm>

#include "models/error.h"
#include "nn/data/fmnist.h"
#include "nn/zoo/nasbench201_code.h"
#include "sim/graph/graph_builder.h"

namespace aimcsim::nn {

std::string graph_name(const ZooModel& model) {
  const std::string prefix = "nasbench201:";
  const std::string& name = model.name();
  if (const std::size_t at = name.find("@inner="); at != std::string::npos) {
    // A widened model (nn/zoo/widen.h): "resnet20@inner=24,32" -> "resnet20:inner:24-32".
    std::string widths = name.substr(at + 7);
    std::replace(widths.begin(), widths.end(), ',', '-');
    return name.substr(0, at) + ":inner:" + widths;
  }
  if (name.rfind(prefix, 0) != 0) return name;
  // "nasbench201:ARCH@cells=N" -> "nasbench201:DIGITS:cells:N".
  const std::size_t cells = name.find("@cells=");
  const std::string code = name.substr(
      prefix.size(), cells == std::string::npos ? std::string::npos : cells - prefix.size());
  const std::string suffix = cells == std::string::npos ? "" : ":cells:" + name.substr(cells + 7);
  return prefix + parse_nb201_code(code).digits() + suffix;
}

Graph model_to_graph(const ZooModel& model, std::int64_t batch) {
  if (batch < 1) throw Error("graph export: batch " + std::to_string(batch) + "; expected >= 1");
  GraphBuilder builder(graph_name(model));
  const Tensor x = builder.input("x", {batch, 1, kFmnistSide, kFmnistSide});
  builder.output("logits", model.build_graph(builder, x));
  return std::move(builder).build();
}

}  // namespace aimcsim::nn
