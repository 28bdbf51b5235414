// test-links: aimcsim_nn
// AnalogNAS-Bench cell runner (nn/analognas/cell_bench.h) on a tiny budget: every column
// filled, accuracies in range, op counts of the code; a repeated call resumes from the
// checkpoints and gives the same numbers; bad settings are errors.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>

#include "models/error.h"
#include "nn/analognas/cell_bench.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/checkpoint.h"
#include "sim/config/hardware_config.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

CellBenchSettings tiny(const std::string& dir) {
  CellBenchSettings s;
  s.cells_per_stage = 1;
  s.fp_epochs = 1;
  s.train_limit = 256;
  s.hwa_train_limit = 128;
  s.hwa_epochs = 1;
  s.batch_size = 64;
  s.eval_seeds = 2;
  s.test_limit = 100;
  s.seed = 3;
  s.work_dir = dir;
  return s;
}

}  // namespace

TEST_CASE("a cell end to end on a tiny budget, resumed from its checkpoints") {
  torch::set_num_threads(2);
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_test_cell_bench";
  std::filesystem::remove_all(dir);
  const HardwareConfig c = load_hardware_config(default_hardware_config_path());
  const Dataset train = dataset_head(load_fmnist(Split::kTrain), 2048);
  const Dataset test = dataset_head(load_fmnist(Split::kTest), 100);
  const Nb201Cell cell = parse_nb201_code("321140");
  const CellBenchResult r =
      run_cell_bench(cell, tiny(dir.string()), analog_setup_of(c), train, test);
  CHECK(r.model == "nasbench201:" + cell.arch_string() + "@cells=1");
  CHECK(r.op_counts == std::array<int, 5>{1, 2, 1, 1, 1});
  CHECK(r.parameters > 0);
  const auto columns = cell_bench_columns();
  const auto values = cell_bench_values(r);
  REQUIRE(values.size() == columns.size());
  CHECK(columns.size() == 9 + 2 * 11 + 3);
  for (std::size_t i = 6; i < 9 + 2 * 11; ++i) {
    CAPTURE(columns[i]);
    CHECK(std::isfinite(values[i]));
    if (columns[i].find("avm") == std::string::npos) {
      CHECK(values[i] >= 0.0);
      CHECK(values[i] <= 100.0);
    }
  }
  CHECK(r.robustness.noisy.times.size() == 5);
  CHECK(r.robustness.analog->times.front().per_seed.size() == 2);
  CHECK(std::filesystem::exists(dir / "321140-fp.pt"));
  CHECK(std::filesystem::exists(dir / "321140-hwa.pt"));
  CHECK(read_checkpoint_meta((dir / "321140-fp.pt").string()).train_limit == 256);
  CHECK(read_checkpoint_meta((dir / "321140-hwa.pt").string()).train_limit == 128);
  // Again: both trainings are finished, so they are loaded, and every accuracy repeats.
  const CellBenchResult again =
      run_cell_bench(cell, tiny(dir.string()), analog_setup_of(c), train, test);
  const auto values2 = cell_bench_values(again);
  for (std::size_t i = 0; i + 3 < values.size(); ++i) {
    CAPTURE(columns[i]);
    CHECK(values2[i] == values[i]);
  }
  // Another seed is another training: the resume refuses the checkpoints.
  CellBenchSettings other = tiny(dir.string());
  other.seed = 4;
  CHECK_THROWS_AS(run_cell_bench(cell, other, analog_setup_of(c), train, test), Error);
  other.cells_per_stage = 0;
  CHECK_THROWS_WITH_AS(run_cell_bench(cell, other, analog_setup_of(c), train, test),
                       doctest::Contains("expected 1 to 5"), Error);
  std::filesystem::remove_all(dir);
}
