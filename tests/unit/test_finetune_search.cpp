// test-links: aimcsim_mapping
// Staged noisy fine-tuning and the searches built on it (mapping/staged_finetune.h,
// mapping/laft.h, mapping/lionheart.h): early stopping after exactly P bad epochs with the
// best weights kept; LAFT interrupted after stage 2 and resumed ends bit for bit like an
// uninterrupted run; a resume with other settings is refused; LionHEART reverts a rejected
// layer to the last accepted mapping and weights.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "mapping/laft.h"
#include "mapping/lionheart.h"
#include "mapping/search_run.h"
#include "models/error.h"
#include "nn/train/trainer.h"
#include "nn/zoo/mappable.h"

using namespace aimcsim;
using namespace aimcsim::mapping;

namespace {

const std::string kCheckpoint = std::string(AIMCSIM_SOURCE_DIR) + "/checkpoints/resnet8.pt";

const FinetuneData& tiny_data() {
  static const FinetuneData data = [] {
    const nn::Dataset full = nn::load_fmnist(nn::Split::kTrain);
    const nn::Dataset head{full.images.slice(0, 0, 320).clone(),
                           full.labels.slice(0, 0, 320).clone()};
    return split_validation(head, 64);  // 256 training images, the last 64 validate
  }();
  return data;
}

// The real noisy validation accuracy plus 0.1 per epoch: every epoch beats the starting
// weights, so a stage always changes them (on 64 images a short stage rarely beats its
// starting weights, and stages that keep them would let the resume and revert checks pass
// even if the code were wrong).
ValidationHook rising_validation() {
  return [](nn::ZooModel& model, int epoch) {
    return nn::evaluate(model, tiny_data().validation) + 0.1 * epoch;
  };
}

std::string run_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("aimcsim_test_search_" + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

FinetuneSearchOptions tiny_search(const std::string& dir) {
  FinetuneSearchOptions o;
  o.stage.images_per_epoch = 64;
  o.stage.max_epochs = 2;
  o.stage.patience = 1;
  o.stage.batch_size = 32;
  o.stage.lr = 0.01;
  o.seed = 5;
  o.run_dir = dir;
  o.validation = rising_validation();
  return o;
}

// The three mappable layers of resnet8 with the fewest weights (cheap stages).
std::vector<std::string> small_layers(const Graph& graph) {
  std::vector<std::pair<std::int64_t, std::string>> layers;
  for (const OpId id : graph.ids()) {
    if (graph.op(id).mappable()) layers.emplace_back(graph.op(id).stats.weights, graph.op(id).name);
  }
  std::stable_sort(layers.begin(), layers.end());
  return {layers[0].second, layers[1].second, layers[2].second};
}

}  // namespace

TEST_CASE("EarlyStopper: P epochs without improvement vs P epochs below the best") {
  EarlyStopper no_gain(EarlyStopRule::kNoImprovement, 2);
  EarlyStopper below(EarlyStopRule::kBelowBest, 2);
  const double accuracies[] = {0.50, 0.60, 0.60, 0.55, 0.60, 0.58, 0.57};
  int stop_no_gain = -1, stop_below = -1;
  for (int e = 0; e < 7; ++e) {
    no_gain.record(e, accuracies[e]);
    below.record(e, accuracies[e]);
    if (stop_no_gain < 0 && no_gain.should_stop()) stop_no_gain = e;
    if (stop_below < 0 && below.should_stop()) stop_below = e;
  }
  CHECK(stop_no_gain == 3);  // 0.60 (tie) and 0.55 do not beat 0.60
  CHECK(stop_below == 6);    // the tie at epoch 2 and 4 resets; 0.58, 0.57 fall below
  CHECK(no_gain.best_epoch() == 1);
  CHECK(below.best_accuracy() == doctest::Approx(0.60));
}

TEST_CASE("finetune_stage stops after exactly P non-improving epochs and keeps the best") {
  torch::set_num_threads(2);
  nn::LoadedModel m = nn::load_trained_model("resnet8", kCheckpoint);
  Mapping mapping = make_preset_mapping(MappingPreset::kAllDigital, m.graph);
  mapping.set(small_layers(m.graph)[0], Target::kAnalog);
  StageOptions options = tiny_search("").stage;
  options.max_epochs = 8;
  options.patience = 3;
  // Validation accuracy peaks after epoch 2, then P = 3 epochs do not beat it.
  const std::vector<double> fake = {0.40, 0.50, 0.70, 0.70, 0.65, 0.60, 0.90, 0.95};
  std::vector<WeightSnapshot> seen;
  auto hook = [&](nn::ZooModel& model, int epoch) {
    seen.emplace_back(model);
    return fake.at(static_cast<std::size_t>(epoch));
  };
  const StageResult r =
      finetune_stage(*m.model, mapping, tiny_data(), options, HwaSetup{}, 3, hook);
  CHECK(r.epochs_trained == 5);
  CHECK(r.validation_accuracy.size() == 6);
  CHECK(r.best_epoch == 2);
  CHECK(r.best_validation_accuracy == doctest::Approx(0.70));
  REQUIRE(seen.size() == 6);
  CHECK(seen[2].equals(*m.model));        // the best epoch's weights are back
  CHECK_FALSE(seen[5].equals(*m.model));  // training did move them afterwards
  for (const auto& layer : nn::mappable_layers(*m.model)) CHECK_FALSE(layer->executor());
}

TEST_CASE("finetune_stage validates on the first N images of the split when asked") {
  torch::set_num_threads(2);
  nn::LoadedModel m = nn::load_trained_model("resnet8", kCheckpoint);
  Mapping mapping = make_preset_mapping(MappingPreset::kAllDigital, m.graph);
  mapping.set(small_layers(m.graph)[0], Target::kAnalog);
  StageOptions options = tiny_search("").stage;
  options.max_epochs = 1;
  options.validation_images = 1;  // one image: every accuracy is exactly 0 or 1
  const StageResult r = finetune_stage(*m.model, mapping, tiny_data(), options, HwaSetup{}, 3);
  REQUIRE(r.validation_accuracy.size() == 2);
  for (double a : r.validation_accuracy) CHECK((a == 0.0 || a == 1.0));
  options.validation_images = 65;  // the split holds 64
  CHECK_THROWS_WITH_AS(finetune_stage(*m.model, mapping, tiny_data(), options, HwaSetup{}, 3),
                       doctest::Contains("stage validation images 65"), Error);
}

TEST_CASE("LAFT: interrupted after stage 2 and resumed = uninterrupted, bit for bit") {
  torch::set_num_threads(2);
  const std::string full_dir = run_dir("laft_full");
  const std::string part_dir = run_dir("laft_part");
  nn::LoadedModel full_model = nn::load_trained_model("resnet8", kCheckpoint);
  LaftOptions o;
  o.search = tiny_search(full_dir);
  o.layers = small_layers(full_model.graph);
  const SearchResult full = run_laft(full_model, tiny_data(), o);
  REQUIRE(full.finished);
  CHECK(full.stages.size() == 3);
  for (const StageRecord& s : full.stages) CHECK(s.finetune.best_epoch == 2);
  for (const std::string& layer : o.layers) CHECK(full.mapping.at(layer) == Target::kAnalog);
  CHECK(std::count_if(full.mapping.entries().begin(), full.mapping.entries().end(),
                      [](const auto& e) { return e.second == Target::kAnalog; }) == 3);

  nn::LoadedModel part_model = nn::load_trained_model("resnet8", kCheckpoint);
  const WeightSnapshot fp(*part_model.model);
  o.search.run_dir = part_dir;
  o.search.stop_after_stages = 2;
  const SearchResult part = run_laft(part_model, tiny_data(), o);
  CHECK(part.stages_done == 2);
  CHECK_FALSE(part.finished);
  CHECK_FALSE(fp.equals(*part_model.model));  // the stages fine-tuned the weights

  {  // a resume with other settings is refused
    LaftOptions other = o;
    other.search.stage.patience = 2;
    nn::LoadedModel again = nn::load_trained_model("resnet8", kCheckpoint);
    CHECK_THROWS_WITH_AS(run_laft(again, tiny_data(), other), doctest::Contains("'stage'"), Error);
    other = o;
    other.layers = {o.layers[1], o.layers[0], o.layers[2]};
    CHECK_THROWS_WITH_AS(run_laft(again, tiny_data(), other), doctest::Contains("'layers'"), Error);
  }
  {  // the resumed run ends like the uninterrupted one
    nn::LoadedModel resumed_model = nn::load_trained_model("resnet8", kCheckpoint);
    o.search.stop_after_stages = 0;
    const SearchResult resumed = run_laft(resumed_model, tiny_data(), o);
    REQUIRE(resumed.finished);
    CHECK(resumed.mapping == full.mapping);
    CHECK(WeightSnapshot(*full_model.model).equals(*resumed_model.model));
    REQUIRE(resumed.stages.size() == 3);
    for (int s = 0; s < 3; ++s) {
      CHECK(resumed.stages[s].finetune.validation_accuracy ==
            full.stages[s].finetune.validation_accuracy);
    }
    // The fine-tuned checkpoint is what `aimcsim eval --ckpt` loads.
    nn::LoadedModel reloaded = nn::load_trained_model("resnet8", resumed.checkpoint_path);
    CHECK(WeightSnapshot(*full_model.model).equals(*reloaded.model));
    CHECK(std::filesystem::exists(resumed.report_path));
  }
  std::filesystem::remove_all(full_dir);
  std::filesystem::remove_all(part_dir);
}

TEST_CASE("LionHEART: order by MACs, a layer below the threshold is reverted") {
  torch::set_num_threads(2);
  nn::LoadedModel m = nn::load_trained_model("resnet8", kCheckpoint);
  const std::vector<std::string> order = lionheart_order(m.graph);
  auto position = [&](const std::string& name) { return m.graph.find(name)->value; };
  for (std::size_t i = 0; i + 1 < order.size(); ++i) {
    const std::int64_t a = layer_macs(m.graph, order[i]), b = layer_macs(m.graph, order[i + 1]);
    CHECK(a >= b);
    if (a == b) CHECK(position(order[i]) < position(order[i + 1]));
  }

  // Baseline 0.90; stage 1 at 0.89 is within 2 points (kept), stage 2 at 0.50 is not.
  std::vector<WeightSnapshot> at_eval;
  LionheartOptions o;
  o.search = tiny_search(run_dir("lionheart"));
  o.search.stage.max_epochs = 1;
  o.search.stop_after_stages = 2;
  o.drift_eval = [&](nn::ZooModel& model, const Mapping&, int stage) {
    at_eval.emplace_back(model);
    return std::vector<double>{stage == 0 ? 0.90 : stage == 1 ? 0.89 : 0.50};
  };
  const SearchResult r = run_lionheart(m, tiny_data(), o);
  REQUIRE(r.stages.size() == 2);
  CHECK(r.stages[0].accepted);
  CHECK_FALSE(r.stages[1].accepted);
  CHECK(r.extra.at("baseline_accuracy").get<double>() == doctest::Approx(0.90));
  Mapping expected = make_preset_mapping(MappingPreset::kAllDigital, m.graph);
  expected.set(order[0], Target::kAnalog);
  CHECK(r.mapping == expected);
  REQUIRE(at_eval.size() == 3);
  CHECK_FALSE(at_eval[2].equals(*m.model));  // stage 2 had fine-tuned the weights ...
  CHECK(at_eval[1].equals(*m.model));        // ... and they reverted to stage 1's
  // The committed state holds the accepted weights: a resume starts from them.
  nn::LoadedModel committed = nn::load_trained_model(
      "resnet8", (std::filesystem::path(o.search.run_dir) / "stage-2.pt").string());
  CHECK(at_eval[1].equals(*committed.model));
  std::filesystem::remove_all(o.search.run_dir);
}

TEST_CASE("LionHEART time breakdown: training, validation and drift checks add up to the total") {
  torch::set_num_threads(2);
  nn::LoadedModel m = nn::load_trained_model("resnet8", kCheckpoint);
  // Validation and drift hooks that take a known minimum time each: the breakdown must put
  // at least that time in their parts (so a part booked to the wrong phase fails).
  constexpr double kValidationS = 0.05, kDriftS = 0.08;
  int validations = 0, drift_checks = 0;
  LionheartOptions o;
  o.search = tiny_search(run_dir("lionheart_time"));
  o.search.stage.max_epochs = 1;
  o.search.stop_after_stages = 2;
  o.search.validation = [&](nn::ZooModel& model, int epoch) {
    ++validations;
    std::this_thread::sleep_for(std::chrono::duration<double>(kValidationS));
    return rising_validation()(model, epoch);
  };
  o.drift_eval = [&](nn::ZooModel&, const Mapping&, int) {
    ++drift_checks;
    std::this_thread::sleep_for(std::chrono::duration<double>(kDriftS));
    return std::vector<double>{0.9};
  };
  const SearchResult r = run_lionheart(m, tiny_data(), o);
  REQUIRE(r.stages.size() == 2);
  CHECK(validations == 4);   // epoch 0 and epoch 1 of two stages
  CHECK(drift_checks == 3);  // the baseline and two stages
  const nlohmann::json t = stage_time_breakdown(r);
  const double training = t.at("stage_training_s"), validation = t.at("stage_validation_s"),
               drift = t.at("drift_checks_s"), other = t.at("other_s"), total = t.at("total_s");
  CHECK(total == doctest::Approx(r.search_seconds));
  CHECK(training + validation + drift + other == doctest::Approx(total));
  CHECK(training > 0.0);
  CHECK(validation >= validations * kValidationS);
  CHECK(validation < validations * kValidationS + 2.0);  // the real 64-image passes are short
  CHECK(drift >= drift_checks * kDriftS);
  CHECK(drift < drift_checks * kDriftS + 0.5);
  CHECK(other >= 0.0);
  // Each stage: its training and validation fit inside its fine-tuning time.
  for (const StageRecord& s : r.stages) {
    CHECK(s.finetune.training_seconds + s.finetune.validation_seconds <= s.finetune.seconds);
    CHECK(s.drift_seconds >= kDriftS);
  }
  // The parts survive the run folder (a resumed search keeps its breakdown).
  const StageRecord back = stage_record_from_json(stage_record_to_json(r.stages[1]));
  CHECK(back.finetune.training_seconds == r.stages[1].finetune.training_seconds);
  CHECK(back.finetune.validation_seconds == r.stages[1].finetune.validation_seconds);
  CHECK(back.drift_seconds == r.stages[1].drift_seconds);
  std::filesystem::remove_all(o.search.run_dir);
}
