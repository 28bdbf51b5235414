// ONNX import: an ONNX model (Debian libonnx 1.12, opsets up to 17) converted
// into the graph IR (sim/graph/), with the rules listed in traces/README.md
// ("ONNX import").
//
// Contract:
// - The file is parsed as a ModelProto; graph inputs take their shapes from the
//   file or OnnxImportOptions::input_shapes; every dimension must then be known.
//   ONNX shape inference (with data propagation) runs on the model; constants
//   (initializers, Constant nodes, and any node whose inputs are all constant,
//   e.g. Shape arithmetic) are folded and never become ops.
// - Conv, Gemm and MatMul with a constant weight become mappable conv2d/linear
//   ops named after the node's module scope ("/layer1/layer1.0/conv1/Conv" ->
//   "layer1.0.conv1"), so mapping files written for the source model apply.
//   Weight data may be absent (external data): only its shape is read.
// - Decomposed LayerNorm, GELU (erf form) and Softmax, as torch.onnx.export
//   writes them, become one layernorm / gelu / softmax op.
// - Problems throw ImportError, one line starting with the file: not an ONNX
//   model, an opset the library cannot read, a dynamic dimension without a
//   value, a node whose input is never produced, an unsupported op type (named
//   with its node) unless UnknownOps::kDigital.
#pragma once

#include <filesystem>

#include "sim/import/workload.h"

namespace aimcsim {

Workload import_onnx_file(const std::filesystem::path& path, const OnnxImportOptions& options);

// Newest default-domain opset this build's ONNX library knows.
int max_supported_onnx_opset();

}  // namespace aimcsim
