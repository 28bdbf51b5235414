// test-links: aimcsim_nn
// nn/hessian/ggn.h: the Gauss-Newton block operator on a tiny ReLU network, checked against
// the exact Hessian (explicit, by differentiating each gradient entry) and against the
// explicit Gauss-Newton matrix J^T A J built from the per-logit Jacobian; its trace
// estimator's mean and variance against the closed forms; the gauss-newton sensitivity
// estimator and its selection.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>

#include "models/error.h"
#include "nn/eval/layer_numerics.h"
#include "nn/hessian/block_lanczos.h"
#include "nn/hessian/ggn.h"
#include "nn/hessian/sensitivity.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/zoo_model.h"
#include "sim/graph/graph_builder.h"
#include "tests/unit/tiny_hessian_net.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

using testing::TinyNet;

TensorList weights_of(TinyNet& net) { return {net.fc1->weight(), net.fc2->weight()}; }

at::Tensor as_vector(const at::Tensor& t) { return t.reshape(-1); }

struct Fixture : testing::Fixture {
  explicit Fixture(bool relu = true) : testing::Fixture(relu) {}
  at::Tensor exact_block(const at::Tensor& w) { return exact_hessian({w}); }
  // B = blockdiag_n(R_n^T) J / sqrt(N) of batch `b` for weight `w`: [N*C, d], with
  // R_n's columns sqrt(p_c) (e_c - p); G_b = B^T B.
  at::Tensor gauss_newton_factor(std::size_t b, const at::Tensor& w) {
    const at::Tensor z = net->forward(batches[b].images);
    const int64_t n = z.size(0), c = z.size(1);
    std::vector<at::Tensor> jac_rows;
    const at::Tensor zf = as_vector(z);
    for (int64_t i = 0; i < zf.numel(); ++i) {
      jac_rows.push_back(as_vector(torch::autograd::grad({zf[i]}, {w}, {}, true, false)[0]));
    }
    const at::Tensor jac = torch::stack(jac_rows).reshape({n, c, -1});
    const at::Tensor p = torch::softmax(z.detach(), 1);
    std::vector<at::Tensor> blocks;
    for (int64_t k = 0; k < n; ++k) {
      const at::Tensor r = torch::diag(p[k].sqrt()) - p[k].unsqueeze(1) * p[k].sqrt().unsqueeze(0);
      blocks.push_back(r.t().matmul(jac[k]));  // [C, d]
    }
    return torch::cat(blocks) / std::sqrt(static_cast<double>(n));
  }
};

}  // namespace

TEST_CASE("Gauss-Newton blocks: J^T A J equals the exact Hessian block of a ReLU network") {
  Fixture f;
  const TensorList w = weights_of(*f.net);
  for (const auto& t : w) t.set_requires_grad(true);
  for (std::size_t l = 0; l < 2; ++l) {
    const at::Tensor h = f.exact_block(w[l]);
    at::Tensor g = torch::zeros_like(h);
    for (std::size_t b = 0; b < f.batches.size(); ++b) {
      const at::Tensor bf = f.gauss_newton_factor(b, w[l]);
      g += bf.t().matmul(bf) / static_cast<double>(f.batches.size());
    }
    INFO("layer " << l);
    CHECK(h.norm().item<double>() > 1e-3);
    CHECK((g - h).norm().item<double>() < 1e-10 * h.norm().item<double>());
  }
}

TEST_CASE("GgnBlockOperator::block_product: H_ll v_l of a ReLU network, weights restored") {
  Fixture f;
  const TensorList w = weights_of(*f.net);
  for (const auto& t : w) t.set_requires_grad(true);
  const at::Tensor before0 = w[0].detach().clone(), before1 = w[1].detach().clone();
  const GgnBlockOperator op(f.forward(), f.batches, w);
  at::Generator gen = seeded_generator(5);
  const TensorList v = {at::randn(w[0].sizes(), gen, torch::kDouble),
                        at::randn(w[1].sizes(), gen, torch::kDouble)};
  const TensorList gv = op.block_product(v, {true, true});
  for (std::size_t l = 0; l < 2; ++l) {
    const at::Tensor expected = f.exact_block(w[l]).matmul(as_vector(v[l]));
    INFO("layer " << l);
    // One-sided difference at a 1e-3 relative step: exact for a piecewise-linear network
    // unless an activation changes side within the step (float64 rounding ~1e-13).
    CHECK((as_vector(gv[l]) - expected).norm().item<double>() <
          1e-8 * expected.norm().item<double>());
  }
  CHECK(torch::equal(w[0].detach(), before0));  // bit for bit
  CHECK(torch::equal(w[1].detach(), before1));
  const TensorList only1 = op.block_product(v, {false, true});
  CHECK_FALSE(only1[0].defined());
  CHECK(torch::allclose(only1[1], gv[1], 0.0, 0.0));
  CHECK_THROWS_AS(op.block_product({v[0]}, {true}), Error);
}

