// im2col convolutions on analog tiles, incl. grouped and depthwise (FACTS.md s.2).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <doctest/doctest.h>

#include "models/analog/analog_conv.h"
#include "models/analog/programmed_layer.h"

namespace {

aimcsim::AnalogNumericsParams all_off() {
  aimcsim::AnalogNumericsParams p;
  p.dac_bits = 0;
  p.adc_bits = 0;
  p.out_bound = 0.0;
  p.out_noise = 0.0;
  p.tile_rows = 40;  // small tiles so that convs split over several tiles
  p.tile_cols = 12;
  return p;
}

struct ConvCase {
  std::int64_t c_in, c_out, groups, k, stride, pad, dil;
};

}  // namespace

TEST_CASE("noise-free analog conv2d equals at::conv2d (dense, grouped, depthwise, strided)") {
  at::Generator gen = at::detail::createCPUGenerator(21);
  aimcsim::PcmParams ideal;
  ideal.kind = aimcsim::DeviceModelKind::kIdeal;
  const auto num = all_off();
  for (const ConvCase& c : {ConvCase{8, 30, 1, 3, 1, 1, 1}, ConvCase{8, 16, 2, 3, 2, 1, 1},
                            ConvCase{16, 16, 16, 3, 1, 1, 1}, ConvCase{6, 24, 3, 5, 1, 2, 2},
                            ConvCase{12, 20, 4, 1, 1, 0, 1}, ConvCase{16, 32, 16, 3, 2, 0, 1}}) {
    CAPTURE(c.c_in);
    CAPTURE(c.groups);
    CAPTURE(c.k);
    const at::Tensor w = at::randn({c.c_out, c.c_in / c.groups, c.k, c.k}, gen, at::kFloat);
    const at::Tensor b = at::randn({c.c_out}, gen, at::kFloat);
    const at::Tensor x = at::randn({3, c.c_in, 11, 9}, gen, at::kFloat);
    aimcsim::Conv2dGeometry geom;
    geom.kernel = {c.k, c.k};
    geom.stride = {c.stride, c.stride};
    geom.padding = {c.pad, c.pad};
    geom.dilation = {c.dil, c.dil};
    geom.groups = c.groups;
    const at::Tensor ref = at::conv2d(x, w, b, geom.stride, geom.padding, geom.dilation, c.groups);
    const aimcsim::ProgrammedLayer layer(aimcsim::conv_weight_to_matrices(w, c.groups), ideal, num,
                                         gen);
    const at::Tensor y = aimcsim::analog_conv2d(layer.weights_at(60.0, gen), x, b, geom, num, gen);
    REQUIRE(y.sizes() == ref.sizes());
    CHECK(at::allclose(y, ref, 1e-4, 1e-4));
  }
}

TEST_CASE("im2col layout: one MVM input per output pixel and group") {
  aimcsim::Conv2dGeometry geom;
  geom.kernel = {3, 3};
  geom.padding = {1, 1};
  geom.groups = 2;
  const at::Tensor x = at::arange(2 * 4 * 5 * 6, at::kFloat).view({2, 4, 5, 6});
  const at::Tensor cols = aimcsim::conv_im2col(x, geom);
  CHECK(cols.sizes() == at::IntArrayRef({2, 2 * 5 * 6, 2 * 9}));
  // Group 1, image 1, pixel (2, 3): centre tap of channel 2 (first channel of group 1).
  const std::int64_t row = 1 * 30 + 2 * 6 + 3;
  CHECK(cols[1][row][4].item<float>() == x[1][2][2][3].item<float>());
  CHECK(aimcsim::conv_output_size(5, 6, geom) == std::array<std::int64_t, 2>{5, 6});
}

TEST_CASE("noisy analog conv: seeded, close to FP, and different per seed") {
  const at::Tensor w = at::randn({32, 1, 3, 3}, at::detail::createCPUGenerator(1), at::kFloat);
  const at::Tensor x = at::randn({4, 32, 8, 8}, at::detail::createCPUGenerator(2), at::kFloat);
  aimcsim::Conv2dGeometry geom;
  geom.kernel = {3, 3};
  geom.padding = {1, 1};
  geom.groups = 32;                         // depthwise
  const aimcsim::AnalogNumericsParams num;  // 8-bit DAC/ADC, out_noise 0.04
  const auto run = [&](std::uint64_t seed) {
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const aimcsim::ProgrammedLayer layer(aimcsim::conv_weight_to_matrices(w, 32),
                                         aimcsim::PcmParams{}, num, gen);
    return aimcsim::analog_conv2d(layer.weights_at(3600.0, gen), x, c10::nullopt, geom, num, gen);
  };
  const at::Tensor a = run(5);
  CHECK(at::equal(a, run(5)));
  CHECK_FALSE(at::equal(a, run(6)));
  const at::Tensor ref = at::conv2d(x, w, {}, 1, 1, 1, 32);
  const double rel = (a - ref).norm().item<double>() / ref.norm().item<double>();
  CHECK(rel > 0.01);
  CHECK(rel < 0.3);
}
