// Benchmark (not a test): timing simulation of a ResNet-50 ImageNet-shape
// trace on configs/hermes.toml. ResNet-50 does not fit 64 tiles of 256 x 256,
// so the mapping is first-last-digital with run.allow_reprogramming (tiles
// reloaded between rounds), or all-int8 with `int8` as the first argument.
// Then (issue 14) the same mapping with the layer split and dense packing off
// ("before") and on ("after"), measured in the same run, with the ratios.
#include <iostream>
#include <string>

#include "bench/sim_bench_util.h"
#include "sim/graph/trace_reader.h"

extern "C" int sc_main(int, char*[]) { return 0; }

int main(int argc, char** argv) {
  using namespace aimcsim;
  const std::string src = AIMCSIM_SOURCE_DIR;
  const bool int8 = argc > 1 && std::string(argv[1]) == "int8";
  HardwareConfig c = load_hardware_config(src + "/configs/hermes.toml");
  c.run.allow_reprogramming = true;
  const Graph g = read_trace_file(src + "/traces/resnet50_imagenet.trace");
  const Mapping m =
      make_preset_mapping(int8 ? MappingPreset::kAllInt8 : MappingPreset::kFirstLastDigital, g);
  print_split_packing_comparison(std::cout, "resnet50 on hermes.toml", g, m, c, 1);
  const TimedRun run = timed_simulate_in_process(g, m, c, 1);
  const Report& r = run.report;
  std::cout << "resnet50 " << (int8 ? "all-int8" : "first-last-digital") << " on hermes.toml\n"
            << "  wall time          " << run.wall_s << " s\n"
            << "  ops                " << g.size() << ", MVMs " << r.mvms << "\n"
            << "  programming rounds " << r.programming_rounds << "\n"
            << "  simulated latency  " << r.latency_ns << " ns, energy " << r.energy_pj << " pJ\n";
  return 0;
}
