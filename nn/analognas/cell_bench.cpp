// One AnalogNAS-Bench cell: FP training, HWA fine-tuning, robustness and INT8 (cell_bench.h).
#include "nn/analognas/cell_bench.h"

#include <chrono>
#include <filesystem>

#include "models/error.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/hwa_training.h"
#include "nn/train/trainer.h"
#include "nn/zoo/widen.h"
#include "nn/zoo/zoo.h"

namespace aimcsim::nn {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Test images evaluated after each training epoch (progress only; no decision uses them).
constexpr std::int64_t kEpochTestImages = 1000;

TrainOptions recipe(const std::string& model, const CellBenchSettings& s) {
  TrainOptions o;
  o.model = model;
  o.seed = s.seed;
  o.resume = true;
  o.batch_size = s.batch_size;
  o.train_limit = s.train_limit;
  o.test_limit = kEpochTestImages;
  o.progress = false;
  return o;
}

void check_settings(const CellBenchSettings& s) {
  if (s.work_dir.empty()) throw Error("AnalogNAS-Bench: a work folder for checkpoints is needed");
  if (s.cells_per_stage < 1 || s.cells_per_stage > 5) {
    throw Error("AnalogNAS-Bench: cells_per_stage " + std::to_string(s.cells_per_stage) +
                "; expected 1 to 5");
  }
  if (s.fp_epochs < 1 || s.hwa_epochs < 0 || s.eval_seeds < 1 || s.batch_size < 1 ||
      s.train_limit < 0 || s.hwa_train_limit < 0 || s.test_limit < 0) {
    throw Error(
        "AnalogNAS-Bench: fp_epochs, eval_seeds and batch_size must be >= 1, hwa_epochs and "
        "the image limits >= 0");
  }
}

}  // namespace

CellBenchResult run_cell_bench(const Nb201Cell& cell, const CellBenchSettings& s,
                               const AnalogSetup& analog, const Dataset& train_set,
                               const Dataset& test_set) {
  check_settings(s);
  CellBenchResult r;
  r.model =
      make_model("nasbench201:" + cell.digits() + "@cells=" + std::to_string(s.cells_per_stage))
          ->name();  // canonical spelling
  r.op_counts = count_nb201_ops(cell);
  std::filesystem::create_directories(s.work_dir);
  const std::string stem = (std::filesystem::path(s.work_dir) / cell.digits()).string();
  const std::string fp_ckpt = stem + "-fp.pt", hwa_ckpt = stem + "-hwa.pt";
  const Dataset epoch_test = dataset_head(test_set, kEpochTestImages);

  auto t0 = Clock::now();
  TrainOptions fp = recipe(r.model, s);
  fp.epochs = s.fp_epochs;
  fp.lr = s.fp_lr;
  fp.out = fp_ckpt;
  const TrainResult trained = train(fp, train_set, epoch_test);
  r.parameters = parameter_count(*trained.model);
  r.fp_train_s = seconds_since(t0);

  std::string analog_ckpt = fp_ckpt;
  if (s.hwa_epochs > 0) {
    t0 = Clock::now();
    TrainOptions hwa = recipe(r.model, s);
    hwa.epochs = s.hwa_epochs;
    if (s.hwa_train_limit > 0) hwa.train_limit = s.hwa_train_limit;
    hwa.lr = s.hwa_lr;
    hwa.cosine_lr = false;
    hwa.init_from = fp_ckpt;
    hwa.out = hwa_ckpt;
    HwaTrainSetup setup;
    setup.mapping = "all-analog";
    setup.numerics = analog.numerics;
    setup.hwa.weight_noise_gamma = s.gamma;
    setup.hw_label = "analognas-bench";
    hwa.hooks = make_hwa_hooks(setup, s.seed);
    train(hwa, train_set, epoch_test);
    analog_ckpt = hwa_ckpt;
    r.hwa_train_s = seconds_since(t0);
  }

  t0 = Clock::now();
  EvalOptions eval;
  eval.times_s = robustness_times_s();
  eval.seeds = s.eval_seeds;
  eval.seed = s.seed;
  eval.progress = false;
  r.robustness.noisy = evaluate_trained({r.model, fp_ckpt, "all-analog"}, analog, train_set,
                                        test_set, eval, &r.robustness.baseline);
  double hwa_fp = 0.0;
  r.robustness.analog = evaluate_trained({r.model, analog_ckpt, "all-analog"}, analog, train_set,
                                         test_set, eval, &hwa_fp);
  r.robustness.hwa_baseline = hwa_fp;
  EvalOptions digital = eval;
  digital.times_s = {1.0};
  digital.seeds = 1;  // INT8 is deterministic
  r.int8 = evaluate_trained({r.model, fp_ckpt, "all-int8"}, analog, train_set, test_set, digital)
               .times.front()
               .mean;
  r.eval_s = seconds_since(t0);
  return r;
}

std::vector<std::string> cell_bench_columns() {
  std::vector<std::string> c = {"ops_none",     "ops_skip",         "ops_conv1x1",
                                "ops_conv3x3",  "ops_avgpool",      "parameters",
                                "baseline_pct", "hwa_baseline_pct", "int8_pct"};
  for (const char* variant : {"noisy", "analog"}) {
    for (const char* t : {"1s", "60s", "1h", "1d", "30d"}) {
      c.push_back(std::string(variant) + "_" + t + "_mean_pct");
      c.push_back(std::string(variant) + "_" + t + "_std_pct");
    }
    c.push_back(std::string("avm_") + variant + "_pct");
  }
  for (const char* t : {"fp_train_s", "hwa_train_s", "eval_s"}) c.emplace_back(t);
  return c;
}

std::vector<double> cell_bench_values(const CellBenchResult& r) {
  std::vector<double> v;
  for (int n : r.op_counts) v.push_back(n);
  v.push_back(static_cast<double>(r.parameters));
  v.push_back(100.0 * r.robustness.baseline);
  v.push_back(100.0 * r.robustness.hwa_baseline.value_or(r.robustness.baseline));
  v.push_back(100.0 * r.int8);
  for (const EvalResult* e : {&r.robustness.noisy, &*r.robustness.analog}) {
    for (const TimeAccuracy& t : e->times) {
      v.push_back(100.0 * t.mean);
      v.push_back(100.0 * t.std);
    }
    v.push_back(100.0 * avm(*e));
  }
  v.push_back(r.fp_train_s);
  v.push_back(r.hwa_train_s);
  v.push_back(r.eval_s);
  return v;
}

}  // namespace aimcsim::nn
