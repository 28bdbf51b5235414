// Declarations of the [digital], [sram], [fabric] and [run] parameters
// (param_table.h). Defaults are assumed values of a small 1 GHz system.
#include "sim/config/param_table.h"

namespace aimcsim {
namespace {

using HC = HardwareConfig;
using DP = DigitalParams;
using SP = SramParams;
using FP = FabricParams;
using RP = RunParams;

constexpr EnumName<FabricTopology> kTopologies[] = {{FabricTopology::kBus, "bus"},
                                                    {FabricTopology::kMesh, "mesh"}};
constexpr EnumName<DigitalPrecision> kPrecisions[] = {{DigitalPrecision::kInt8, "int8"},
                                                      {DigitalPrecision::kFp16, "fp16"}};
constexpr EnumName<WeightDuplication> kDuplications[] = {{WeightDuplication::kOff, "off"},
                                                         {WeightDuplication::kAuto, "auto"}};
constexpr EnumName<DigitalSplit> kSplits[] = {{DigitalSplit::kOff, "off"},
                                              {DigitalSplit::kAuto, "auto"}};
constexpr EnumName<TilePacking> kPackings[] = {{TilePacking::kDiagonal, "diagonal"},
                                               {TilePacking::kDense, "dense"}};
constexpr double kMaxMhz = 1e5;
constexpr double kMaxBytes = 1e15;

}  // namespace

std::vector<ParamDecl> digital_param_decls() {
  return {
      param<&HC::digital, &DP::count>("digital.count", "cores", "digital cores on the chip")
          .required()
          .range(1, 4096),
      param<&HC::digital, &DP::clock_mhz>("digital.clock_mhz", "MHz", "core clock")
          .required()
          .range_above(0, kMaxMhz),
      param<&HC::digital, &DP::int8_mac_lanes>("digital.int8_mac_lanes", "MACs/cycle",
                                               "INT8 MAC lanes per core; 0 = no INT8")
          .required()
          .range(0, 1 << 20),
      param<&HC::digital, &DP::fp16_mac_lanes>("digital.fp16_mac_lanes", "MACs/cycle",
                                               "FP16 MAC lanes per core; 0 = no FP16")
          .required()
          .range(0, 1 << 20),
      param<&HC::digital, &DP::vector_lanes>("digital.vector_lanes", "ops/cycle",
                                             "element-wise vector lanes per core")
          .def(16)
          .range(1, 1 << 20),
      param<&HC::digital, &DP::local_buffer_bytes>("digital.local_buffer_bytes", "bytes",
                                                   "core-local scratchpad")
          .def(65536)
          .range(0, kMaxBytes),
      param<&HC::digital, &DP::systolic_rows>("digital.systolic_rows", "PEs",
                                              "systolic array rows; 0 = no systolic array")
          .def(0)
          .range(0, 4096),
      param<&HC::digital, &DP::systolic_cols>("digital.systolic_cols", "PEs",
                                              "systolic array cols; 0 = no systolic array")
          .def(0)
          .range(0, 4096),
      param<&HC::digital, &DP::per_mac_ns>(
          "digital.per_mac_ns", "ns", "aggregate latency per digital MAC (MPS model); 0 = unused")
          .def(0.0)
          .range(0, 1e12),
  };
}

std::vector<ParamDecl> memory_param_decls() {
  return {
      param<&HC::sram, &SP::size_bytes>("sram.size_bytes", "bytes", "shared SRAM capacity")
          .required()
          .range(1, kMaxBytes),
      param<&HC::sram, &SP::banks>("sram.banks", "banks", "independent banks; divide size_bytes")
          .def(16)
          .range(1, 65536),
      param<&HC::sram, &SP::ports_per_bank>("sram.ports_per_bank", "ports",
                                            "accesses per bank per cycle")
          .def(1)
          .range(1, 16),
      param<&HC::sram, &SP::bytes_per_cycle_per_bank>("sram.bytes_per_cycle_per_bank", "bytes",
                                                      "width of one bank access")
          .def(32)
          .range(1, 1 << 16),
      param<&HC::sram, &SP::clock_mhz>("sram.clock_mhz", "MHz", "SRAM clock")
          .def(1000.0)
          .range_above(0, kMaxMhz),
      param<&HC::sram, &SP::read_latency_cycles>("sram.read_latency_cycles", "cycles",
                                                 "cycles from grant to data")
          .def(2)
          .range(0, 1000),
      choice_param<&HC::fabric, &FP::topology>("fabric.topology", kTopologies,
                                               "interconnect of tiles, cores and SRAM")
          .def("mesh"),
      param<&HC::fabric, &FP::mesh_cols>("fabric.mesh_cols", "routers", "mesh width; 0 for a bus")
          .def(0)
          .range(0, 1024),
      param<&HC::fabric, &FP::mesh_rows>("fabric.mesh_rows", "routers", "mesh height; 0 for a bus")
          .def(0)
          .range(0, 1024),
      param<&HC::fabric, &FP::link_bytes_per_cycle>("fabric.link_bytes_per_cycle", "bytes",
                                                    "link width = flit size")
          .def(32)
          .range(1, 1 << 16),
      param<&HC::fabric, &FP::hop_latency_cycles>("fabric.hop_latency_cycles", "cycles",
                                                  "router + link traversal per hop")
          .def(2)
          .range(0, 1000),
      param<&HC::fabric, &FP::clock_mhz>("fabric.clock_mhz", "MHz", "fabric clock")
          .def(1000.0)
          .range_above(0, kMaxMhz),
  };
}

std::vector<ParamDecl> run_param_decls() {
  return {
      param<&HC::run, &RP::seed>("run.seed", "", "seed of every random draw of the run")
          .def(1)
          .range(0, 9.007199254740992e15),  // 2^53: exact in a double-backed range check
      param<&HC::run, &RP::batch_size>("run.batch_size", "inputs", "inputs simulated per run")
          .def(1)
          .range(1, 1 << 24),
      param<&HC::run, &RP::t_inference_s>("run.t_inference_s", "s",
                                          "time after programming at which inference runs")
          .def(86400.0)
          .range(0, 1e10),
      param<&HC::run, &RP::allow_reprogramming>(
          "run.allow_reprogramming", "",
          "reload tile weights when the model does not fit; false = placement error")
          .def(false),
      choice_param<&HC::run, &RP::digital_precision>(
          "run.digital_precision", kPrecisions,
          "precision of digital ops the mapping does not assign (softmax, norms, ...)")
          .def("fp16"),
      choice_param<&HC::run, &RP::weight_duplication>(
          "run.weight_duplication", kDuplications,
          "auto = copy the analog ops that bound throughput onto the tiles the placement left "
          "empty (largest per-replica MVM time first); their MVMs split over the replicas")
          .def("off"),
      choice_param<&HC::run, &RP::digital_split>(
          "run.digital_split", kSplits,
          "auto = a digital conv/linear/matmul runs on the number of cores (and the axis: "
          "output channels or output positions) the timing rule says is fastest, its parts "
          "gathered over the fabric; off = one core per layer")
          .def("off"),
      choice_param<&HC::run, &RP::tile_packing>(
          "run.tile_packing", kPackings,
          "diagonal = blocks sharing a tile own disjoint rows and columns; dense = if that "
          "does not fit the chip, blocks of different layers may also share rows or columns "
          "(they take turns on the tile; one layer's blocks stay block-diagonal)")
          .def("diagonal"),
      param<&HC::run, &RP::layer_pipelining>(
          "run.layer_pipelining", "",
          "a consumer chunk starts once the producer chunks holding the input rows it reads "
          "have drained (row-local ops); false = every op waits for its producers' whole sample")
          .def(true),
  };
}

}  // namespace aimcsim
