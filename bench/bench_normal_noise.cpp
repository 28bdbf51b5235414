// Throughput of the analog noise generator (models/analog/normal_noise.h): the vector path
// this CPU selects (AVX-512, else AVX2), the AVX2 path where the CPU has it, the portable one
// and ATen's at::randn,
// all in the same run, one thread. Not a test.
//
// Usage: bench_normal_noise [--samples 50000000] [--repeats 3]
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/analog/normal_noise.h"

namespace {

template <class F>
double best_seconds(int repeats, F&& f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

// libsystemc (linked through aimcsim_models) references sc_main; this bench never uses it.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main(int argc, char** argv) {
  std::int64_t n = 50'000'000;
  int repeats = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--samples") {
      n = std::atoll(argv[i + 1]);
    } else if (k == "--repeats") {
      repeats = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "bench_normal_noise: unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  at::set_num_threads(1);
  std::vector<float> out(static_cast<std::size_t>(n));
  const double vec =
      best_seconds(repeats, [&] { aimcsim::NormalStream(1, 2).fill(out.data(), n); });
  double avx2 = 0.0;
  if (aimcsim::force_noise_impl(aimcsim::NoiseImpl::kAvx2)) {
    avx2 = best_seconds(repeats, [&] { aimcsim::NormalStream(1, 2).fill(out.data(), n); });
  }
  aimcsim::force_noise_impl(aimcsim::NoiseImpl::kPortable);
  const double portable =
      best_seconds(repeats, [&] { aimcsim::NormalStream(1, 2).fill(out.data(), n); });
  aimcsim::force_noise_impl(aimcsim::NoiseImpl::kAuto);
  at::Generator gen = at::detail::createCPUGenerator(1);
  const double aten = best_seconds(repeats, [&] { at::randn({n}, gen); });
  std::printf("%lld samples, best of %d, 1 thread\n", static_cast<long long>(n), repeats);
  std::printf("vector path      %6.3f ns/sample (1.00; AVX-512 where the CPU has it)\n",
              1e9 * vec / n);
  if (avx2 > 0.0)
    std::printf("AVX2             %6.3f ns/sample (%.2fx the vector path)\n", 1e9 * avx2 / n,
                avx2 / vec);
  std::printf("portable         %6.3f ns/sample (%.2fx the vector path)\n", 1e9 * portable / n,
              portable / vec);
  std::printf("at::randn        %6.3f ns/sample (%.2fx the vector path)\n", 1e9 * aten / n,
              aten / vec);
  return 0;
}
