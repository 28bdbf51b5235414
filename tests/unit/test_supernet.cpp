// test-links: aimcsim_nn
// The MPS supernet (nn/supernet/supernet.h, skip.h): candidates and skip kinds per layer,
// projection shapes (stride 2, channel change, linear), the analog candidates' output spread
// growing with the noise scale, separate weights that start equal and are restored after
// materialisation, batch-norm recalibration, and bad input.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include "models/error.h"
#include "nn/supernet/supernet.h"
#include "nn/zoo/zoo.h"
#include "sim/graph/graph_builder.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

std::vector<int> all_of(const Supernet& s, Target t) {
  std::vector<int> choice;
  for (std::size_t l = 0; l < s.layers().size(); ++l) {
    const auto& c = s.layers()[l].candidates;
    const auto it = std::find(c.begin(), c.end(), t);
    choice.push_back(it == c.end() ? 0 : static_cast<int>(it - c.begin()));
  }
  return choice;
}

const SupernetLayer& layer_named(const Supernet& s, const std::string& name) {
  for (const auto& l : s.layers()) {
    if (l.name == name) return l;
  }
  throw Error("no layer " + name);
}

}  // namespace

TEST_CASE("supernet: candidates, skip kinds and projection shapes on resnet8") {
  torch::manual_seed(0);
  Supernet s(make_model("resnet8"), {});
  CHECK(s.max_candidates() == 4);
  CHECK(layer_named(s, "stem.conv").skip == SkipKind::kProjection);       // 1 -> 16 channels
  CHECK(layer_named(s, "layer1.0.conv1").skip == SkipKind::kIdentity);    // 16 -> 16, stride 1
  CHECK(layer_named(s, "layer2.0.conv1").skip == SkipKind::kProjection);  // 16 -> 32, stride 2
  const auto& head = layer_named(s, "head");
  CHECK(head.skip == SkipKind::kNone);  // the classifier
  CHECK(head.candidates.size() == 3);
  const auto& p = s.projections();
  CHECK(p.project("stem.conv", torch::randn({2, 1, 28, 28})).sizes() ==
        torch::IntArrayRef({2, 16, 28, 28}));
  CHECK(p.project("layer2.0.conv1", torch::randn({2, 16, 28, 28})).sizes() ==
        torch::IntArrayRef({2, 32, 14, 14}));
  CHECK_FALSE(p.has("layer1.0.conv1"));
  // The whole supernet runs with every layer skipped where it can be.
  s.activate(all_of(s, Target::kSkip));
  CHECK(s.model().forward(torch::randn({2, 1, 28, 28})).sizes() == torch::IntArrayRef({2, 10}));
}

TEST_CASE("supernet: linear projection of a transformer layer keeps leading dimensions") {
  torch::manual_seed(0);
  Supernet s(make_model("vit-tiny"), {});
  bool found = false;
  for (const auto& l : s.layers()) {
    const auto* lin = dynamic_cast<const MappableLinearImpl*>(l.layer.get());
    if (!lin || l.skip != SkipKind::kProjection) continue;
    const auto y = s.projections().project(l.name, torch::randn({2, 5, lin->in_features()}));
    CHECK(y.sizes() == torch::IntArrayRef({2, 5, lin->out_features()}));
    found = true;
  }
  CHECK(found);
}

TEST_CASE("supernet: the analog candidates' output spread grows with the noise scale") {
  torch::manual_seed(0);
  Supernet s(make_model("resnet8"), {});
  s.model().eval();
  s.activate(all_of(s, Target::kAnalog));
  const auto x = torch::randn({4, 1, 28, 28});
  torch::NoGradGuard no_grad;
  auto spread = [&](double scale) {
    s.set_noise_scale(scale);
    std::vector<torch::Tensor> outs;
    for (int r = 0; r < 6; ++r) {
      s.reseed(100 + r);
      outs.push_back(s.model().forward(x));
    }
    return torch::stack(outs).std(0).mean().item<double>();
  };
  const double s0 = spread(0.0), s_half = spread(0.5), s1 = spread(1.0);
  CHECK(s0 == 0.0);  // DAC/ADC are deterministic; no noise at scale 0
  CHECK(s_half > 0.0);
  CHECK(s1 > 1.5 * s_half);
}

