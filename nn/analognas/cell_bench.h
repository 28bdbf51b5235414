// AnalogNAS-Bench on Fashion-MNIST (issue 17): one NAS-Bench-201 cell trained and measured
// the way the benchmark measures it (FACTS.md s.9), on aimcsim's own analog numerics.
//
// Steps for a cell (run_cell_bench):
//   1. FP training of nasbench201:CODE@cells=N from a seeded initialisation (nn/train/
//      trainer.h recipe: SGD, cosine lr over fp_epochs, crop+flip), checkpoint
//      WORK/CODE-fp.pt after every epoch;
//   2. HWA fine-tuning of those weights, all layers analog (nn/train/hwa_training.h: weight
//      noise gamma * max|W|, the config's DAC/ADC/output noise), hwa_epochs at constant
//      hwa_lr on the first hwa_train_limit training images (0: train_limit), checkpoint
//      WORK/CODE-hwa.pt;
//   3. the `eval --robustness` metrics (nn/eval/robustness.h) of both weight sets, all
//      analog, at 1 s, 60 s, 1 h, 1 d, 30 d over eval_seeds programming seeds;
//   4. digital INT8 post-training quantisation accuracy of the FP weights (all-int8).
// Contract: deterministic for a given (cell, settings, thread count); a call killed at any
// point and repeated with the same settings resumes from the last finished epoch of step 1
// or 2 (the checkpoints refuse a resume under other settings) and gives the same numbers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nn/data/fmnist.h"
#include "nn/eval/layer_numerics.h"
#include "nn/eval/robustness.h"
#include "nn/zoo/nasbench201_code.h"

namespace aimcsim::nn {

struct CellBenchSettings {
  int cells_per_stage = 1;           // reduced macro skeleton (the benchmark: 5)
  int fp_epochs = 4;                 // FP training budget
  std::int64_t train_limit = 0;      // first N training images (0 = all 60,000)
  std::int64_t hwa_train_limit = 0;  // of which HWA fine-tuning uses the first N (0 = same)
  double fp_lr = 0.1;                // peak of the cosine schedule
  int hwa_epochs = 1;                // HWA fine-tuning budget
  double hwa_lr = 0.01;              // constant during HWA fine-tuning
  double gamma = 0.06;               // HWA weight noise / max|W| (AnalogNAS; models/analog/hwa.h)
  std::int64_t batch_size = 128;
  std::uint64_t seed = 1;       // initialisation, data order, HWA noise, programming
  int eval_seeds = 3;           // programming seeds per accuracy
  std::int64_t test_limit = 0;  // first N test images (0 = all 10,000)
  std::string work_dir;         // per-cell checkpoints (required)
};

struct CellBenchResult {
  std::string model;               // nasbench201:ARCH@cells=N
  std::array<int, 5> op_counts{};  // per Nb201Op, over the cell's 6 edges
  std::int64_t parameters = 0;
  RobustnessReport robustness;  // noisy = FP weights, analog = HWA weights
  double int8 = 0.0;            // all-int8 PTQ test accuracy (fraction)
  double fp_train_s = 0.0, hwa_train_s = 0.0, eval_s = 0.0;  // this call's wall time
};

// `analog` gives the numerics of both the HWA training and the evaluation.
CellBenchResult run_cell_bench(const Nb201Cell& cell, const CellBenchSettings& settings,
                               const AnalogSetup& analog, const Dataset& train_set,
                               const Dataset& test_set);

// The result as named columns (accuracies in percent; units in the names), always the same
// names in the same order (cell_bench_columns()).
std::vector<std::string> cell_bench_columns();
std::vector<double> cell_bench_values(const CellBenchResult& result);

}  // namespace aimcsim::nn
