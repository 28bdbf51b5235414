// test-links: aimcsim_nn
// nn/hessian: HVP, Hutchinson trace, power iteration and block traces checked against the
// exact Hessian of a tiny model, built explicitly by differentiating each gradient entry.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/hessian/hessian.h"
#include "nn/hessian/sensitivity.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo_model.h"
#include "sim/graph/graph_builder.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

// 28x28 -> 7x7 average pool -> 16 -> fc1 (tanh) -> 6 -> fc2 -> 10: smooth, so H is dense.
class TinyNet final : public ZooModel {
 public:
  TinyNet() {
    fc1 = register_module("fc1", MappableLinear(16, 6));
    fc2 = register_module("fc2", MappableLinear(6, 10));
    assign_layer_names(*this);
    set_name("tiny");
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    const auto h = torch::avg_pool2d(x, 7).flatten(1);
    return fc2->forward(torch::tanh(fc1->forward(h)));
  }
  std::string hyper_parameters() const override { return "tiny"; }
  aimcsim::Tensor build_graph(GraphBuilder&, aimcsim::Tensor) const override {
    throw Error("TinyNet has no graph");
  }
  MappableLinear fc1{nullptr}, fc2{nullptr};
};

struct Fixture {
  std::shared_ptr<TinyNet> net;
  std::vector<CalibrationBatch> batches;
  Fixture() {
    torch::manual_seed(3);
    net = std::make_shared<TinyNet>();
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

at::Tensor flatten(const TensorList& v) {
  TensorList parts;
  for (const auto& t : v) parts.push_back(t.reshape(-1));
  return torch::cat(parts);
}

}  // namespace

TEST_CASE("HVP by double backward equals the explicit Hessian times v") {
  Fixture f;
  const TensorList params = {f.net->fc1->weight()};
  const at::Tensor h = f.exact_hessian(params);
  REQUIRE(h.size(0) == 96);
  CHECK(torch::allclose(h, h.t(), 1e-10, 1e-12));
  HessianOperator op(f.forward(), f.batches, params);
  CHECK(op.dimension() == 96);
  at::Generator gen = seeded_generator(5);
  const TensorList v = {at::randn({6, 16}, gen, torch::kDouble)};
  const at::Tensor hv = flatten(op.hvp(v));
  const at::Tensor expected = h.matmul(flatten(v));
  CHECK(expected.norm().item<double>() > 1e-3);  // a non-trivial product
  CHECK((hv - expected).norm().item<double>() < 1e-9 * expected.norm().item<double>());
}

TEST_CASE("Hutchinson trace: exact for its own probes, within 4 sigma of Tr(H)") {
  Fixture f;
  const TensorList params = {f.net->fc1->weight()};
  const at::Tensor h = f.exact_hessian(params);
  HessianOperator op(f.forward(), f.batches, params);
  const int m = 300;
  at::Generator gen = seeded_generator(21);
  const double est = hutchinson_trace(op, m, gen);

  // Same probes replayed on the explicit H: mean v^T H v.
  at::Generator replay = seeded_generator(21);
  double quad = 0.0;
  for (int k = 0; k < m; ++k) {
    const at::Tensor v = flatten(rademacher_like(params, replay));
    CHECK(v.abs().eq(1.0).all().item<bool>());
    quad += v.dot(h.matmul(v)).item<double>() / m;
  }
  CHECK(est == doctest::Approx(quad).epsilon(1e-9));

  // Rademacher: Var(v^T H v) = 2 sum_{i != j} H_ij^2.
  const double tr = h.trace().item<double>();
  const double off = (h.pow(2).sum() - h.diagonal().pow(2).sum()).item<double>();
  const double sigma = std::sqrt(2.0 * off / m);
  INFO("Tr=" << tr << " est=" << est << " sigma=" << sigma);
  REQUIRE(4.0 * sigma < 0.5 * std::abs(tr));  // the check below can fail
  CHECK(std::abs(est - tr) < 4.0 * sigma);
}

TEST_CASE("power iteration finds the largest eigenvalue of the layer block") {
  Fixture f;
  const TensorList params = {f.net->fc2->weight()};
  const at::Tensor h = f.exact_hessian(params);
  const at::Tensor eig = torch::linalg::eigvalsh(h, "L");  // ascending
  const double top = eig[-1].item<double>();
  REQUIRE(top > std::abs(eig[0].item<double>()));  // largest magnitude is the largest
  INFO("top=" << top << " second=" << eig[-2].item<double>());
  HessianOperator op(f.forward(), f.batches, params);
  at::Generator gen = seeded_generator(8);
  const double lambda = power_iteration(op, 200, gen);
  CHECK(lambda == doctest::Approx(top).epsilon(1e-4));
  at::Generator gen2 = seeded_generator(8);
  const double few = power_iteration(op, 1, gen2);  // one step: a Rayleigh quotient below
  CHECK(few <= top + 1e-12);
}

TEST_CASE("block traces: unbiased estimates of every diagonal block's trace") {
  Fixture f;
  const TensorList params = {f.net->fc1->weight(), f.net->fc2->weight()};
  const at::Tensor h = f.exact_hessian(params);
  REQUIRE(h.size(0) == 96 + 60);
  HessianOperator op(f.forward(), f.batches, params);
  const int m = 300;
  at::Generator gen = seeded_generator(4);
  const std::vector<double> est = block_traces(op, m, gen);
  REQUIRE(est.size() == 2);
  const std::array<std::pair<int64_t, int64_t>, 2> range = {{{0, 96}, {96, 156}}};
  for (std::size_t l = 0; l < 2; ++l) {
    const auto [a, b] = range[l];
    const at::Tensor rows = h.slice(0, a, b);
    const at::Tensor block = rows.slice(1, a, b);
    const double tr = block.trace().item<double>();
    // Var = 2 sum_{i != j in l} H_ij^2 + sum_{i in l, j not in l} H_ij^2.
    const double within = (block.pow(2).sum() - block.diagonal().pow(2).sum()).item<double>();
    const double cross = (rows.pow(2).sum() - block.pow(2).sum()).item<double>();
    const double sigma = std::sqrt((2.0 * within + cross) / m);
    INFO("block " << l << " Tr=" << tr << " est=" << est[l] << " sigma=" << sigma);
    REQUIRE(cross > 0.0);  // cross-block terms exist, so unbiasedness is what is tested
    REQUIRE(4.0 * sigma < 0.5 * std::abs(tr));
    CHECK(std::abs(est[l] - tr) < 4.0 * sigma);
  }
}

TEST_CASE("analyse_sensitivity: HILAL features, seeded, model state restored") {
  Fixture f;
  f.net->train();
  f.net->fc1->set_executor([](const MappableLayer& l, const torch::Tensor& x) {
    return l.forward_fp(x) * 0.0;  // would zero fc1's block if the analysis kept it
  });
  SensitivityOptions o;
  o.probes = 4;
  o.power_steps = 5;
  o.seed = 9;
  o.progress = false;
  const auto a = analyse_sensitivity(*f.net, f.batches, o);
  const auto b = analyse_sensitivity(*f.net, f.batches, o, {"fc2"});
  CHECK(f.net->is_training());
  CHECK(f.net->fc1->executor() != nullptr);
  for (const auto& p : f.net->parameters()) CHECK(p.requires_grad());
  REQUIRE(a.size() == 2);
  REQUIRE(b.size() == 1);
  CHECK(a[0].name == "fc1");
  CHECK(a[0].params == 96);
  CHECK(a[1].trace == b[0].trace);  // a layer's stream does not depend on the others
  CHECK(a[1].lambda_max == b[0].lambda_max);

  f.net->fc1->reset_executor();
  f.net->eval();
  HessianOperator op(f.forward(), f.batches, {f.net->fc1->weight()});
  at::Generator gen = seeded_generator(mix_seed(9, 0));
  CHECK(a[0].trace == doctest::Approx(hutchinson_trace(op, 4, gen)).epsilon(1e-12));
  CHECK(a[0].lambda_max == doctest::Approx(power_iteration(op, 5, gen)).epsilon(1e-12));
  const double max_w = f.net->fc1->weight().abs().max().item<double>();
  CHECK(a[0].sigma == doctest::Approx(0.08 * max_w));
  REQUIRE(a[0].trace > 0.0);
  CHECK(a[0].hni == doctest::Approx(a[0].sigma * a[0].sigma * a[0].trace / (2.0 * 96)));
  CHECK(a[0].scr == doctest::Approx(a[0].lambda_max / a[0].trace));

  LayerSensitivity neg = a[0];
  neg.trace = -1.0;
  set_hilal_features(neg);
  CHECK(neg.hni == 0.0);
  CHECK(neg.scr == 0.0);
  CHECK_THROWS_AS(analyse_sensitivity(*f.net, f.batches, o, {"nope"}), Error);
}
