// test-links: aimcsim_mapping
// The MPS search end to end on a tiny budget (mapping/mps.h): it finishes with a mapping of
// the model's graph, a non-empty Pareto front with a positive hypervolume, strict fairness
// counts, and weights `eval` can load; interrupted after every unit of work and resumed, it
// ends bit for bit like an uninterrupted run; changed settings are refused; bad budgets
// are rejected.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>

#include "mapping/mps.h"
#include "mapping/mps_rank_check.h"
#include "models/error.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/trainer.h"
#include "sim/config/hardware_config.h"
#include "sim/mapping/mapping_io.h"

using namespace aimcsim;
using namespace aimcsim::mapping;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;
const std::string kCheckpoint = kSource + "/checkpoints/resnet8.pt";

const FinetuneData& tiny_data() {
  static const FinetuneData data = [] {
    const nn::Dataset full = nn::load_fmnist(nn::Split::kTrain);
    const nn::Dataset head{full.images.slice(0, 0, 320).clone(),
                           full.labels.slice(0, 0, 320).clone()};
    return split_validation(head, 64);
  }();
  return data;
}

std::string fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("aimcsim_test_mps_" + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

MpsOptions tiny_options(const HardwareConfig& hw, const std::string& dir) {
  MpsOptions o;
  o.supernet.numerics = hw.tile.numerics;
  o.scorer.analog = nn::analog_setup_of(hw);
  o.phase1_epochs = 1;
  o.phase2_epochs = 1;
  o.images_per_epoch = 64;
  o.batch_size = 32;
  o.samples_per_step = 4;
  o.max_steps = 2;
  o.phase3_validation = 64;
  o.recalibration_images = 64;
  o.seed = 3;
  o.run_dir = dir;
  o.progress = false;
  return o;
}

struct Outcome {
  MpsResult result;
  std::vector<std::pair<std::string, torch::Tensor>> weights;  // parameters, then buffers
};

Outcome run(const HardwareConfig& hw, const MpsOptions& o, const std::string& cache) {
  nn::LoadedModel m = nn::load_trained_model("resnet8", kCheckpoint);
  CostOracle oracle(m.graph, hw, {cache, true});
  Outcome out{run_mps(m, tiny_data(), oracle, o), {}};
  for (const auto& p : m.model->named_parameters())
    out.weights.emplace_back(p.key(), p.value().clone());
  for (const auto& b : m.model->named_buffers())
    out.weights.emplace_back(b.key(), b.value().clone());
  return out;
}

}  // namespace

TEST_CASE("mps: tiny search finishes, resumes bit for bit, refuses changed settings") {
  torch::set_num_threads(1);
  const HardwareConfig hw = load_hardware_config(kSource + "/configs/hermes.toml");
  const std::string cache = fresh_dir("cache");
  const Outcome whole = run(hw, tiny_options(hw, fresh_dir("whole")), cache);
  REQUIRE(whole.result.finished);
  const MpsResult& r = whole.result;
  CHECK(r.mapping.size() == 8);  // resnet8: stem, 6 block convs (option-A shortcuts), fc
  CHECK_FALSE(r.front.empty());
  CHECK(r.hypervolume >= 0.0);
  CHECK(r.report["fairness_counts"].size() == 8);
  // 2 epochs x 2 steps = 4 steps = one window of K = 4: every candidate exactly once.
  for (const auto& layer : r.report["fairness_counts"]) {
    const auto counts = layer.get<std::vector<std::int64_t>>();
    std::int64_t total = 0;
    for (auto c : counts) total += c;
    CHECK(total == 4);
  }
  CHECK(r.report["fairness_counts"][1] == std::vector<std::int64_t>{1, 1, 1, 1});
  // The extracted weights load as a checkpoint and run the mapping (skips included).
  nn::LoadedModel back = nn::load_trained_model("resnet8", r.checkpoint_path);
  check_mapping(read_mapping_file(r.mapping_path), back.graph);

  const std::string dir = fresh_dir("resumed");
  MpsOptions o = tiny_options(hw, dir);
  o.stop_after = 1;
  Outcome part;
  int calls = 0;
  do {
    part = run(hw, o, cache);
    ++calls;
  } while (!part.result.finished && calls < 10);
  CHECK(calls == 2 + static_cast<int>(r.report["ranking_steps"].size()));  // a unit per call
  CHECK(part.result.mapping == r.mapping);
  REQUIRE(part.weights.size() == whole.weights.size());
  for (std::size_t i = 0; i < part.weights.size(); ++i) {
    CAPTURE(whole.weights[i].first);
    CHECK(part.weights[i].first == whole.weights[i].first);
    CHECK(torch::equal(part.weights[i].second, whole.weights[i].second));
  }
  MpsOptions changed = tiny_options(hw, dir);
  changed.margin = 0.2;
  CHECK_THROWS_WITH_AS(run(hw, changed, cache), doctest::Contains("ranking"), Error);
}

TEST_CASE("mps: Kendall tau and Spearman rho by hand") {
  // (1,2,3,4) vs (1,3,2,4): pairs 6, one discordant -> tau = 4/6; rho = 1 - 6*2/(4*15) = 0.8.
  CHECK(kendall_tau({1, 2, 3, 4}, {1, 3, 2, 4}) == doctest::Approx(4.0 / 6.0));
  CHECK(spearman_rho({1, 2, 3, 4}, {1, 3, 2, 4}) == doctest::Approx(0.8));
  CHECK(kendall_tau({1, 2, 3}, {3, 2, 1}) == doctest::Approx(-1.0));
  CHECK(kendall_tau({1, 1, 2}, {1, 2, 3}) == doctest::Approx(2.0 / 3.0));  // a tie: neither
  CHECK(spearman_rho({1, 2, 3}, {5, 5, 5}) == 0.0);
}

