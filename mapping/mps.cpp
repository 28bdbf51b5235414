// The MPS search driver (mps.h): phases, resume, extraction.
#include "mapping/mps.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "mapping/finetune_search.h"
#include "mapping/mps_phases.h"
#include "mapping/mps_rank_check.h"
#include "mapping/mps_state.h"
#include "models/error.h"
#include "nn/data/random_subset.h"
#include "nn/train/trainer.h"
#include "sim/mapping/mapping_io.h"
#include "sim/report/report_io.h"

namespace aimcsim::mapping {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPhase2Weights = "phase2.pt";

void check_options(const MpsOptions& o) {
  if (o.phase1_epochs < 0 || o.phase2_epochs < 0) throw Error("mps: negative epoch count");
  if (o.phase2_epochs == 0 &&
      (o.noise == NoiseSchedule::kProgressive || o.noise == NoiseSchedule::kHni)) {
    throw Error(std::string("mps: ") + to_string(o.noise) +
                " noise needs at least one phase-2 epoch (--phase2-epochs)");
  }
  if (o.noise == NoiseSchedule::kHni && o.hni.empty()) {
    throw Error("mps: --noise hni needs each layer's HNI (--hni-from a HILAL report)");
  }
  if (o.max_steps < 1) throw Error("mps: --max-steps (the ranking budget) must be at least 1");
  if (o.samples_per_step < 2) throw Error("mps: --samples must be at least 2 (pairs to rank)");
  if (o.stable_steps < 1) throw Error("mps: --stable-steps must be at least 1");
  if (o.images_per_epoch < 2 || o.batch_size < 2) throw Error("mps: epochs need 2+ images");
  if (o.run_dir.empty()) throw Error("mps: no run folder");
  if (o.finetune_epochs < 0) throw Error("mps: --finetune-epochs must not be negative");
  if (!(o.finetune_lr > 0.0)) throw Error("mps: --finetune-lr must be positive");
}

nlohmann::json settings_of(const nn::LoadedModel& m, const MpsOptions& o) {
  std::vector<std::string> candidates;
  for (Target t : o.supernet.candidates) candidates.emplace_back(target_name(t));
  const auto& n = o.supernet.numerics;
  nlohmann::json settings = {
      {"method", o.label},
      {"model", m.model->name()},
      {"hyper_parameters", m.model->hyper_parameters()},
      {"checkpoint", m.checkpoint_path},
      {"candidates", candidates},
      {"weight_sharing", nn::to_string(o.supernet.sharing)},
      {"qat", o.supernet.qat},
      {"noise", to_string(o.noise)},
      {"gamma", o.supernet.hwa.weight_noise_gamma},
      {"clip_n_std", o.supernet.hwa.clip_n_std},
      {"numerics",
       {n.dac_bits, n.adc_bits, n.inp_bound, n.out_bound, n.out_noise, n.w_noise, n.tile_rows,
        n.tile_cols}},
      {"bn_recalibration", o.scorer.bn_recalibration},
      {"epochs", {o.phase1_epochs, o.phase2_epochs}},
      {"images_per_epoch", o.images_per_epoch},
      {"batch_size", o.batch_size},
      {"sgd", {o.lr, o.momentum, o.weight_decay, o.grad_clip}},
      {"ranking", {o.samples_per_step, o.max_steps, o.stable_steps, o.ranking_lr, o.margin}},
      {"phase3_validation", o.phase3_validation},
      {"recalibration_images", o.recalibration_images},
      {"drift_s", o.scorer.drift_s},
      {"eval_seed", o.scorer.eval_seed},
      {"seed", o.seed},
      {"threads", torch::get_num_threads()}};
  // Only when used, so run folders of searches without a fine-tune still resume.
  if (o.finetune_epochs > 0) settings["finetune"] = {o.finetune_epochs, o.finetune_lr};
  if (o.noise == NoiseSchedule::kHni) settings["hni"] = o.hni;
  return settings;
}

std::vector<SubnetScore> front_of(const std::map<std::vector<int>, SubnetScore>& scored,
                                  std::vector<Objectives>& normalised,
                                  const Objectives& all_digital) {
  std::vector<SubnetScore> all;
  std::vector<Objectives> points;
  for (const auto& [choice, s] : scored) {
    all.push_back(s);
    points.push_back({(1.0 - s.accuracy) / all_digital[0], s.latency_ns / all_digital[1],
                      s.energy_pj / all_digital[2]});
  }
  std::vector<SubnetScore> front;
  normalised.clear();
  for (std::size_t i : pareto_front_indices(points)) {
    front.push_back(all[i]);
    normalised.push_back(points[i]);
  }
  return front;
}

// Per layer: its candidates and their final probabilities.
nlohmann::json architecture_json(const nn::Supernet& supernet) {
  const torch::Tensor p = supernet.log_probs().detach().exp();
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t l = 0; l < supernet.layers().size(); ++l) {
    nlohmann::json probs = nlohmann::json::object();
    const auto& c = supernet.layers()[l].candidates;
    for (std::size_t k = 0; k < c.size(); ++k) {
      probs[std::string(target_name(c[k]))] =
          p[static_cast<std::int64_t>(l)][static_cast<std::int64_t>(k)].item<double>();
    }
    layers.push_back({{"layer", supernet.layers()[l].name},
                      {"skip", nn::to_string(supernet.layers()[l].skip)},
                      {"probabilities", probs}});
  }
  return layers;
}

}  // namespace

