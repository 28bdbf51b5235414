// Programmatic construction of a Graph (tests, generators, the model-zoo exporter).
//
// Contract: each method adds one op named `name` whose operands are the given
// Tensor handles, runs shape inference immediately and returns the handle of
// the op's output; problems throw GraphError naming the op (graph.h). Attributes
// that follow from the operand (conv2d in_channels, linear in_features) are
// filled in from its shape.
//
//   GraphBuilder b("tiny");
//   Tensor x = b.input("x", {1, 3, 32, 32});
//   Tensor y = b.conv2d("conv1", x, {.out_channels = 16, .kernel = 3, .padding = 1});
//   b.output("out", b.relu("relu1", b.batchnorm("bn1", y)));
//   Graph g = std::move(b).build();
#pragma once

#include <string>
#include <vector>

#include "sim/graph/graph.h"

namespace aimcsim {

// Handle to the output tensor of an op in the builder's graph.
struct Tensor {
  OpId id;
};

struct Conv2dOptions {
  std::int64_t out_channels = 0;
  Hw kernel{1, 1};
  Hw stride{1, 1};
  Hw padding{0, 0};
  Hw dilation{1, 1};
  std::int64_t groups = 1;
  bool bias = false;
};

class GraphBuilder {
 public:
  explicit GraphBuilder(std::string network_name) : graph_(std::move(network_name)) {}

  Tensor input(std::string name, Shape shape);
  Tensor constant(std::string name, Shape shape);
  Tensor zeros(std::string name, Shape shape);
  Tensor output(std::string name, Tensor x);

  Tensor conv2d(std::string name, Tensor x, const Conv2dOptions& options);
  Tensor linear(std::string name, Tensor x, std::int64_t out_features, bool bias = false);
  Tensor matmul(std::string name, Tensor a, Tensor b, bool transpose_b = false);

  Tensor add(std::string name, const std::vector<Tensor>& operands);
  Tensor mul(std::string name, Tensor a, Tensor b);
  Tensor relu(std::string name, Tensor x) { return unary(std::move(name), OpKind::kRelu, x); }
  Tensor relu6(std::string name, Tensor x) { return unary(std::move(name), OpKind::kRelu6, x); }
  Tensor gelu(std::string name, Tensor x) { return unary(std::move(name), OpKind::kGelu, x); }
  Tensor sigmoid(std::string name, Tensor x) { return unary(std::move(name), OpKind::kSigmoid, x); }
  Tensor hswish(std::string name, Tensor x) { return unary(std::move(name), OpKind::kHswish, x); }
  Tensor batchnorm(std::string name, Tensor x) {
    return unary(std::move(name), OpKind::kBatchNorm, x);
  }
  Tensor layernorm(std::string name, Tensor x) {
    return unary(std::move(name), OpKind::kLayerNorm, x);
  }
  Tensor softmax(std::string name, Tensor x, std::int64_t axis = -1);

  Tensor maxpool(std::string name, Tensor x, Hw kernel, Hw stride, Hw padding = {0, 0});
  Tensor avgpool(std::string name, Tensor x, Hw kernel, Hw stride, Hw padding = {0, 0});
  Tensor global_avgpool(std::string name, Tensor x) {
    return unary(std::move(name), OpKind::kGlobalAvgPool, x);
  }

  Tensor flatten(std::string name, Tensor x, std::int64_t axis = 1);
  Tensor reshape(std::string name, Tensor x, Shape shape);
  Tensor transpose(std::string name, Tensor x, std::vector<int> perm);
  Tensor concat(std::string name, const std::vector<Tensor>& operands, std::int64_t axis = 1);
  Tensor slice(std::string name, Tensor x, std::int64_t axis, std::int64_t start, std::int64_t end,
               std::int64_t step = 1);
  Tensor pad(std::string name, Tensor x, std::int64_t axis, std::int64_t before,
             std::int64_t after);

  // Any kind with explicit attributes (the trace reader's entry point).
  Tensor op(std::string name, OpKind kind, const OpAttrs& attrs,
            const std::vector<Tensor>& operands);

  const Shape& shape(Tensor t) const { return graph_.op(t.id).output_shape; }
  const Graph& graph() const { return graph_; }
  Graph build() && { return std::move(graph_); }

 private:
  Tensor unary(std::string name, OpKind kind, Tensor x);

  Graph graph_;
};

}  // namespace aimcsim
