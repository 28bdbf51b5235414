// Cost of a noisy analog evaluation against a clean FP evaluation of the same small CNN on
// 10,000 Fashion-MNIST-shaped inputs (1 x 28 x 28), measured in the same run.
// Prints the ratio analog / clean; the target is <= ~1.5 (issue 3). Not a test.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include "models/analog/analog_conv.h"
#include "models/analog/programmed_layer.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Net {
  at::Tensor c1, b1, c2, b2, f1, fb1, f2, fb2;
};

aimcsim::Conv2dGeometry conv3x3() {
  aimcsim::Conv2dGeometry g;
  g.kernel = {3, 3};
  g.padding = {1, 1};
  return g;
}

at::Tensor clean_forward(const Net& n, const at::Tensor& x) {
  at::Tensor h = at::max_pool2d(at::relu(at::conv2d(x, n.c1, n.b1, 1, 1)), 2);
  h = at::max_pool2d(at::relu(at::conv2d(h, n.c2, n.b2, 1, 1)), 2);
  h = at::relu(at::linear(h.flatten(1), n.f1, n.fb1));
  return at::linear(h, n.f2, n.fb2);
}

}  // namespace

// libsystemc (linked through aimcsim_models) references sc_main; this bench never uses it.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main() {
  at::Generator gen = at::detail::createCPUGenerator(1);
  Net n{at::randn({16, 1, 3, 3}, gen) * 0.3,   at::zeros({16}),
        at::randn({32, 16, 3, 3}, gen) * 0.08, at::zeros({32}),
        at::randn({128, 1568}, gen) * 0.025,   at::zeros({128}),
        at::randn({10, 128}, gen) * 0.09,      at::zeros({10})};
  const at::Tensor images = at::rand({10000, 1, 28, 28}, gen);
  constexpr std::int64_t kBatch = 500;
  const aimcsim::AnalogNumericsParams num;  // 8-bit DAC/ADC, out_noise 0.04, 256 x 256 tiles
  const aimcsim::PcmParams pcm;
  at::NoGradGuard no_grad;

  clean_forward(n, images.narrow(0, 0, kBatch));  // warm-up
  auto t0 = Clock::now();
  double checksum = 0.0;
  for (std::int64_t i = 0; i < images.size(0); i += kBatch) {
    checksum += clean_forward(n, images.narrow(0, i, kBatch)).sum().item<double>();
  }
  const double clean_s = seconds_since(t0);

  t0 = Clock::now();
  const aimcsim::ProgrammedLayer p1(aimcsim::conv_weight_to_matrices(n.c1, 1), pcm, num, gen);
  const aimcsim::ProgrammedLayer p2(aimcsim::conv_weight_to_matrices(n.c2, 1), pcm, num, gen);
  const aimcsim::ProgrammedLayer p3(n.f1, pcm, num, gen);
  const aimcsim::ProgrammedLayer p4(n.f2, pcm, num, gen);
  const double program_s = seconds_since(t0);

  t0 = Clock::now();
  const double t_inf = 86400.0;
  const auto w1 = p1.weights_at(t_inf, gen);
  const auto w2 = p2.weights_at(t_inf, gen);
  const auto w3 = p3.weights_at(t_inf, gen);
  const auto w4 = p4.weights_at(t_inf, gen);
  for (std::int64_t i = 0; i < images.size(0); i += kBatch) {
    const at::Tensor x = images.narrow(0, i, kBatch);
    at::Tensor h =
        at::max_pool2d(at::relu(aimcsim::analog_conv2d(w1, x, n.b1, conv3x3(), num, gen)), 2);
    h = at::max_pool2d(at::relu(aimcsim::analog_conv2d(w2, h, n.b2, conv3x3(), num, gen)), 2);
    h = at::relu(aimcsim::analog_linear(w3, h.flatten(1), n.fb1, num, gen));
    checksum += aimcsim::analog_linear(w4, h, n.fb2, num, gen).sum().item<double>();
  }
  const double analog_s = seconds_since(t0);

  std::printf("clean FP eval, 10000 images:          %.3f s\n", clean_s);
  std::printf("programming 4 layers (once per seed): %.3f s\n", program_s);
  std::printf("analog eval at 1 day (incl. weights): %.3f s\n", analog_s);
  std::printf("ratio analog / clean:                 %.2f  (target <= 1.5)\n", analog_s / clean_s);
  std::printf("(checksum %.3g)\n", checksum);
  return 0;
}
