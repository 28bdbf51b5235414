// Resolved parameters of the digital cores (MAC arrays per precision, a vector
// unit, a local buffer, an optional weight-stationary systolic array), as the
// future digital core model's constructor takes them. Filled and validated by
// sim/config from the `[digital]` section. All cores are identical.
//
// Timing contract (DESIGN.md s.4): a MAC-array op of M MACs at precision p takes
// ceil(M / p_mac_lanes) cycles at clock_mhz; with systolic_rows/cols > 0 the
// SCALE-Sim fold model (FACTS.md s.8) is used instead. per_mac_ns > 0 selects
// the MPS paper's aggregate cost model (latency = MACs x per_mac_ns).
#pragma once

#include <cstdint>

namespace aimcsim {

enum class DigitalPrecision {
  kInt8,  // symmetric per-channel INT8 (FACTS.md s.3)
  kFp16,  // IEEE half, FP32 accumulation (FACTS.md s.3)
};

struct DigitalParams {
  int count = 4;                            // number of digital cores
  double clock_mhz = 1000.0;                // core clock [MHz]
  int int8_mac_lanes = 256;                 // INT8 MACs per cycle; 0 = INT8 unsupported
  int fp16_mac_lanes = 64;                  // FP16 MACs per cycle; 0 = FP16 unsupported
  int vector_lanes = 16;                    // element-wise ops per cycle
  std::int64_t local_buffer_bytes = 65536;  // core-local scratchpad [bytes]
  int systolic_rows = 0;                    // systolic array rows; 0 = no systolic array
  int systolic_cols = 0;                    // systolic array cols; 0 = no systolic array
  double per_mac_ns = 0.0;                  // aggregate latency per MAC [ns]; 0 = not used

  bool supports(DigitalPrecision p) const {
    return (p == DigitalPrecision::kInt8 ? int8_mac_lanes : fp16_mac_lanes) > 0;
  }
  bool has_systolic_array() const { return systolic_rows > 0 && systolic_cols > 0; }
};

}  // namespace aimcsim
