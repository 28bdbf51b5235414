// test-links: aimcsim_mapping
// MPS phase-3 hinge loss (mapping/mps_ranking.h) against a hand computation: the loss value
// and its gradient with respect to the logits.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>

#include "mapping/mps_ranking.h"

using namespace aimcsim::mapping;

TEST_CASE("ranking: hinge loss and gradient on two layers and three mappings") {
  // Layer 0: logits (0, ln 3) -> p = (1/4, 3/4); layer 1: (0, 0) -> (1/2, 1/2).
  auto logits = torch::tensor({{0.0, std::log(3.0)}, {0.0, 0.0}}, torch::kDouble);
  logits.set_requires_grad(true);
  const auto lp = torch::log_softmax(logits, 1);
  // Mappings: a = (0, 0), b = (1, 0), c = (1, 1); ranks a 0, b 1, c 1.
  const std::vector<std::vector<int>> m = {{0, 0}, {1, 0}, {1, 1}};
  const std::vector<int> ranks = {0, 1, 1};
  // log p: a = ln(1/4 * 1/2), b = ln(3/4 * 1/2), c = ln(3/4 * 1/2); pairs (a,b), (a,c).
  // Each: max(0, 0.1 - (ln(1/8) - ln(3/8))) = 0.1 + ln 3; mean = 0.1 + ln 3.
  const auto loss = pairwise_hinge_loss(lp, m, ranks, 0.1);
  CHECK(loss.item<double>() == doctest::Approx(0.1 + std::log(3.0)));
  loss.backward();
  // d/dlogits of mean_pairs (lp_b - lp_a) (both pairs active): per pair, layer 0 gets
  // d(lp[0][1] - lp[0][0]) = (e_1 - p) - (e_0 - p) = e_1 - e_0 -> (-1, +1); layer 1 gets
  // d(lp[1][0] - lp[1][0]) = 0 for b and d(lp[1][1] - lp[1][0]) = (-1, +1) for c; mean over 2.
  const auto g = logits.grad();
  CHECK(g[0][0].item<double>() == doctest::Approx(-1.0));
  CHECK(g[0][1].item<double>() == doctest::Approx(1.0));
  CHECK(g[1][0].item<double>() == doctest::Approx(-0.5));
  CHECK(g[1][1].item<double>() == doctest::Approx(0.5));
}

TEST_CASE("ranking: pairs already separated by the margin cost nothing, equal ranks no pairs") {
  auto logits = torch::tensor({{5.0, 0.0}}, torch::kDouble);
  const auto lp = torch::log_softmax(logits, 1);
  CHECK(pairwise_hinge_loss(lp, {{0}, {1}}, {0, 1}, 0.1).item<double>() == doctest::Approx(0.0));
  CHECK(pairwise_hinge_loss(lp, {{1}, {0}}, {0, 1}, 0.1).item<double>() ==
        doctest::Approx(0.1 + 5.0 + 0.0).epsilon(1e-9));
  CHECK(pairwise_hinge_loss(lp, {{0}, {1}}, {0, 0}, 0.1).item<double>() == 0.0);
}
