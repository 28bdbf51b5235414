// Internal to the ONNX importer: the state of one conversion, shared by the op
// rules (onnx_ops_*.cpp), constant folding (onnx_fold.cpp) and pattern fusion
// (onnx_fusion.cpp).
//
// Each ONNX value is either dynamic (an IR tensor of the GraphBuilder) or
// constant (ConstValue: dims always, data only when small enough to matter for
// shape arithmetic and pattern matching). A node is converted when all the
// values it reads are known; its outputs are then known.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/graph/graph_builder.h"
#include "sim/import/import_error.h"
#include "sim/import/workload.h"

namespace aimcsim::onnx_import {

// Data is kept for constants of at most this many elements (shape vectors,
// scalars, small index lists); larger ones (weights) keep their dims only.
inline constexpr std::int64_t kMaxFoldedElements = 4096;

struct ConstValue {
  Shape dims;                               // rank 0 = scalar
  std::optional<std::vector<double>> data;  // row-major, when known and small
  bool int8 = false;                        // came out of DequantizeLinear (QDQ weight)
  std::int64_t elements() const { return numel(dims); }
  // The data as integers; throws when absent.
  std::vector<std::int64_t> ints() const;
};

// Attribute access with defaults.
const onnx::AttributeProto* find_attr(const onnx::NodeProto& node, const std::string& name);
std::int64_t attr_int(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback);
float attr_float(const onnx::NodeProto& node, const std::string& name, float fallback);
std::vector<std::int64_t> attr_ints(const onnx::NodeProto& node, const std::string& name);
std::string attr_string(const onnx::NodeProto& node, const std::string& name);

// `text` with characters an op name may not hold replaced by '_'.
std::string sanitise(const std::string& text);

// Decodes a TensorProto (dims, and data when small and stored inline).
ConstValue decode_tensor(const onnx::TensorProto& tensor);

class Context {
 public:
  Context(std::string file, const OnnxImportOptions& options, std::string network);

  const std::string& file() const { return file_; }
  const OnnxImportOptions& options() const { return options_; }
  int opset = 17;

  // ---- values
  bool is_const(const std::string& value) const { return consts_.count(value) > 0; }
  bool is_dynamic(const std::string& value) const;
  const ConstValue& const_of(const onnx::NodeProto& node, int input) const;
  const ConstValue* find_const(const std::string& value) const;
  // The IR tensor of a dynamic input (creating graph inputs on first use);
  // a constant input becomes a `constant` op (or a `zeros` op of shape 1 when it
  // is a scalar, which holds no learned parameters).
  Tensor tensor_of(const onnx::NodeProto& node, int input);
  // The same for a value by name; `node` only names the place in errors.
  Tensor tensor_named(const onnx::NodeProto& node, const std::string& value);
  const Shape& shape_of(const onnx::NodeProto& node, int input);
  void set_const(const std::string& value, ConstValue c) { consts_[value] = std::move(c); }
  void set_dynamic(const std::string& value, Tensor t) { dynamic_[value] = t; }
  void declare_input(const std::string& value, Shape shape) { pending_inputs_[value] = shape; }
  // Shape of a value from ONNX shape inference, if it was fully inferred.
  std::optional<Shape> inferred_shape(const std::string& value) const;
  void set_inferred_shape(const std::string& value, Shape s) { inferred_[value] = std::move(s); }

  // ---- names: unique IR op names derived from node names
  // "/layer1/layer1.0/conv1/Conv" -> "layer1.0.conv1"; "/Add_3" -> "Add_3";
  // "" -> OpType_<index>; made unique with a "_2", "_3", ... suffix.
  std::string op_name(const onnx::NodeProto& node, const std::string& suffix = "");
  std::string unique(std::string name);

  // ---- output
  GraphBuilder& builder() { return builder_; }
  void mark_int8(const std::string& op) { int8_ops_.insert(op); }
  const std::set<std::string>& int8_ops() const { return int8_ops_; }
  // Values whose activations passed through QuantizeLinear/DequantizeLinear.
  std::set<std::string> quantised_values;

  // ---- errors
  [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;
  int node_index = 0;  // index of the node being converted (for unnamed nodes)

  // ---- the graph being converted
  const onnx::GraphProto* graph = nullptr;
  std::unordered_map<std::string, std::vector<int>> consumers;  // value -> reading nodes
  std::set<std::string> graph_outputs;
  std::set<int> absorbed;  // nodes another node's rule already converted
  // Index of the single node reading `value` when nothing else (no graph
  // output) does; -1 otherwise.
  int sole_consumer(const std::string& value) const;

 private:
  std::string file_;
  OnnxImportOptions options_;
  GraphBuilder builder_;
  std::unordered_map<std::string, ConstValue> consts_;
  std::unordered_map<std::string, Tensor> dynamic_;
  std::unordered_map<std::string, Shape> pending_inputs_;
  std::unordered_map<std::string, Shape> inferred_;
  std::set<std::string> used_names_;
  std::set<std::string> int8_ops_;
};

// ---- op rules: each converts one node; returns false when it has no rule.
bool convert_nn_op(Context& cx, const onnx::NodeProto& node);      // onnx_ops_nn.cpp
bool convert_math_op(Context& cx, const onnx::NodeProto& node);    // onnx_ops_math.cpp
bool convert_layout_op(Context& cx, const onnx::NodeProto& node);  // onnx_ops_layout.cpp
// Folds a node whose inputs are all constant; false if it reads a dynamic value.
bool fold_constant_node(Context& cx, const onnx::NodeProto& node);  // onnx_fold.cpp
// Costs a node without a rule as vector work per output element.
void convert_unknown_op(Context& cx, const onnx::NodeProto& node);  // onnx_ops_math.cpp

// Reshapes `x` to `shape` unless it has it already (a `reshape` op named `name`).
Tensor reshape_to(Context& cx, const std::string& name, Tensor x, const Shape& shape);

// ---- fusion of decomposed subgraphs (onnx_fusion.cpp)
struct FusedOp {
  OpKind kind = OpKind::kLayerNorm;
  std::string input;       // the value the fused op reads
  std::string output;      // the value it produces (the last node's output)
  std::int64_t axis = -1;  // softmax
  std::vector<int> nodes;  // node indices absorbed, the last one emits the op
  int name_index = 0;      // node whose name names the op
};
// Finds LayerNorm, GELU and Softmax decompositions whose inner values nothing
// else reads. Keyed by the index of the last node of each pattern.
std::unordered_map<int, FusedOp> find_fusions(const onnx::GraphProto& graph, const Context& cx);

}  // namespace aimcsim::onnx_import
