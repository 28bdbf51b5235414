#include "sim/import/workload.h"

#include <fmt/format.h>

#include "sim/graph/trace_reader.h"
#include "sim/import/layer_csv.h"
#include "sim/import/onnx_import.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim {

Workload load_workload(const WorkloadFiles& files) {
  if (files.count() != 1) {
    throw Error(fmt::format(
        "{} workload files given; expected exactly one of --trace, --onnx, --csv", files.count()));
  }
  if (!files.onnx.empty()) return import_onnx_file(files.onnx, files.onnx_options);
  Graph graph =
      !files.trace.empty() ? read_trace_file(files.trace) : read_layer_csv_file(files.csv);
  Mapping mapping = make_preset_mapping(MappingPreset::kAllDigital, graph);
  return {std::move(graph), std::move(mapping), {}};
}

Mapping resolve_workload_mapping(const std::string& spec, const Workload& workload) {
  if (spec == "default") return workload.default_mapping;
  return resolve_mapping(spec, workload.graph);
}

void add_input_shape(OnnxImportOptions& options, const std::string& text) {
  const auto eq = text.rfind('=');
  Shape shape;
  if (eq == std::string::npos || eq == 0 || !parse_shape(text.substr(eq + 1), shape) ||
      std::find(shape.begin(), shape.end(), -1) != shape.end()) {
    throw Error("--input-shape " + text + ": expected NAME=DIMS, e.g. input=1x3x224x224");
  }
  options.input_shapes[text.substr(0, eq)] = shape;
}

UnknownOps parse_unknown_ops(const std::string& text) {
  if (text == "error") return UnknownOps::kError;
  if (text == "digital") return UnknownOps::kDigital;
  throw Error("--unknown-ops " + text + ": expected error or digital");
}

}  // namespace aimcsim
