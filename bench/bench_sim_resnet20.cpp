// Benchmark (not a test): wall time of the timing simulation of one ResNet-20
// CIFAR inference, all-analog on configs/hermes.toml, and simulated MVMs per
// wall second. Aim (issue 4): under 1 s and over 1e6 MVM/s.
// Usage: bench_sim_resnet20 [samples] [pipelining on|off] [duplication off|auto]
// (defaults: 1, the config's run.layer_pipelining / run.weight_duplication).
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "sim/config/hardware_config.h"
#include "sim/engine/engine.h"
#include "sim/graph/trace_reader.h"

extern "C" int sc_main(int, char*[]) { return 0; }

int main(int argc, char** argv) {
  using namespace aimcsim;
  const std::string src = AIMCSIM_SOURCE_DIR;
  const int samples = argc > 1 ? std::atoi(argv[1]) : 1;
  HardwareConfig c = load_hardware_config(src + "/configs/hermes.toml");
  if (argc > 2) c.run.layer_pipelining = std::string(argv[2]) != "off";
  if (argc > 3) {
    c.run.weight_duplication =
        std::string(argv[3]) == "auto" ? WeightDuplication::kAuto : WeightDuplication::kOff;
  }
  const Graph g = read_trace_file(src + "/traces/resnet20_cifar.trace");
  const Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  const auto t0 = std::chrono::steady_clock::now();
  const Report r = simulate(g, m, c, {.samples = samples, .listener = nullptr});
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double mvms = static_cast<double>(r.mvms) * samples;
  std::cout << "resnet20 all-analog on hermes.toml, " << samples << " sample(s), pipelining "
            << (r.layer_pipelining ? "on" : "off") << ", duplication " << r.weight_duplication
            << " (" << r.tiles_used << " tiles)\n"
            << "  wall time          " << wall_s << " s (aim < 1 s per inference)\n"
            << "  simulated MVMs     " << mvms << "\n"
            << "  MVMs per wall s    " << mvms / wall_s << " (aim > 1e6)\n"
            << "  simulated latency  " << r.latency_ns << " ns, throughput "
            << r.throughput_inf_per_s << " inf/s\n";
  return 0;
}