TEST_CASE("GgnBlockOperator::block_traces: output-space Hutchinson, replayed and within 4 sigma") {
  Fixture f;
  const TensorList w = weights_of(*f.net);
  for (const auto& t : w) t.set_requires_grad(true);
  const GgnBlockOperator op(f.forward(), f.batches, w);
  const int probes = 200;
  at::Generator gen = seeded_generator(21);
  const std::vector<double> est = op.block_traces(probes, gen);
  REQUIRE(est.size() == 2);
  std::vector<at::Tensor> factors[2];
  for (std::size_t l = 0; l < 2; ++l) {
    for (std::size_t b = 0; b < f.batches.size(); ++b)
      factors[l].push_back(f.gauss_newton_factor(b, w[l]));
  }
  // Replay: the same Rademacher draws (batch-major, then probe) on the explicit factors.
  at::Generator replay = seeded_generator(21);
  std::vector<double> replayed(2, 0.0);
  const double weight = 1.0 / (probes * static_cast<double>(f.batches.size()));
  for (std::size_t b = 0; b < f.batches.size(); ++b) {
    for (int k = 0; k < probes; ++k) {
      const at::Tensor u = at::randint(0, 2, {32, 10}, replay, torch::kDouble) * 2.0 - 1.0;
      for (std::size_t l = 0; l < 2; ++l) {
        replayed[l] += weight * factors[l][b].t().matmul(as_vector(u)).pow(2).sum().item<double>();
      }
    }
  }
  for (std::size_t l = 0; l < 2; ++l) {
    CHECK(est[l] == doctest::Approx(replayed[l]).epsilon(1e-9));
    // Mean Tr(G_ll) = Tr(H_ll); Var of |B^T u|^2 for Rademacher u: 2 sum_{i!=j} K_ij^2,
    // K = B B^T, per batch; the estimate averages probes x batches draws.
    const double tr = f.exact_block(w[l]).trace().item<double>();
    double var = 0.0;
    for (const auto& bf : factors[l]) {
      const at::Tensor k = bf.matmul(bf.t());
      var += 2.0 * (k.pow(2).sum() - k.diagonal().pow(2).sum()).item<double>() * probes;
    }
    const double sigma = std::sqrt(var) * weight;
    INFO("layer " << l << " Tr=" << tr << " est=" << est[l] << " sigma=" << sigma);
    REQUIRE(4.0 * sigma < 0.5 * tr);
    CHECK(std::abs(est[l] - tr) < 4.0 * sigma);
  }
}

TEST_CASE("gauss-newton sensitivity: lambda_max of each exact block, auto picks by model") {
  Fixture f;
  SensitivityOptions o;
  o.probes = 50;
  o.power_steps = 60;
  o.lanczos_tol = 1e-9;
  o.seed = 9;
  o.progress = false;
  CHECK(estimator_used(SensitivityEstimator::kAuto, *f.net) == SensitivityEstimator::kGaussNewton);
  const auto s = analyse_sensitivity(*f.net, f.batches, o);  // kAuto
  REQUIRE(s.size() == 2);
  for (const auto& p : f.net->parameters()) CHECK(p.requires_grad());  // state restored
  const TensorList w = weights_of(*f.net);
  for (std::size_t l = 0; l < 2; ++l) {
    const at::Tensor eig = torch::linalg::eigvalsh(f.exact_block(w[l]), "L");
    const double top = eig[-1].item<double>();
    INFO(s[l].name << " lambda=" << s[l].lambda_max << " top=" << top);
    CHECK(s[l].lambda_max == doctest::Approx(top).epsilon(1e-6));
    CHECK(s[l].trace > 0.0);
    CHECK(s[l].scr == doctest::Approx(s[l].lambda_max / s[l].trace));
  }

  Fixture smooth(/*relu=*/false);
  CHECK(estimator_used(SensitivityEstimator::kAuto, *smooth.net) ==
        SensitivityEstimator::kPerLayer);
  CHECK(estimator_used(SensitivityEstimator::kShared, *smooth.net) ==
        SensitivityEstimator::kShared);
  CHECK(parse_estimator("gauss-newton") == SensitivityEstimator::kGaussNewton);
  CHECK(std::string(estimator_name(parse_estimator("auto"))) == "auto");
  CHECK_THROWS_AS(parse_estimator("ggn"), Error);
}
