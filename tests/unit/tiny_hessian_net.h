// Shared by the Hessian tests (test_hessian.cpp, test_hessian_ggn.cpp): a tiny float64 zoo
// model and calibration batches whose Hessian can be built explicitly.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/hessian/hessian.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo_model.h"
#include "sim/graph/graph_builder.h"

namespace aimcsim::nn::testing {

// 28x28 -> 7x7 average pool -> 16 -> fc1 -> act -> 6 -> fc2 -> 10. tanh: smooth, so H is
// dense and differs from the Gauss-Newton matrix; ReLU: the logits are piecewise linear in
// each weight, so every diagonal block of H equals its Gauss-Newton block.
class TinyNet final : public ZooModel {
 public:
  explicit TinyNet(bool relu) : relu_(relu) {
    fc1 = register_module("fc1", MappableLinear(16, 6));
    fc2 = register_module("fc2", MappableLinear(6, 10));
    assign_layer_names(*this);
    set_name(relu ? "tiny-relu" : "tiny");
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    const auto h = fc1->forward(torch::avg_pool2d(x, 7).flatten(1));
    return fc2->forward(relu_ ? torch::relu(h) : torch::tanh(h));
  }
  bool hessian_blocks_are_gauss_newton() const override { return relu_; }
  std::string hyper_parameters() const override { return name(); }
  aimcsim::Tensor build_graph(GraphBuilder&, aimcsim::Tensor) const override {
    throw Error("TinyNet has no graph");
  }
  MappableLinear fc1{nullptr}, fc2{nullptr};

 private:
  bool relu_;
};

// Two batches of 32 random images (float64) and labels; the net in eval mode.
struct Fixture {
  std::shared_ptr<TinyNet> net;
  std::vector<CalibrationBatch> batches;
  explicit Fixture(bool relu = false) {
    torch::manual_seed(3);
    net = std::make_shared<TinyNet>(relu);
    net->to(torch::kDouble);
    net->eval();
    at::Generator gen = seeded_generator(11);
    for (int b = 0; b < 2; ++b) {
      batches.push_back({at::randn({32, 1, 28, 28}, gen, torch::kDouble) * 2.0,
                         at::randint(0, 10, {32}, gen, torch::kLong)});
    }
  }
  ForwardFn forward() {
    return [n = net](const at::Tensor& x) { return n->forward(x); };
  }
  // The exact Hessian of the mean batch loss w.r.t. `params`, [d, d].
  at::Tensor exact_hessian(const TensorList& params) {
    at::Tensor loss = torch::zeros({}, torch::kDouble);
    for (const auto& b : batches) {
      loss = loss + torch::nn::functional::cross_entropy(net->forward(b.images), b.labels);
    }
    loss = loss / static_cast<double>(batches.size());
    TensorList g = torch::autograd::grad({loss}, params, {}, true, true);
    TensorList flat_parts;
    for (auto& t : g) flat_parts.push_back(t.reshape(-1));
    const at::Tensor flat = torch::cat(flat_parts);
    std::vector<at::Tensor> rows;
    for (int64_t i = 0; i < flat.numel(); ++i) {
      TensorList r = torch::autograd::grad({flat[i]}, params, {}, true, false);
      TensorList parts;
      for (auto& t : r) parts.push_back(t.reshape(-1));
      rows.push_back(torch::cat(parts));
    }
    return torch::stack(rows);
  }
};

}  // namespace aimcsim::nn::testing
