// `aimcsim train`: FP32 training of a zoo model on Fashion-MNIST with a
// checkpoint after every epoch (nn/train/trainer.h). Prints a summary line on
// stdout: model, epochs, best and final test accuracy, wall time.
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/commands.h"
#include "cli/hw_overrides.h"
#include "models/error.h"
#include "nn/train/hwa_training.h"
#include "nn/train/trainer.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"

namespace aimcsim::cli {

void add_train_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<nn::TrainOptions>();
  auto data_dir = std::make_shared<std::string>(nn::kFmnistDir);
  auto threads = std::make_shared<int>(2);
  auto hwa = std::make_shared<bool>(false);
  auto hwa_setup = std::make_shared<nn::HwaTrainSetup>();
  auto hw_path = std::make_shared<std::string>();
  auto hw_sets = std::make_shared<std::vector<std::string>>();
  std::string names;
  for (const auto& n : nn::model_names()) names += (names.empty() ? "" : ", ") + n;

  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train a zoo model on Fashion-MNIST (SGD momentum 0.9, cosine LR, crop+flip "
      "augmentation); writes a checkpoint after every epoch");
  cmd->add_option("--model", options->model,
                  "Model: " + names +
                      " (CODE = NAS-Bench-201 arch string |op~0|+|op~0|op~1|+|op~0|op~1|op~2| or "
                      "6 digits over 0=none 1=skip_connect 2=nor_conv_1x1 3=nor_conv_3x3 "
                      "4=avg_pool_3x3)")
      ->required();
  cmd->add_option("--epochs", options->epochs, "Epochs (length of the cosine schedule)")
      ->required()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--out", options->out, "Checkpoint file, rewritten atomically after every epoch")
      ->required();
  cmd->add_option("--seed", options->seed, "Seed of weights, data order and augmentation")
      ->capture_default_str();
  cmd->add_flag("--resume", options->resume,
                "Continue from --out if it exists (same model and recipe required)");
  cmd->add_option("--batch-size", options->batch_size, "Mini-batch size")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{2}, int64_t{65536}));
  cmd->add_option("--lr", options->lr, "Peak learning rate of the cosine schedule")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--weight-decay", options->weight_decay, "SGD weight decay")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--grad-clip", options->grad_clip, "Max gradient L2 norm (0 = off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--train-limit", options->train_limit,
                  "Use only the first N training images (0 = all 60000)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--data-dir", *data_dir, "Folder of the gzipped Fashion-MNIST IDX files")
      ->capture_default_str();

  cmd->add_flag("--hwa", *hwa,
                "Hardware-aware training: noise injection and the analog MVM path on the "
                "mapping's analog layers, QAT on its INT8 layers (FACTS.md s.3)");
  cmd->add_option("--mapping", hwa_setup->mapping,
                  "With --hwa: mapping file or preset whose analog/int8 layers get HWA/QAT")
      ->capture_default_str();
  cmd->add_option("--hw", *hw_path,
                  "With --hwa: hardware config giving the analog numerics (default "
                  "configs/default.toml)")
      ->check(CLI::ExistingFile);
  add_set_option(*cmd, *hw_sets);
  cmd->add_option("--gamma", hwa_setup->hwa.weight_noise_gamma,
                  "With --hwa: weight-noise std relative to max|W| (0.08 HILAL, 0.06 AnalogNAS)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--clip-std", hwa_setup->hwa.clip_n_std,
                  "With --hwa: clip analog weights to +- N std after each step (0 = off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--init", options->init_from,
                  "Start from this checkpoint's weights (fine-tuning, e.g. HWA from an FP model)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threads", *threads,
                  "LibTorch intra-op threads (results are bit-identical only for the same count)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));

  cmd->callback([options, data_dir, threads, hwa, hwa_setup, hw_path, hw_sets, &exit_code] {
    torch::set_num_threads(*threads);
    if (*hwa) {
      const std::string path =
          hw_path->empty() ? default_hardware_config_path().string() : *hw_path;
      hwa_setup->numerics = load_hardware_with_sets(path, *hw_sets).tile.numerics;
      hwa_setup->hw_label = std::filesystem::path(path).filename().string();
      options->hooks = nn::make_hwa_hooks(*hwa_setup, options->seed);
    } else if (!hw_path->empty() || !hw_sets->empty() || hwa_setup->mapping != "all-analog") {
      throw Error("train: --hw and --mapping only apply with --hwa");
    }
    const auto t0 = std::chrono::steady_clock::now();
    const nn::TrainResult result = nn::train(*options, *data_dir);
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "model %s: %d/%d epochs done, test accuracy %.2f%% (best %.2f%%), %.0f s, "
        "checkpoint %s\n",
        result.model->name().c_str(), result.epochs_done, options->epochs,
        100.0 * result.last_test_accuracy, 100.0 * result.best_test_accuracy, wall_s,
        options->out.c_str());
    exit_code = 0;
  });
}

}  // namespace aimcsim::cli
