// test-links: aimcsim_nn
// nn/hessian: HVP, Hutchinson trace, power iteration and block traces checked against the
// exact Hessian of a tiny model, built explicitly by differentiating each gradient entry;
// so are the shared (all layers at once) block products, block Lanczos and estimator.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/hessian/block_lanczos.h"
#include "nn/hessian/hessian.h"
#include "nn/hessian/sensitivity.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo_model.h"
#include "sim/graph/graph_builder.h"
#include "tests/unit/tiny_hessian_net.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

using testing::Fixture;

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
  o.estimator = SensitivityEstimator::kPerLayer;
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

namespace {

// Largest-magnitude eigenvalue (signed) of a symmetric matrix.
double top_magnitude(const at::Tensor& sym) {
  const at::Tensor eig = torch::linalg::eigvalsh(sym, "L");
  return eig[eig.abs().argmax()].item<double>();
}

// Diagonal blocks of the exact Hessian of {fc1.weight (96), fc2.weight (60)}.
std::array<at::Tensor, 2> exact_blocks(Fixture& f) {
  const at::Tensor h = f.exact_hessian({f.net->fc1->weight(), f.net->fc2->weight()});
  return {h.slice(0, 0, 96).slice(1, 0, 96), h.slice(0, 96, 156).slice(1, 96, 156)};
}

}  // namespace

TEST_CASE("block_hvp: each block's own H_ll v_l, no cross terms, inactive blocks skipped") {
  Fixture f;
  const TensorList params = {f.net->fc1->weight(), f.net->fc2->weight()};
  const auto blocks = exact_blocks(f);
  HessianOperator op(f.forward(), f.batches, params);
  at::Generator gen = seeded_generator(6);
  const TensorList v = {at::randn({6, 16}, gen, torch::kDouble),
                        at::randn({10, 6}, gen, torch::kDouble)};
  const TensorList both = op.block_hvp(v, {true, true});
  const TensorList full = op.hvp(v);
  for (std::size_t l = 0; l < 2; ++l) {
    const at::Tensor expected = blocks[l].matmul(v[l].reshape(-1));
    const at::Tensor got = both[l].reshape(-1);
    CHECK((got - expected).norm().item<double>() < 1e-9 * expected.norm().item<double>());
    // The whole-H product differs by the cross terms, so this is not a plain hvp().
    CHECK((full[l].reshape(-1) - expected).norm().item<double>() >
          1e-3 * expected.norm().item<double>());
  }
  const TensorList only2 = op.block_hvp(v, {false, true});
  CHECK_FALSE(only2[0].defined());
  CHECK(torch::allclose(only2[1], both[1], 1e-12, 1e-14));
}

TEST_CASE("block_lanczos: the top eigenvalue of every diagonal block, blocks independent") {
  Fixture f;
  const TensorList params = {f.net->fc1->weight(), f.net->fc2->weight()};
  const auto blocks = exact_blocks(f);
  HessianOperator op(f.forward(), f.batches, params);
  at::Generator gen = seeded_generator(12);
  const TensorList starts = {at::randn({6, 16}, gen, torch::kDouble),
                             at::randn({10, 6}, gen, torch::kDouble)};
  const auto eig = block_lanczos(op, starts, 60, 1e-9);
  REQUIRE(eig.size() == 2);
  for (std::size_t l = 0; l < 2; ++l) {
    const double top = top_magnitude(blocks[l]);
    INFO("block " << l << " exact " << top << " lanczos " << eig[l].lambda_max << " steps "
                  << eig[l].steps);
    CHECK(eig[l].lambda_max == doctest::Approx(top).epsilon(1e-8));
    CHECK(eig[l].steps < 60);  // converged (residual test) before the step limit
  }
  // fc2 alone: the same recurrence, untouched by fc1's block.
  HessianOperator op2(f.forward(), f.batches, {params[1]});
  const auto alone = block_lanczos(op2, {starts[1]}, 60, 1e-9);
  CHECK(alone[0].lambda_max == doctest::Approx(eig[1].lambda_max).epsilon(1e-10));
  CHECK(alone[0].steps == eig[1].steps);
  // A step limit caps every block; k Lanczos steps beat k power steps from the same start.
  const auto three = block_lanczos(op2, {starts[1]}, 3, 0.0);
  CHECK(three[0].steps == 3);
  HessianOperator op_fc2(f.forward(), f.batches, {params[1]});
  at::Generator g2 = seeded_generator(12);
  (void)at::randn({6, 16}, g2, torch::kDouble);  // replay: skip fc1's start
  const double top = top_magnitude(blocks[1]);
  const double power3 = power_iteration(op_fc2, 3, g2);
  REQUIRE(top > 0.0);
  CHECK(three[0].lambda_max >= power3 - 1e-12);
  CHECK(three[0].lambda_max <= top + 1e-12);
}

TEST_CASE("analyse_sensitivity shared estimator: agrees with the exact Hessian blocks") {
  Fixture f;
  const auto blocks = exact_blocks(f);
  SensitivityOptions o;
  o.probes = 300;
  o.power_steps = 60;
  o.lanczos_tol = 1e-8;
  o.seed = 9;
  o.progress = false;
  o.estimator = SensitivityEstimator::kShared;
  const auto s = analyse_sensitivity(*f.net, f.batches, o);
  REQUIRE(s.size() == 2);
  const at::Tensor h = f.exact_hessian({f.net->fc1->weight(), f.net->fc2->weight()});
  const std::array<std::pair<int64_t, int64_t>, 2> range = {{{0, 96}, {96, 156}}};
  for (std::size_t l = 0; l < 2; ++l) {
    const auto [a, b] = range[l];
    const at::Tensor rows = h.slice(0, a, b);
    const double tr = blocks[l].trace().item<double>();
    const double within =
        (blocks[l].pow(2).sum() - blocks[l].diagonal().pow(2).sum()).item<double>();
    const double cross = (rows.pow(2).sum() - blocks[l].pow(2).sum()).item<double>();
    const double sigma = std::sqrt((2.0 * within + cross) / o.probes);
    INFO(s[l].name << " Tr=" << tr << " est=" << s[l].trace << " sigma=" << sigma);
    REQUIRE(4.0 * sigma < 0.5 * std::abs(tr));
    CHECK(std::abs(s[l].trace - tr) < 4.0 * sigma);
    CHECK(s[l].lambda_max == doctest::Approx(top_magnitude(blocks[l])).epsilon(1e-7));
    CHECK(s[l].lambda_steps > 0);
    CHECK(s[l].scr == doctest::Approx(s[l].lambda_max / s[l].trace));
  }
  // The traces are the block traces of the same stream; the model state is restored.
  const auto bt = analyse_block_traces(*f.net, f.batches, o.probes, o.seed, false);
  CHECK(bt.traces[0] == doctest::Approx(s[0].trace).epsilon(1e-12));
  CHECK(bt.traces[1] == doctest::Approx(s[1].trace).epsilon(1e-12));
  for (const auto& p : f.net->parameters()) CHECK(p.requires_grad());
  CHECK(parse_estimator("per-layer") == SensitivityEstimator::kPerLayer);
  CHECK(std::string(estimator_name(parse_estimator("shared"))) == "shared");
  CHECK_THROWS_AS(parse_estimator("fast"), Error);
}
