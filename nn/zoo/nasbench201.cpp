#include "nn/zoo/nasbench201.h"

#include <torch/torch.h>

#include "nn/zoo/blocks.h"
#include "sim/graph/graph_builder.h"

namespace aimcsim::nn {
namespace {

// One edge of a cell. Conv ops hold `conv` and `bn` children; others none.
class EdgeImpl : public torch::nn::Module {
 public:
  EdgeImpl(Nb201Op op, int64_t channels) : op_(op) {
    if (op == Nb201Op::kNorConv1x1 || op == Nb201Op::kNorConv3x3) {
      const int64_t k = op == Nb201Op::kNorConv1x1 ? 1 : 3;
      conv_ = register_module("conv", MappableConv2d(channels, channels, k, 1, k / 2));
      bn_ = register_module("bn", torch::nn::BatchNorm2d(channels));
    }
  }
  torch::Tensor forward(const torch::Tensor& x) {
    switch (op_) {
      case Nb201Op::kSkipConnect:
        return x;
      case Nb201Op::kAvgPool3x3:
        return torch::avg_pool2d(x, 3, 1, 1, /*ceil_mode=*/false, /*count_include_pad=*/false);
      case Nb201Op::kNorConv1x1:
      case Nb201Op::kNorConv3x3:
        return bn_(conv_(torch::relu(x)));
      case Nb201Op::kNone:
        break;
    }
    return torch::zeros_like(x);
  }
  // forward() as graph ops for every op but kNone (the cell drops those).
  // avg_pool_3x3 excludes the padding from its divisor; the graph's avgpool
  // has the same window, shape and work.
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    switch (op_) {
      case Nb201Op::kAvgPool3x3:
        return g.avgpool(path + ".pool", x, 3, 1, 1);
      case Nb201Op::kNorConv1x1:
      case Nb201Op::kNorConv3x3:
        return g.batchnorm(path + ".bn", conv_->add_to_graph(g, g.relu(path + ".relu", x)));
      case Nb201Op::kSkipConnect:
      case Nb201Op::kNone:
        break;
    }
    return x;
  }
  Nb201Op op() const { return op_; }

 private:
  Nb201Op op_;
  MappableConv2d conv_{nullptr};
  torch::nn::BatchNorm2d bn_{nullptr};
};
TORCH_MODULE(Edge);

class CellImpl : public torch::nn::Module {
 public:
  CellImpl(const Nb201Cell& cell, int64_t channels) {
    for (int e = 0; e < kNb201Edges; ++e) {
      const auto [to, from] = kNb201EdgeNodes[static_cast<size_t>(e)];
      edges_.push_back(register_module("edge" + std::to_string(to) + "_" + std::to_string(from),
                                       Edge(cell.ops[static_cast<size_t>(e)], channels)));
    }
  }
  torch::Tensor forward(const torch::Tensor& x) {
    std::array<torch::Tensor, 4> nodes{x, {}, {}, {}};
    for (int node = 1; node <= 3; ++node) {
      torch::Tensor sum;
      for (int e = 0; e < kNb201Edges; ++e) {
        const auto [to, from] = kNb201EdgeNodes[static_cast<size_t>(e)];
        auto& edge = edges_[static_cast<size_t>(e)];
        if (to != node || edge->op() == Nb201Op::kNone) continue;
        auto y = edge(nodes[static_cast<size_t>(from)]);
        sum = sum.defined() ? sum + y : y;
      }
      nodes[static_cast<size_t>(node)] = sum.defined() ? sum : torch::zeros_like(x);
    }
    return nodes[3];
  }

  // forward() as graph ops: a node fed by several edges is an add
  // `<path>.node<i>`; one fed only by `none` edges is a zeros op of that name.
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    std::array<aimcsim::Tensor, 4> nodes{x, x, x, x};
    for (int node = 1; node <= 3; ++node) {
      std::vector<aimcsim::Tensor> terms;
      for (int e = 0; e < kNb201Edges; ++e) {
        const auto [to, from] = kNb201EdgeNodes[static_cast<size_t>(e)];
        const auto& edge = edges_[static_cast<size_t>(e)];
        if (to != node || edge->op() == Nb201Op::kNone) continue;
        const std::string edge_path =
            path + ".edge" + std::to_string(to) + "_" + std::to_string(from);
        terms.push_back(edge->build_graph(g, edge_path, nodes[static_cast<size_t>(from)]));
      }
      const std::string name = path + ".node" + std::to_string(node);
      nodes[static_cast<size_t>(node)] = terms.empty()       ? g.zeros(name, g.shape(x))
                                         : terms.size() == 1 ? terms[0]
                                                             : g.add(name, terms);
    }
    return nodes[3];
  }

