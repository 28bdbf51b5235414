// Even tile split (FACTS.md s.2) and weight -> conductance mapping per tile (FACTS.md s.1).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

#include "models/analog/programmed_layer.h"
#include "models/analog/tile_split.h"
#include "models/error.h"

namespace {

std::vector<std::int64_t> sizes_of(const std::vector<aimcsim::BlockRange>& blocks) {
  std::vector<std::int64_t> s;
  std::int64_t next = 0;
  for (const auto& b : blocks) {
    CHECK(b.begin == next);  // contiguous, in order
    next = b.end();
    s.push_back(b.size);
  }
  return s;
}

}  // namespace

TEST_CASE("even split: 1152 inputs on 512 rows -> 3 x 384, never a small remainder") {
  CHECK(sizes_of(aimcsim::even_split(1152, 512)) == std::vector<std::int64_t>{384, 384, 384});
  CHECK(sizes_of(aimcsim::even_split(512, 512)) == std::vector<std::int64_t>{512});
  CHECK(sizes_of(aimcsim::even_split(513, 512)) == std::vector<std::int64_t>{257, 256});
  CHECK(sizes_of(aimcsim::even_split(10, 4)) == std::vector<std::int64_t>{4, 3, 3});
  CHECK(sizes_of(aimcsim::even_split(3, 256)) == std::vector<std::int64_t>{3});
  CHECK_THROWS_AS(aimcsim::even_split(0, 256), aimcsim::Error);
  CHECK_THROWS_AS(aimcsim::even_split(10, 0), aimcsim::Error);
}

TEST_CASE("tile split covers inputs over rows and outputs over columns") {
  const auto split = aimcsim::plan_tile_split(/*in=*/1152, /*out=*/600, /*rows=*/512, /*cols=*/256);
  CHECK(sizes_of(split.in_blocks) == std::vector<std::int64_t>{384, 384, 384});
  CHECK(sizes_of(split.out_blocks) == std::vector<std::int64_t>{200, 200, 200});
  CHECK(split.num_tiles() == 9);
}

TEST_CASE("weight -> conductance: one scale per tile, differential pair, exact round trip") {
  aimcsim::PcmParams pcm;
  pcm.kind = aimcsim::DeviceModelKind::kIdeal;
  aimcsim::AnalogNumericsParams num;
  num.tile_rows = 4;
  num.tile_cols = 3;
  at::Generator gen = at::detail::createCPUGenerator(1);
  const at::Tensor w = at::randn({5, 7}, gen, at::kFloat);  // split: in 4+3, out 3+2
  const aimcsim::ProgrammedLayer layer(w, pcm, num, gen);
  REQUIRE(layer.split().num_tiles() == 4);
  at::Tensor w_back = at::zeros_like(w);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& ib = layer.split().in_blocks[i];
    const at::Tensor gp = layer.g_plus(i).g_prog_us[0];
    const at::Tensor gm = layer.g_minus(i).g_prog_us[0];
    CHECK(at::equal(gp * gm, at::zeros_like(gp)));  // the unused device of each pair is 0
    for (std::size_t o = 0; o < 2; ++o) {
      const auto& ob = layer.split().out_blocks[o];
      const at::Tensor tile = w.slice(0, ob.begin, ob.end()).slice(1, ib.begin, ib.end());
      const double w_max = tile.abs().max().item<double>();
      const double scale = layer.weight_scale()[0][i][o].item<double>();
      CHECK(scale == doctest::Approx(w_max));
      // The largest |W| of the tile sits at g_max on one side of the pair.
      const at::Tensor g_tile = (gp + gm).slice(0, ob.begin, ob.end());
      CHECK(g_tile.max().item<double>() == doctest::Approx(pcm.g_max_us));
      // W_back = (g+ - g-) / (g_max / max|W_tile|).
      w_back.slice(0, ob.begin, ob.end()).slice(1, ib.begin, ib.end()) =
          (gp - gm).slice(0, ob.begin, ob.end()) * (w_max / pcm.g_max_us);
    }
  }
  CHECK(at::allclose(w_back, w, 1e-6, 1e-6));
  // Compensation baselines are positive and alpha is 1 for an ideal noise-free device.
  aimcsim::AnalogNumericsParams quiet = num;
  quiet.out_noise = 0.0;
  const aimcsim::ProgrammedLayer quiet_layer(w, pcm, quiet, gen);
  CHECK(quiet_layer.compensation_baseline().min().item<double>() > 0.0);
  const auto weights = quiet_layer.weights_at(86400.0, gen);
  CHECK(at::allclose(weights.alpha, at::ones_like(weights.alpha)));
}
