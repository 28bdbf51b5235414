// Declarations of the [tile] and [device] parameters (param_table.h).
// Defaults come from FACTS.md where it gives one; otherwise they are assumed.
#include "sim/config/param_table.h"

namespace aimcsim {
namespace {

using HC = HardwareConfig;
using TP = TileParams;
using AN = AnalogNumericsParams;
using PP = PcmParams;

constexpr EnumName<InputEncoding> kInputEncodings[] = {{InputEncoding::kBitSerial, "bit-serial"},
                                                       {InputEncoding::kPulseWidth, "pulse-width"}};
constexpr EnumName<MvmPhases> kMvmPhases[] = {{MvmPhases::kOnePhase, "one-phase"},
                                              {MvmPhases::kFourPhase, "four-phase"}};
constexpr EnumName<NoiseManagement> kNoiseManagement[] = {{NoiseManagement::kAbsMax, "abs-max"},
                                                          {NoiseManagement::kNone, "none"}};
constexpr EnumName<DeviceModelKind> kDeviceModels[] = {{DeviceModelKind::kPcmLike, "pcm-like"},
                                                       {DeviceModelKind::kIdeal, "ideal"}};
constexpr EnumName<PsumReduction> kPsumReductions[] = {{PsumReduction::kCore, "core"},
                                                       {PsumReduction::kLinks, "links"}};
constexpr double kMaxNs = 1e12;  // 1000 s: a sanity bound on any duration in ns

}  // namespace

std::vector<ParamDecl> tile_param_decls() {
  return {
      param<&HC::tile, &TP::numerics, &AN::tile_rows>("tile.rows", "rows",
                                                      "crossbar rows = inputs of one MVM")
          .required()
          .range(1, 65536),
      param<&HC::tile, &TP::numerics, &AN::tile_cols>("tile.cols", "cols",
                                                      "crossbar columns = outputs of one MVM")
          .required()
          .range(1, 65536),
      param<&HC::tile, &TP::count>("tile.count", "tiles", "AIMC tiles on the chip")
          .required()
          .range(1, 65536),
      param<&HC::tile, &TP::numerics, &AN::dac_bits>(
          "tile.dac_bits", "bits", "input DAC resolution; 0 = no input quantisation")
          .def(8)
          .range(0, 16),
      param<&HC::tile, &TP::numerics, &AN::adc_bits>(
          "tile.adc_bits", "bits", "output ADC resolution; 0 = no output quantisation")
          .def(8)
          .range(0, 16),
      param<&HC::tile, &TP::adcs_per_tile>("tile.adcs_per_tile", "ADCs",
                                           "ADCs shared by the columns; <= tile.cols")
          .required()
          .range(1, 65536),
      choice_param<&HC::tile, &TP::input_encoding>("tile.input_encoding", kInputEncodings,
                                                   "how the DACs encode an input value")
          .def("pulse-width"),
      choice_param<&HC::tile, &TP::mvm_phases>(
          "tile.mvm_phases", kMvmPhases, "phases per MVM (four-phase: 4x time, more precision)")
          .def("one-phase"),
      param<&HC::tile, &TP::mvm_ns>("tile.mvm_ns", "ns",
                                    "measured time of one MVM phase; 0 = sum of the parts below")
          .def(0.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::per_mac_ns>("tile.per_mac_ns", "ns",
                                        "aggregate latency per analog MAC (MPS model); 0 = unused")
          .def(0.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::dac_ns>("tile.dac_ns", "ns",
                                    "input drive: pulse window, or one bit slot if bit-serial")
          .def(40.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::integration_ns>("tile.integration_ns", "ns",
                                            "crossbar current integration")
          .def(20.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::adc_conversion_ns>("tile.adc_conversion_ns", "ns",
                                               "one conversion round (all ADCs in parallel)")
          .def(50.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::accumulate_ns>("tile.accumulate_ns", "ns",
                                           "tile-local digital scale/accumulate per MVM")
          .def(18.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::program_row_ns>("tile.program_row_ns", "ns",
                                            "program-and-verify one crossbar row")
          .def(1.0e4)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::four_phase_mvm_ns>(
          "tile.four_phase_mvm_ns", "ns",
          "measured time of one four-phase MVM; 0 = 4 x tile.mvm_ns")
          .def(0.0)
          .range(0, kMaxNs),
      param<&HC::tile, &TP::ldpu_clock_mhz>(
          "tile.ldpu_clock_mhz", "MHz",
          "clock of the tile's local digital unit (LDPU) that every MVM's outputs pass, "
          "pipelined with the next MVM; 0 = no separate LDPU stage")
          .def(0.0)
          .range(0, 1e5),
      param<&HC::tile, &TP::ldpu_outputs_per_cycle>("tile.ldpu_outputs_per_cycle", "outputs",
                                                    "outputs the LDPU handles per cycle")
          .def(1)
          .range(1, 65536),
      choice_param<&HC::tile, &TP::psum_reduction>(
          "tile.psum_reduction", kPsumReductions,
          "where partial sums of a layer over several input blocks are added: core = on a "
          "digital core's vector unit; links = tile to tile over core-to-core links, each "
          "LDPU adding its own partial sums as the stream passes")
          .def("core"),
      param<&HC::tile, &TP::psum_link_bytes_per_cycle>(
          "tile.psum_link_bytes_per_cycle", "bytes",
          "core-to-core link width (psum_reduction = links)")
          .def(1)
          .range(1, 65536),
      param<&HC::tile, &TP::psum_link_clock_mhz>("tile.psum_link_clock_mhz", "MHz",
                                                 "core-to-core link clock (psum_reduction = links)")
          .def(1000.0)
          .range_above(0, 1e5),
      param<&HC::tile, &TP::psum_bytes>("tile.psum_bytes", "bytes",
                                        "bytes per partial sum on the links (2 = FP16)")
          .def(2)
          .range(1, 16),
      param<&HC::tile, &TP::max_output_unroll>(
          "tile.max_output_unroll", "pixels",
          "largest number of adjacent output pixels a conv that fits one tile computes per MVM "
          "(shifted copies of its kernel on the tile, a power of two); 1 = off")
          .def(1)
          .range(1, 1024),
      param<&HC::tile, &TP::unroll_min_channels>(
          "tile.unroll_min_channels", "channels",
          "an unrolled conv's input channels take crossbar rows in groups of at least this many")
          .def(1)
          .range(1, 65536),
      param<&HC::tile, &TP::numerics, &AN::inp_bound>("tile.inp_bound", "normalised",
                                                      "DAC clip range [-inp_bound, inp_bound]")
          .def(1.0)
          .range_above(0, 1e6),
      param<&HC::tile, &TP::numerics, &AN::out_bound>("tile.out_bound", "normalised",
                                                      "ADC clip range [-out_bound, out_bound]")
          .def(10.0)
          .range_above(0, 1e6),
      param<&HC::tile, &TP::numerics, &AN::out_noise>("tile.out_noise", "normalised",
                                                      "additive output noise std (FACTS.md s.2)")
          .def(0.04)
          .range(0, 100),
      param<&HC::tile, &TP::numerics, &AN::w_noise>(
          "tile.w_noise", "normalised", "short-term read noise coefficient (FACTS.md s.2)")
          .def(0.0)
          .range(0, 100),
      choice_param<&HC::tile, &TP::numerics, &AN::noise_management>(
          "tile.noise_management", kNoiseManagement, "input scaling before the DAC")
          .def("abs-max"),
      param<&HC::tile, &TP::numerics, &AN::drift_compensation>(
          "tile.drift_compensation", "", "global drift compensation per tile (FACTS.md s.1)")
          .def(true),
      param<&HC::tile, &TP::numerics, &AN::compensation_reads>(
          "tile.compensation_reads", "reads",
          "one-hot reads averaged per drift-compensation read-out (1 = FACTS.md s.1)")
          .def(1)
          .range(1, 4096),
  };
}

std::vector<ParamDecl> device_param_decls() {
  return {
      choice_param<&HC::device, &PP::kind>("device.model", kDeviceModels,
                                           "device noise model (FACTS.md s.1)")
          .def("pcm-like"),
      param<&HC::device, &PP::g_max_us>("device.g_max_us", "uS", "max conductance of a device")
          .def(25.0)
          .range_above(0, 1e6),
      param<&HC::device, &PP::t0_s>("device.t0_s", "s", "drift reference time")
          .def(20.0)
          .range_above(0, 1e12),
      param<&HC::device, &PP::t_read_s>("device.t_read_s", "s", "duration of one read")
          .def(250e-9)
          .range_above(0, 1e3),
      param<&HC::device, &PP::prog_noise_scale>("device.prog_noise_scale", "",
                                                "multiplies sigma_prog; 0 = off")
          .def(1.0)
          .range(0, 100),
      param<&HC::device, &PP::read_noise_scale>("device.read_noise_scale", "",
                                                "multiplies Q_s (1/f read noise); 0 = off")
          .def(1.0)
          .range(0, 100),
      param<&HC::device, &PP::drift_scale>("device.drift_scale", "",
                                           "multiplies the drift exponent nu; 0 = off")
          .def(1.0)
          .range(0, 100),
  };
}

}  // namespace aimcsim
