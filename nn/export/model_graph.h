// Export of a zoo model (nn/zoo/zoo.h) to the workload graph IR
// (sim/graph/graph.h), so the simulator runs the network the zoo trains.
//
// Contract: model_to_graph() returns the Graph of model.forward() in eval
// mode for a Fashion-MNIST batch: input op `x` [batch, 1, 28, 28], the ops of
// ZooModel::build_graph() and output op `logits` [batch, 10]. It holds:
//  - one conv2d/linear op per MappableLayer call, named MappableLayer::name()
//    (the key of mapping files), in execution order, with the layer's
//    geometry and bias, so its MACs per sample equal list_mappable_layers();
//  - every other op forward() runs (batchnorm, activations, residual adds,
//    option-A shortcut slice/pad, pooling, flatten, layernorm, attention
//    reshapes/matmuls/softmax, NAS-Bench-201 cell sums), named after its
//    module path (`layer1.0.bn1`, `blocks.2.attn.qk`, `cells.3.node2`);
//  - the model's learned tensors: graph params = model parameters (batchnorm
//    running statistics are buffers, not parameters).
// Exceptions: eval-mode dropout (identity) has no op; the ViT attention scale
// 1/sqrt(d) is taken as folded into the q weights. The graph name is
// model.name(), except for NAS-Bench-201, whose arch string has characters
// graph names exclude: `nasbench201:DIGITS` (the 6-digit code; also a valid
// zoo name).
#pragma once

#include <cstdint>
#include <string>

#include "nn/zoo/zoo_model.h"
#include "sim/graph/graph.h"

namespace aimcsim::nn {

Graph model_to_graph(const ZooModel& model, std::int64_t batch = 1);

// The network name model_to_graph() gives `model`'s graph (trace-safe: "nasbench201:DIGITS",
// "nasbench201:DIGITS:cells:N", "resnet20:inner:W1-W2-..."; other names as they are).
std::string graph_name(const ZooModel& model);

}  // namespace aimcsim::nn