TEST_CASE("supernet: per-layer noise factors silence or keep each layer's noise") {
  torch::manual_seed(0);
  Supernet s(make_model("resnet8"), {});
  s.model().eval();
  s.activate(all_of(s, Target::kAnalog));
  const auto x = torch::randn({4, 1, 28, 28});
  torch::NoGradGuard no_grad;
  s.set_noise_scale(1.0);
  auto spread = [&] {
    std::vector<torch::Tensor> outs;
    for (int r = 0; r < 4; ++r) {
      s.reseed(200 + r);
      outs.push_back(s.model().forward(x));
    }
    return torch::stack(outs).std(0).mean().item<double>();
  };
  const std::size_t n = s.layers().size();
  s.set_layer_noise_factors(std::vector<double>(n, 0.0));
  CHECK(spread() == 0.0);  // every layer silenced: deterministic as at scale 0
  std::vector<double> only_head(n, 0.0);
  only_head.back() = 1.0;
  s.set_layer_noise_factors(only_head);
  const double head_only = spread();
  CHECK(head_only > 0.0);
  s.set_layer_noise_factors({});  // back to 1 everywhere
  CHECK(spread() > head_only);
  CHECK_THROWS_AS(s.set_layer_noise_factors({1.0, 1.0}), Error);  // one per layer
}

TEST_CASE("supernet: separate weights start equal, materialise swaps and restores") {
  torch::manual_seed(0);
  SupernetOptions o;
  o.sharing = WeightSharing::kSeparate;
  Supernet s(make_model("resnet8"), o);
  const auto& stem = layer_named(s, "stem.conv");
  const auto params = s.extras().named_parameters();
  const torch::Tensor analog_w = params["l0_analog_weight"];
  CHECK(torch::equal(analog_w, stem.layer->weight()));
  const torch::Tensor original = stem.layer->weight().clone();
  {
    torch::NoGradGuard no_grad;
    analog_w.add_(1.0);
    const auto guard = s.materialise(all_of(s, Target::kAnalog));
    CHECK(torch::equal(stem.layer->weight(), original + 1.0));
  }
  CHECK(torch::equal(stem.layer->weight(), original));
  CHECK(SupernetOptions{}.sharing == WeightSharing::kShared);  // the measured default
  Supernet t(make_model("resnet8"), SupernetOptions{});
  for (const auto& p : t.extras().named_parameters()) {
    CHECK(p.key().rfind("skip.", 0) == 0);  // only projections, no weight copies
  }
}

TEST_CASE("supernet: batch-norm recalibration is per subnet and deterministic") {
  torch::manual_seed(0);
  Supernet s(make_model("resnet8"), {});
  const auto images = torch::randn({64, 1, 28, 28});
  auto bn_mean = [&] {
    for (const auto& b : s.model().named_buffers()) {
      if (b.key() == "layer1.0.bn1.running_mean") return b.value().clone();
    }
    return torch::Tensor();
  };
  s.recalibrate(all_of(s, Target::kFp16), images, 16);
  const auto fp = bn_mean();
  s.recalibrate(all_of(s, Target::kSkip), images, 16);
  const auto skipped = bn_mean();
  s.recalibrate(all_of(s, Target::kFp16), images, 16);
  CHECK(torch::allclose(bn_mean(), fp, 1e-6, 1e-6));
  CHECK_FALSE(torch::allclose(skipped, fp, 1e-3, 1e-3));
  const auto scales = s.recalibrate(all_of(s, Target::kInt8), images, 16);
  CHECK(scales.size() == s.layers().size());
  for (const auto& [name, scale] : scales) CHECK(scale > 0.0);
}

TEST_CASE("supernet: logits, argmax and mappings round-trip") {
  Supernet s(make_model("resnet8"), {});
  CHECK(s.argmax() == std::vector<int>(s.layers().size(), 0));  // ties -> first candidate
  {
    torch::NoGradGuard no_grad;
    s.logits()[0][2] = 1.0;
  }
  CHECK(s.argmax()[0] == 2);
  const auto lp = s.log_probs();
  CHECK(std::isinf(lp[static_cast<std::int64_t>(s.layers().size()) - 1][3].item<double>()));
  const std::vector<int> choice = all_of(s, Target::kInt8);
  CHECK(s.choice_of(s.mapping_of(choice)) == choice);
}

TEST_CASE("supernet: bad candidates and a model without mappable layers") {
  CHECK((parse_candidates("analog,fp16") == std::vector<Target>{Target::kAnalog, Target::kFp16}));
  CHECK_THROWS_WITH_AS(parse_candidates("analog,int4"), doctest::Contains("int4"), Error);
  CHECK_THROWS_AS(parse_candidates("analog,analog"), Error);
  CHECK_THROWS_AS(parse_candidates(""), Error);
  SupernetOptions only_skip;
  only_skip.candidates = {Target::kSkip};
  CHECK_THROWS_WITH_AS(Supernet(make_model("resnet8"), only_skip), doctest::Contains("classifier"),
                       Error);
  struct Empty final : ZooModel {
    torch::Tensor forward(const torch::Tensor& x) override { return x; }
    std::string hyper_parameters() const override { return ""; }
    aimcsim::Tensor build_graph(GraphBuilder&, aimcsim::Tensor x) const override { return x; }
  };
  CHECK_THROWS_WITH_AS(Supernet(std::make_shared<Empty>(), {}),
                       doctest::Contains("no mappable layers"), Error);
}
