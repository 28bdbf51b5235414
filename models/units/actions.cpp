#include "models/units/actions.h"

namespace aimcsim {

std::string_view action_name(Action a) {
  switch (a) {
    case Action::kDacDrive:
      return "dac_drive";
    case Action::kCrossbarMvm:
      return "crossbar_mvm";
    case Action::kCrossbarMac:
      return "crossbar_mac";
    case Action::kAdcConversion:
      return "adc_conversion";
    case Action::kTileOutput:
      return "tile_output";
    case Action::kDigitalMacInt8:
      return "digital_mac_int8";
    case Action::kDigitalMacFp16:
      return "digital_mac_fp16";
    case Action::kVectorOp:
      return "vector_op";
    case Action::kSramReadByte:
      return "sram_read_byte";
    case Action::kSramWriteByte:
      return "sram_write_byte";
    case Action::kFabricHopByte:
      return "fabric_hop_byte";
    case Action::kProgramDevice:
      return "program_device";
    case Action::kCount:
      break;
  }
  return "?";
}

std::string_view energy_kind_name(EnergyKind k) {
  switch (k) {
    case EnergyKind::kDac:
      return "dac";
    case EnergyKind::kCrossbar:
      return "crossbar";
    case EnergyKind::kAdc:
      return "adc";
    case EnergyKind::kTileDigital:
      return "tile_digital";
    case EnergyKind::kDigitalMac:
      return "digital_mac";
    case EnergyKind::kDigitalVector:
      return "digital_vector";
    case EnergyKind::kSram:
      return "sram";
    case EnergyKind::kFabric:
      return "fabric";
    case EnergyKind::kProgramming:
      return "weight_programming";
    case EnergyKind::kLeakage:
      return "leakage";
    case EnergyKind::kCount:
      break;
  }
  return "?";
}

EnergyKind energy_kind_of(Action a) {
  switch (a) {
    case Action::kDacDrive:
      return EnergyKind::kDac;
    case Action::kCrossbarMvm:
    case Action::kCrossbarMac:
      return EnergyKind::kCrossbar;
    case Action::kAdcConversion:
      return EnergyKind::kAdc;
    case Action::kTileOutput:
      return EnergyKind::kTileDigital;
    case Action::kDigitalMacInt8:
    case Action::kDigitalMacFp16:
      return EnergyKind::kDigitalMac;
    case Action::kVectorOp:
      return EnergyKind::kDigitalVector;
    case Action::kSramReadByte:
    case Action::kSramWriteByte:
      return EnergyKind::kSram;
    case Action::kFabricHopByte:
      return EnergyKind::kFabric;
    case Action::kProgramDevice:
      return EnergyKind::kProgramming;
    case Action::kCount:
      break;
  }
  return EnergyKind::kLeakage;
}

double action_price_pj(Action a, const EnergyTable& t) {
  switch (a) {
    case Action::kDacDrive:
      return t.dac_drive_pj;
    case Action::kCrossbarMvm:
      return t.crossbar_mvm_pj;
    case Action::kCrossbarMac:
      return t.crossbar_mac_pj;
    case Action::kAdcConversion:
      return t.adc_conversion_pj;
    case Action::kTileOutput:
      return t.tile_output_pj;
    case Action::kDigitalMacInt8:
      return t.digital_mac_int8_pj;
    case Action::kDigitalMacFp16:
      return t.digital_mac_fp16_pj;
    case Action::kVectorOp:
      return t.vector_op_pj;
    case Action::kSramReadByte:
      return t.sram_read_byte_pj;
    case Action::kSramWriteByte:
      return t.sram_write_byte_pj;
    case Action::kFabricHopByte:
      return t.fabric_hop_byte_pj;
    case Action::kProgramDevice:
      return t.program_device_pj;
    case Action::kCount:
      break;
  }
  return 0.0;
}

ActionCounts& ActionCounts::operator+=(const ActionCounts& other) {
  for (int i = 0; i < kActionCount; ++i) counts_[i] += other.counts_[i];
  return *this;
}

double EnergyBreakdown::total() const {
  double sum = 0.0;
  for (double v : pj) sum += v;
  return sum;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& other) {
  for (int i = 0; i < kEnergyKindCount; ++i) pj[i] += other.pj[i];
  return *this;
}

EnergyBreakdown price(const ActionCounts& counts, const EnergyTable& table) {
  EnergyBreakdown out;
  for (int i = 0; i < kActionCount; ++i) {
    const auto a = static_cast<Action>(i);
    out[energy_kind_of(a)] += static_cast<double>(counts.count(a)) * action_price_pj(a, table);
  }
  return out;
}

}  // namespace aimcsim