TEST_CASE("mps: hni noise factors follow the rank rule") {
  // HNI {3, 1, 2}: ranks {1, 0, 0.5}, ramp starts {0.5, 0, 0.25}.
  const std::vector<double> hni{3.0, 1.0, 2.0};
  const auto third = hni_noise_factors(hni, 1.0 / 3.0);
  CHECK(third[0] == 0.0);
  CHECK(third[1] == doctest::Approx(1.0 / 3.0));
  CHECK(third[2] == doctest::Approx((1.0 / 3.0 - 0.25) / 0.75));
  const auto half = hni_noise_factors(hni, 0.5);
  CHECK(half[0] == 0.0);
  CHECK(half[1] == doctest::Approx(0.5));
  for (double f : hni_noise_factors(hni, 1.0)) CHECK(f == 1.0);
  CHECK(hni_noise_factors({5.0}, 0.25) == std::vector<double>{0.25});
}

TEST_CASE("mps: fine-tune of the extracted subnet with hni noise resumes bit for bit") {
  torch::set_num_threads(1);
  const HardwareConfig hw = load_hardware_config(kSource + "/configs/hermes.toml");
  const std::string cache = fresh_dir("ft_cache");
  auto options = [&](const std::string& dir) {
    MpsOptions o = tiny_options(hw, dir);
    o.phase2_epochs = 2;
    o.noise = NoiseSchedule::kHni;
    o.hni = {8, 1, 2, 3, 4, 5, 6, 7};  // stem most sensitive
    o.finetune_epochs = 2;
    return o;
  };
  const Outcome whole = run(hw, options(fresh_dir("ft_whole")), cache);
  REQUIRE(whole.result.finished);
  const auto& ft = whole.result.report["finetune"];
  REQUIRE(ft["epochs"].size() == 2);
  CHECK(ft["validation_accuracy_before"].get<double>() == whole.result.argmax.accuracy);
  CHECK(whole.result.finetuned_accuracy == ft["best_validation_accuracy"].get<double>());
  CHECK(whole.result.finetuned_accuracy >= whole.result.argmax.accuracy);
  CHECK(whole.result.units_total == 3 + 2 + 2);
  // Phase-2 epoch 1 of 2 (p = 0.5): the stem (rank 1) is still silent, layer 1 at 0.5.
  const auto factors = whole.result.report["epochs"][1]["layer_noise_factors"];
  CHECK(factors[0].get<double>() == 0.0);
  CHECK(factors[1].get<double>() == doctest::Approx(0.5));

  // Resumed after every unit, with a rank check on top: the check leaves the result alone.
  MpsOptions o = options(fresh_dir("ft_resumed"));
  o.stop_after = 1;
  o.rank_check = 3;
  Outcome part;
  int calls = 0;
  do {
    part = run(hw, o, cache);
    ++calls;
  } while (!part.result.finished && calls < 12);
  CHECK(part.result.finished);
  CHECK(part.result.mapping == whole.result.mapping);
  CHECK(part.result.finetuned_accuracy == whole.result.finetuned_accuracy);
  const auto& rc = part.result.report["rank_check"];
  REQUIRE(rc["subnets"].size() == 3);
  for (const char* key : {"recalibrated", "shared_bn"}) {
    CHECK(std::abs(rc["kendall_tau"][key].get<double>()) <= 1.0);
  }
  CHECK(whole.result.report["rank_check"].is_null());
  // Front points keep the supernet's weights (not the argmax's fine-tuned ones).
  REQUIRE(whole.result.front_checkpoints.size() == whole.result.front.size());
  for (const auto& ckpt : whole.result.front_checkpoints) {
    CHECK(nn::load_trained_model("resnet8", ckpt).model != nullptr);
  }
  REQUIRE(part.weights.size() == whole.weights.size());
  for (std::size_t i = 0; i < part.weights.size(); ++i) {
    CAPTURE(whole.weights[i].first);
    CHECK(torch::equal(part.weights[i].second, whole.weights[i].second));
  }
  MpsOptions no_hni = options(fresh_dir("ft_bad"));
  no_hni.hni.clear();
  CHECK_THROWS_WITH_AS(run(hw, no_hni, cache), doctest::Contains("HNI"), Error);
  no_hni.hni = {1.0, 2.0};
  CHECK_THROWS_WITH_AS(run(hw, no_hni, cache), doctest::Contains("2 HNI values for 8"), Error);
}

TEST_CASE("mps: bad budgets are rejected before any work") {
  const HardwareConfig hw = load_hardware_config(kSource + "/configs/hermes.toml");
  MpsOptions o = tiny_options(hw, fresh_dir("bad"));
  o.max_steps = 0;
  CHECK_THROWS_WITH_AS(run(hw, o, fresh_dir("bad_cache")), doctest::Contains("max-steps"), Error);
  o.max_steps = 2;
  o.samples_per_step = 1;
  CHECK_THROWS_AS(run(hw, o, fresh_dir("bad_cache")), Error);
}
