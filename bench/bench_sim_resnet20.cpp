// Benchmark (not a test): wall time of the timing simulation of one ResNet-20
// CIFAR inference, and simulated MVMs per wall second. Aim (issue 4): under 1 s
// and over 1e6 MVM/s.
// Part 1 (issue 14): the same trace on configs/mps-paper.toml, all-analog and
// all-digital, with the layer split and dense packing off ("before": one core per
// digital layer, diagonal packing) and on ("after": run.digital_split = auto,
// run.tile_packing = dense), measured in the same run (each in a forked child);
// prints after/before ratios.
// Part 2: all-analog on configs/hermes.toml (issue 4's figure), in this process
// (after the children, since SystemC elaborates once per process).
// Usage: bench_sim_resnet20 [samples] [pipelining on|off] [duplication off|auto]
// (defaults: 1, the config's run.layer_pipelining / run.weight_duplication).
#include <cstdlib>
#include <iostream>
#include <string>

#include "bench/sim_bench_util.h"
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
  const HardwareConfig mps = load_hardware_config(src + "/configs/mps-paper.toml");
  for (const MappingPreset p : {MappingPreset::kAllAnalog, MappingPreset::kAllDigital}) {
    print_split_packing_comparison(std::cout, "resnet20 on mps-paper.toml", g,
                                   make_preset_mapping(p, g), mps, samples);
  }
  const TimedRun run = timed_simulate_in_process(g, m, c, samples);
  const Report& r = run.report;
  const double mvms = static_cast<double>(r.mvms) * samples;
  std::cout << "resnet20 all-analog on hermes.toml, " << samples << " sample(s), pipelining "
            << (r.layer_pipelining ? "on" : "off") << ", duplication " << r.weight_duplication
            << " (" << r.tiles_used << " tiles)\n"
            << "  wall time          " << run.wall_s << " s (aim < 1 s per inference)\n"
            << "  simulated MVMs     " << mvms << "\n"
            << "  MVMs per wall s    " << mvms / run.wall_s << " (aim > 1e6)\n"
            << "  simulated latency  " << r.latency_ns << " ns, throughput "
            << r.throughput_inf_per_s << " inf/s\n";
  return 0;
}
