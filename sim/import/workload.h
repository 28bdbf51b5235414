// One entry point for every workload file format the simulator reads, for the
// commands (graph, run, compare, sweep) and for anyone building runs in code.
//
// Contract:
// - load_workload() reads exactly one of: a trace file (traces/README.md), an
//   ONNX model (onnx_import.h) or a layer CSV (SCALE-Sim / NeuroSim,
//   layer_csv.h); it returns the Graph, the import's default Mapping and the
//   warnings the import raised (each one line). Every problem is an Error
//   whose what() is one line naming the file.
// - default_mapping: every mappable op fp16 (the all-digital preset), except the
//   ops an ONNX model quantises (QuantizeLinear/DequantizeLinear on the weight or
//   the input), which are int8. resolve_workload_mapping("default", ...) returns it;
//   any other spec goes to resolve_mapping() (sim/mapping/mapping_io.h).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/graph/graph.h"
#include "sim/graph/shape.h"
#include "sim/mapping/mapping.h"

namespace aimcsim {

// What the importer does with an ONNX op it has no rule for.
enum class UnknownOps {
  kError,    // stop with an ImportError naming the op type and node
  kDigital,  // cost it as vector work, one operation per output element, and warn
};

struct OnnxImportOptions {
  // Shapes of graph inputs by name (`--input-shape ids=1x128`); they set
  // dynamic dimensions and must agree with the static ones.
  std::map<std::string, Shape> input_shapes;
  UnknownOps unknown_ops = UnknownOps::kError;
};

struct WorkloadFiles {
  std::filesystem::path trace;  // aimcsim trace
  std::filesystem::path onnx;   // ONNX model
  std::filesystem::path csv;    // SCALE-Sim topology or NeuroSim NetWork.csv
  OnnxImportOptions onnx_options;
  // How many of trace/onnx/csv are set.
  int count() const { return !trace.empty() + !onnx.empty() + !csv.empty(); }
};

struct Workload {
  Graph graph;
  Mapping default_mapping;
  std::vector<std::string> warnings;
};

// Throws Error when not exactly one file is given, or the file's reader fails.
Workload load_workload(const WorkloadFiles& files);

// The Workload's default mapping for "default", else resolve_mapping(spec, graph).
Mapping resolve_workload_mapping(const std::string& spec, const Workload& workload);

// Parses "name=1x3x224x224" into `options.input_shapes`; throws Error otherwise.
void add_input_shape(OnnxImportOptions& options, const std::string& text);
// Parses "error" or "digital".
UnknownOps parse_unknown_ops(const std::string& text);

}  // namespace aimcsim