 private:
  std::vector<Edge> edges_;
};
TORCH_MODULE(Cell);

class ReductionImpl : public torch::nn::Module {
 public:
  ReductionImpl(int64_t in, int64_t out) {
    conv_a_ = register_module("conv_a", ConvBn(in, out, 3, 2));
    conv_b_ = register_module("conv_b", ConvBn(out, out, 3, 1));
    downsample_ = register_module("downsample", MappableConv2d(in, out, 1));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = conv_b_(torch::relu(conv_a_(torch::relu(x))));
    return y + downsample_(torch::avg_pool2d(x, 2, 2));
  }
  aimcsim::Tensor build_graph(GraphBuilder& g, const std::string& path, aimcsim::Tensor x) const {
    auto y = conv_a_->build_graph(g, path + ".conv_a", g.relu(path + ".relu_a", x));
    y = conv_b_->build_graph(g, path + ".conv_b", g.relu(path + ".relu_b", y));
    auto s = downsample_->add_to_graph(g, g.avgpool(path + ".pool", x, 2, 2));
    return g.add(path + ".add", {y, s});
  }

 private:
  ConvBn conv_a_{nullptr}, conv_b_{nullptr};
  MappableConv2d downsample_{nullptr};
};
TORCH_MODULE(Reduction);

class NasBench201Net final : public ZooModel {
 public:
  NasBench201Net(const Nb201Cell& cell, int cells_per_stage)
      : cell_(cell), cells_per_stage_(cells_per_stage) {
    stem_ = register_module("stem", ConvBn(1, kNb201StemChannels, 3));
    int64_t channels = kNb201StemChannels;
    for (int stage = 0; stage < 3; ++stage) {
      if (stage > 0) {
        cells_->push_back(Reduction(channels, 2 * channels));
        channels *= 2;
      }
      for (int i = 0; i < cells_per_stage; ++i) cells_->push_back(Cell(cell, channels));
    }
    register_module("cells", cells_);
    last_bn_ = register_module("lastact", torch::nn::BatchNorm2d(channels));
    head_ = register_module("head", MappableLinear(channels, kNumClasses));
  }

  torch::Tensor forward(const torch::Tensor& x) override {
    auto y = stem_(x);
    for (auto& module : *cells_) {
      if (auto* cell = module->as<CellImpl>()) {
        y = cell->forward(y);
      } else {
        y = module->as<ReductionImpl>()->forward(y);
      }
    }
    y = torch::relu(last_bn_(y));
    return head_(y.mean({2, 3}));
  }

  aimcsim::Tensor build_graph(GraphBuilder& g, aimcsim::Tensor x) const override {
    auto y = stem_->build_graph(g, "stem", x);
    for (size_t i = 0; i < cells_->size(); ++i) {
      const std::string path = "cells." + std::to_string(i);
      const auto& module = cells_->ptr(i);
      if (const auto* cell = module->as<CellImpl>()) {
        y = cell->build_graph(g, path, y);
      } else {
        y = module->as<ReductionImpl>()->build_graph(g, path, y);
      }
    }
    y = g.relu("lastact.relu", g.batchnorm("lastact", y));
    return head_->add_to_graph(g, g.flatten("flatten", g.global_avgpool("pool", y)));
  }

  // ReLU/ReLU6, pooling, batch norm and adds only (zoo_model.h).
  bool hessian_blocks_are_gauss_newton() const override { return true; }
  std::string hyper_parameters() const override {
    return "arch=nasbench201 cell=" + cell_.arch_string() + " code=" + cell_.digits() +
           " C=16 N=" + std::to_string(cells_per_stage_) + " input=1x28x28 classes=10";
  }

 private:
  Nb201Cell cell_;
  int cells_per_stage_;
  ConvBn stem_{nullptr};
  torch::nn::ModuleList cells_;
  torch::nn::BatchNorm2d last_bn_{nullptr};
  MappableLinear head_{nullptr};
};

}  // namespace

std::shared_ptr<ZooModel> make_nasbench201(const Nb201Cell& cell, int cells_per_stage) {
  return std::make_shared<NasBench201Net>(cell, cells_per_stage);
}

}  // namespace aimcsim::nn