const char* to_string(NoiseSchedule s) {
  switch (s) {
    case NoiseSchedule::kNone:
      return "none";
    case NoiseSchedule::kConstant:
      return "constant";
    case NoiseSchedule::kProgressive:
      return "progressive";
    case NoiseSchedule::kHni:
      return "hni";
  }
  return "?";
}

std::vector<double> hni_noise_factors(const std::vector<double>& hni, double progress) {
  const std::size_t n = hni.size();
  std::vector<double> factors(n, 1.0);
  for (std::size_t l = 0; l < n; ++l) {
    const auto lower = std::count_if(hni.begin(), hni.end(), [&](double h) { return h < hni[l]; });
    const double rank = n > 1 ? static_cast<double>(lower) / static_cast<double>(n - 1) : 0.0;
    const double start = rank / 2.0;
    factors[l] = std::clamp((progress - start) / (1.0 - start), 0.0, 1.0);
  }
  return factors;
}

NoiseSchedule parse_noise_schedule(const std::string& text) {
  for (NoiseSchedule s : {NoiseSchedule::kNone, NoiseSchedule::kConstant,
                          NoiseSchedule::kProgressive, NoiseSchedule::kHni}) {
    if (text == to_string(s)) return s;
  }
  throw Error("--noise '" + text + "': expected none, constant, progressive or hni");
}

