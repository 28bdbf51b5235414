// Actions that the hardware units count, and their pricing by the energy table.
//
// Contract (STYLE.md 6): units never hold a pJ constant. Each unit adds counts
// of the actions it performs to an ActionCounts; price() multiplies each count
// by its EnergyTable entry; leakage is priced separately as power x time.
// Every action belongs to exactly one unit kind, so the per-kind breakdown sums
// to the total.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "models/params/energy_table.h"

namespace aimcsim {

enum class Action : int {
  kDacDrive,        // one input value driven onto a crossbar row (per phase)
  kCrossbarMvm,     // one full-tile MVM phase (array energy)
  kCrossbarMac,     // one analog MAC (aggregate model, MPS paper)
  kAdcConversion,   // one ADC conversion = one output value (per phase)
  kTileOutput,      // tile-local scale/accumulate of one output value
  kDigitalMacInt8,  // one INT8 MAC on a digital core
  kDigitalMacFp16,  // one FP16 MAC on a digital core
  kVectorOp,        // one element-wise op on a vector unit
  kSramReadByte,    // one byte read from the shared SRAM
  kSramWriteByte,   // one byte written to the shared SRAM
  kFabricHopByte,   // one byte moved across one fabric hop
  kProgramDevice,   // one PCM device programmed (program-and-verify)
  kCount
};
inline constexpr int kActionCount = static_cast<int>(Action::kCount);

// Energy breakdown categories of a report (issue 4: DAC, crossbar, ADC, digital
// MAC, digital vector, SRAM, fabric, weight programming, leakage).
enum class EnergyKind : int {
  kDac,
  kCrossbar,
  kAdc,
  kTileDigital,
  kDigitalMac,
  kDigitalVector,
  kSram,
  kFabric,
  kProgramming,
  kLeakage,
  kCount
};
inline constexpr int kEnergyKindCount = static_cast<int>(EnergyKind::kCount);

std::string_view action_name(Action a);           // e.g. "adc_conversion"
std::string_view energy_kind_name(EnergyKind k);  // e.g. "adc" (JSON key stem)
EnergyKind energy_kind_of(Action a);
double action_price_pj(Action a, const EnergyTable& table);

// Counts of actions; additive.
class ActionCounts {
 public:
  void add(Action a, std::int64_t n) { counts_[static_cast<int>(a)] += n; }
  std::int64_t count(Action a) const { return counts_[static_cast<int>(a)]; }
  ActionCounts& operator+=(const ActionCounts& other);

 private:
  std::array<std::int64_t, kActionCount> counts_{};
};

// Energy per breakdown kind [pJ]; total() is the exact sum of the kinds.
struct EnergyBreakdown {
  std::array<double, kEnergyKindCount> pj{};
  double& operator[](EnergyKind k) { return pj[static_cast<int>(k)]; }
  double operator[](EnergyKind k) const { return pj[static_cast<int>(k)]; }
  double total() const;
  EnergyBreakdown& operator+=(const EnergyBreakdown& other);
};

// Dynamic energy of the counted actions [pJ], by kind (leakage stays 0).
EnergyBreakdown price(const ActionCounts& counts, const EnergyTable& table);

// Leakage energy [pJ] of `power_mw` held for `time_ns`: mW x ns = pJ.
inline double leakage_pj(double power_mw, double time_ns) { return power_mw * time_ns; }

}  // namespace aimcsim
