// test-links: aimcsim_mapping
// MPAAS widening (mapping/mpaas_widen.h) on resnet8 and the default chip: widths stay within
// the tiles conv1 already occupies, and no accepted width raises the simulated all-analog
// latency or energy beyond the tolerance.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <unistd.h>
#include <filesystem>
#include <string>

#include "mapping/mpaas_widen.h"
#include "models/error.h"
#include "nn/zoo/zoo.h"
#include "sim/config/hardware_config.h"

using namespace aimcsim;
using namespace aimcsim::mapping;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

std::filesystem::path cache_dir() {
  return std::filesystem::temp_directory_path() /
         ("aimcsim_mpaas_widen_" + std::to_string(::getpid()));
}

void check_within(const WideningResult& w, double tolerance, std::int64_t cols) {
  REQUIRE(w.widths.size() == w.before.size());
  for (std::size_t i = 0; i < w.widths.size(); ++i) {
    CHECK(w.widths[i] >= w.before[i].width);
    CHECK(w.widths[i] <= (w.before[i].width + cols - 1) / cols * cols);
  }
  CHECK(w.cost_after.latency_ns <= w.cost_before.latency_ns * (1.0 + tolerance));
  CHECK(w.cost_after.energy_pj <= w.cost_before.energy_pj * (1.0 + tolerance));
  for (const auto& p : w.report["probes"]) {
    if (!p["accepted"].get<bool>()) continue;
    CHECK(p["cost"]["latency_ns"].get<double>() <= w.cost_before.latency_ns * (1.0 + tolerance));
    CHECK(p["cost"]["energy_pj"].get<double>() <= w.cost_before.energy_pj * (1.0 + tolerance));
  }
}

}  // namespace

TEST_CASE("mpaas widening: within the tiles, never above the allowed latency and energy") {
  const HardwareConfig hw = load_hardware_config(kSource + "/configs/default.toml");
  auto model = nn::make_model("resnet8");
  WideningOptions o;
  o.cache = {cache_dir(), true};
  const std::int64_t cols = hw.tile.numerics.tile_cols;

  o.tolerance = 0.0;
  const WideningResult strict = choose_inner_widths(*model, hw, o);
  check_within(strict, 0.0, cols);
  CHECK(strict.simulations >= 1 + static_cast<int>(strict.before.size()));

  o.tolerance = 0.10;
  const WideningResult loose = choose_inner_widths(*model, hw, o);
  check_within(loose, 0.10, cols);
  std::int64_t grown = 0;
  for (std::size_t i = 0; i < loose.widths.size(); ++i) {
    grown += loose.widths[i] - loose.before[i].width;
    CHECK(loose.widths[i] >= strict.widths[i]);
  }
  CHECK(grown > 0);  // a 10 % budget buys some width on this chip
  // The widening rejected just past each chosen width (if it was probed) broke the budget.
  for (const auto& p : loose.report["probes"]) {
    const auto& block = p["block"];
    for (const auto& b : loose.report["blocks"]) {
      if (b["block"] == block && p["width"] == b["width_after"].get<std::int64_t>() + 1) {
        CHECK_FALSE(p["accepted"].get<bool>());
      }
    }
  }
  std::filesystem::remove_all(cache_dir());
}

TEST_CASE("mpaas widening of vit-tiny's MLPs stays within the tiles and the budget") {
  const HardwareConfig hw = load_hardware_config(kSource + "/configs/default.toml");
  auto model = nn::make_model("vit-tiny");
  WideningOptions o;
  o.cache = {cache_dir(), true};
  o.tolerance = 0.05;
  const WideningResult w = choose_inner_widths(*model, hw, o);
  REQUIRE(w.before.size() == 6);
  CHECK(w.before[0].producer == "blocks.0.mlp.fc1");
  check_within(w, 0.05, hw.tile.numerics.tile_cols);
  std::filesystem::remove_all(cache_dir());
}

TEST_CASE("mpaas widening: a model without inner layers and a negative tolerance are errors") {
  const HardwareConfig hw = load_hardware_config(kSource + "/configs/default.toml");
  WideningOptions o;
  o.cache = {cache_dir(), false};
  auto vgg = nn::make_model("vgg-small");
  CHECK_THROWS_WITH_AS(choose_inner_widths(*vgg, hw, o), doctest::Contains("vgg-small"), Error);
  auto resnet = nn::make_model("resnet8");
  o.tolerance = -0.1;
  CHECK_THROWS_WITH_AS(choose_inner_widths(*resnet, hw, o), doctest::Contains("--widen-tolerance"),
                       Error);
}