MpsResult run_mps(nn::LoadedModel& m, const FinetuneData& data, CostOracle& oracle,
                  const MpsOptions& options) {
  check_options(options);
  const auto t0 = Clock::now();
  MpsOptions o = options;
  o.supernet.analog_hwa = o.noise != NoiseSchedule::kNone;
  o.supernet.seed = nn::mix_seed(o.seed, 0x5C1B);  // skip projections' initial weights
  const nn::Dataset validation = nn::dataset_head(data.validation, o.phase3_validation);
  // All-digital reference: the FP model's validation error, the preset's simulated costs.
  const double fp_accuracy = nn::evaluate(*m.model, validation, o.scorer.batch_size);
  const Report& digital =
      oracle.whole_mapping(make_preset_mapping(MappingPreset::kAllDigital, m.graph));
  const Objectives all_digital{std::max(1.0 - fp_accuracy, 1e-6), digital.latency_ns,
                               digital.energy_pj};

  nn::Supernet supernet(m.model, o.supernet);
  if (o.noise == NoiseSchedule::kHni && o.hni.size() != supernet.layers().size()) {
    throw Error(
        fmt::format("mps: {} HNI values for {} layers", o.hni.size(), supernet.layers().size()));
  }
  const nn::FairnessSampler sampler(supernet.candidates_per_layer(), nn::mix_seed(o.seed, 0xFA1));
  torch::optim::SGD sgd(
      m.model->parameters(),
      torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay));
  torch::Tensor& logits = supernet.logits();
  logits.set_requires_grad(true);
  torch::optim::Adam adam({logits}, torch::optim::AdamOptions(o.ranking_lr));
  const MpsRunState run(o.run_dir, settings_of(m, o));

  const int epochs_total = o.phase1_epochs + o.phase2_epochs;
  nlohmann::json progress = {{"units_done", 0},
                             {"epochs_done", 0},
                             {"steps_done", 0},
                             {"stable", 0},
                             {"seconds", 0.0},
                             {"epochs", nlohmann::json::array()},
                             {"steps", nlohmann::json::array()},
                             {"scores", nlohmann::json::array()}};
  std::vector<std::vector<std::int64_t>> counts(
      supernet.layers().size(), std::vector<std::int64_t>(supernet.max_candidates(), 0));
  if (auto resumed = run.load(*m.model, logits, &sgd, &adam)) {
    progress = *resumed;
    counts = progress.at("fairness_counts").get<decltype(counts)>();
    spdlog::info("{}: resuming {} after {} epochs and {} ranking steps", o.label, run.dir(),
                 progress["epochs_done"].get<int>(), progress["steps_done"].get<int>());
  }
  const nn::Dataset recal_pool =
      nn::random_subset(data.train, o.recalibration_images, nn::mix_seed(o.seed, 0xBC));
  SubnetScorer scorer(supernet, m.graph, oracle, validation,
                      nn::normalise_images(recal_pool.images), o.scorer);
  for (const auto& s : progress["scores"]) scorer.preload(score_from_json(s));
  const double earlier_s = progress["seconds"].get<double>();
  int units_this_call = 0;
  auto finetune_done = [&] {
    return progress.contains("finetune") ? static_cast<int>(progress["finetune"]["epochs"].size())
                                         : 0;
  };
  auto commit = [&] {
    progress["units_done"] =
        progress["epochs_done"].get<int>() + progress["steps_done"].get<int>() + finetune_done();
    progress["fairness_counts"] = counts;
    progress["seconds"] = earlier_s + std::chrono::duration<double>(Clock::now() - t0).count();
    nlohmann::json scores = nlohmann::json::array();
    for (const auto& [choice, s] : scorer.scored()) scores.push_back(score_to_json(s, supernet));
    progress["scores"] = scores;
    run.commit(progress, *m.model, logits, &sgd, &adam);
    ++units_this_call;
  };
  auto must_pause = [&] { return o.stop_after > 0 && units_this_call >= o.stop_after; };

  for (int e = progress["epochs_done"].get<int>(); e < epochs_total && !must_pause(); ++e) {
    progress["epochs"].push_back(
        train_supernet_epoch(supernet, o, sampler, sgd, data.train, e, counts));
    progress["epochs_done"] = e + 1;
    const auto& rec = progress["epochs"].back();
    spdlog::info("{} phase {} epoch {}/{}: noise scale {:.2f}, train loss {:.4f}, {:.1f} s",
                 o.label, rec["phase"].get<int>(), e + 1, epochs_total,
                 rec["noise_scale"].get<double>(), rec["train_loss"].get<double>(),
                 rec["seconds"].get<double>());
    // The trained weights with the supernet's own batch-norm statistics, before phase 3's
    // recalibrations overwrite them (the rank check's shared-BN estimate needs them).
    if (e + 1 == epochs_total) save_module_weights(*m.model, run.path(kPhase2Weights));
    commit();
  }
  m.model->eval();
  while (progress["epochs_done"].get<int>() == epochs_total &&
         progress["steps_done"].get<int>() < o.max_steps &&
         progress["stable"].get<int>() < o.stable_steps && !must_pause()) {
    const int step = progress["steps_done"].get<int>();
    const std::vector<int> before = supernet.argmax();
    progress["steps"].push_back(ranking_step(supernet, scorer, o, adam, step));
    progress["steps_done"] = step + 1;
    progress["stable"] = supernet.argmax() == before ? progress["stable"].get<int>() + 1 : 0;
    const auto& rec = progress["steps"].back();
    spdlog::info("{} ranking step {}: hinge loss {:.4f}, {} new evaluations, argmax stable for {}",
                 o.label, step + 1, rec["loss"].get<double>(), rec["evaluated"].get<int>(),
                 progress["stable"].get<int>());
    commit();
  }

  const bool ranked = progress["epochs_done"].get<int>() == epochs_total &&
                      (progress["steps_done"].get<int>() >= o.max_steps ||
                       progress["stable"].get<int>() >= o.stable_steps);
  if (ranked && o.rank_check > 0 && !progress.contains("rank_check") && !must_pause()) {
    const WeightSnapshot ranked_weights(*m.model);
    load_module_weights(*m.model, run.path(kPhase2Weights));
    progress["rank_check"] = check_mps_ranking(supernet, scorer, scorer.scored(), o, data.train,
                                               o.rank_check, run.path(kPhase2Weights));
    ranked_weights.restore(*m.model);
    const auto& tau = progress["rank_check"]["kendall_tau"];
    spdlog::info("{} rank check over {} subnets: Kendall tau {:.3f} recalibrated, {:.3f} shared BN",
                 o.label, o.rank_check, tau["recalibrated"].get<double>(),
                 tau["shared_bn"].get<double>());
    commit();
  }
  const std::vector<int> best = supernet.argmax();  // frozen once ranking has ended
  const std::string best_weights = run.path("finetune-best.pt");
  if (ranked && o.finetune_epochs > 0 && !progress.contains("finetune") && !must_pause()) {
    const double before = scorer.score(best).accuracy;  // memoised: the argmax row's score
    save_module_weights(*m.model, best_weights);
    progress["finetune"] = {{"choice", best},
                            {"validation_accuracy_before", before},
                            {"best_epoch", 0},
                            {"best_validation_accuracy", before},
                            {"epochs", nlohmann::json::array()}};
    spdlog::info("{} fine-tune of the argmax subnet: validation accuracy {:.2f}% before", o.label,
                 100 * before);
  }
  while (ranked && finetune_done() < o.finetune_epochs && !must_pause()) {
    const int j = finetune_done();
    nlohmann::json rec = finetune_subnet_epoch(supernet, o, best, sgd, data.train, j);
    const double accuracy = scorer.accuracy(best);
    rec["validation_accuracy"] = accuracy;
    auto& ft = progress["finetune"];
    if (accuracy > ft["best_validation_accuracy"].get<double>()) {
      save_module_weights(*m.model, best_weights);
      ft["best_epoch"] = j + 1;
      ft["best_validation_accuracy"] = accuracy;
    }
    ft["epochs"].push_back(rec);
    spdlog::info("{} fine-tune epoch {}/{}: train loss {:.4f}, validation {:.2f}%, {:.1f} s",
                 o.label, j + 1, o.finetune_epochs, rec["train_loss"].get<double>(), 100 * accuracy,
                 rec["seconds"].get<double>());
    commit();
  }

  MpsResult result;
  result.units_done = progress["units_done"].get<int>();
  result.units_total = epochs_total + o.max_steps + o.finetune_epochs;
  result.search_seconds = progress["seconds"].get<double>();
  if (!ranked || finetune_done() < o.finetune_epochs) return result;

  // Extraction: the argmax subnet, scored; weights materialised and recalibrated for it.
  result.argmax = scorer.score(best);
  result.mapping = supernet.mapping_of(best, o.label);
  std::vector<Objectives> normalised;
  result.front = front_of(scorer.scored(), normalised, all_digital);
  result.hypervolume =
      hypervolume(normalised, Objectives(o.hv_reference.begin(), o.hv_reference.end()));
  // Each front point's own weights: the supernet's (phase 2's; a fine-tune changed them),
  // batch norm recalibrated for that subnet, so `compare` evaluates it on the test set.
  if (o.finetune_epochs > 0) load_module_weights(*m.model, run.path(kPhase2Weights));
  const at::Tensor recal_images = nn::normalise_images(recal_pool.images);
  for (std::size_t i = 0; i < result.front.size(); ++i) {
    supernet.recalibrate(result.front[i].choice, recal_images, 128, o.scorer.bn_recalibration);
    const auto weights = supernet.materialise(result.front[i].choice);
    result.front_checkpoints.push_back(run.path(fmt::format("front-{}.pt", i)));
    nn::save_checkpoint(
        result.front_checkpoints.back(),
        search_checkpoint_meta(m, fmt::format("{} front point {} ({})", o.label, i, run.dir())),
        *m.model, nullptr);
  }
  result.finetuned_accuracy = result.argmax.accuracy;
  if (o.finetune_epochs > 0) {
    load_module_weights(*m.model, best_weights);
    result.finetuned_accuracy = progress["finetune"]["best_validation_accuracy"].get<double>();
  }
  supernet.recalibrate(best, recal_images, 128, o.scorer.bn_recalibration);
  {
    const auto weights = supernet.materialise(best);
    result.checkpoint_path = run.path("finetuned.pt");
    nn::save_checkpoint(result.checkpoint_path,
                        search_checkpoint_meta(m, o.label + " subnet (" + run.dir() + ")"),
                        *m.model, nullptr);
  }
  result.mapping_path = run.path("mapping.json");
  write_mapping_file(result.mapping, result.mapping_path);
  nlohmann::json front = nlohmann::json::array();
  for (std::size_t i = 0; i < result.front.size(); ++i) {
    front.push_back(score_to_json(result.front[i], supernet));
    front.back()["normalised"] = normalised[i];
    front.back()["checkpoint_out"] = result.front_checkpoints[i];
  }
  result.report = {
      {"method", o.label},
      {"settings", settings_of(m, o)},
      {"all_digital",
       {{"validation_accuracy", fp_accuracy},
        {"latency_ns", digital.latency_ns},
        {"energy_pj", digital.energy_pj}}},
      {"argmax", score_to_json(result.argmax, supernet)},
      {"front", front},
      {"hypervolume", result.hypervolume},
      {"hv_reference", o.hv_reference},
      {"architecture", architecture_json(supernet)},
      {"fairness_counts", counts},
      {"epochs", progress["epochs"]},
      {"ranking_steps", progress["steps"]},
      {"mappings_scored", scorer.scored().size()},
      {"rank_check",
       progress.contains("rank_check") ? progress["rank_check"] : nlohmann::json(nullptr)},
      {"finetune", progress.contains("finetune") ? progress["finetune"] : nlohmann::json(nullptr)},
      {"checkpoint_out", result.checkpoint_path},
      {"search_seconds", result.search_seconds}};
  result.report_path = run.path("report.json");
  write_text_file(result.report_path, result.report.dump(2) + "\n");
  result.finished = true;
  return result;
}

}  // namespace aimcsim::mapping
