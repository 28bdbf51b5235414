// test-links: aimcsim_models
// Timing rules of the hardware unit policies, each probed one step before and
// exactly at its limit (DESIGN.md s.8), and action counting/pricing.
#include <doctest/doctest.h>

#include "models/units/actions.h"
#include "models/units/aimc_tile_timing.h"
#include "models/units/digital_core_timing.h"
#include "models/units/mesh_fabric.h"
#include "models/units/sram_banks.h"

using namespace aimcsim;

namespace {

TileParams structural_tile() {
  TileParams p;
  p.numerics.tile_rows = 256;
  p.numerics.tile_cols = 256;
  p.numerics.dac_bits = 8;
  p.adcs_per_tile = 64;
  p.mvm_ns = 0.0;
  p.dac_ns = 10.0;
  p.integration_ns = 20.0;
  p.adc_conversion_ns = 5.0;
  p.accumulate_ns = 3.0;
  return p;
}

}  // namespace

TEST_CASE("AIMC MVM phases: drive + integrate + ceil(cols/adcs) ADC rounds + accumulate") {
  auto p = structural_tile();
  AimcTileTiming tile(p);
  // 64 ADCs: 64 active columns need 1 round, 65 need 2 (the boundary).
  CHECK(tile.mvm(256, 64).adc_rounds == 1);
  CHECK(tile.mvm(256, 65).adc_rounds == 2);
  CHECK(tile.mvm(256, 64).total_ps == 10'000 + 20'000 + 5'000 + 3'000);
  CHECK(tile.mvm(256, 65).total_ps == 10'000 + 20'000 + 2 * 5'000 + 3'000);
  CHECK(tile.mvm(256, 256).adc_rounds == 4);
  CHECK(tile.mvm(256, 256).convert_ps == 4 * 5'000);
  SUBCASE("bit-serial drive takes one DAC slot per input bit") {
    p.input_encoding = InputEncoding::kBitSerial;
    CHECK(AimcTileTiming(p).mvm(256, 64).drive_ps == 8 * 10'000);
  }
  SUBCASE("four-phase mode repeats every phase four times") {
    p.mvm_phases = MvmPhases::kFourPhase;
    CHECK(AimcTileTiming(p).mvm(256, 64).total_ps == 4 * 38'000);
  }
  SUBCASE("a measured MVM latency replaces the structural sum") {
    p.mvm_ns = 128.0;
    CHECK(AimcTileTiming(p).mvm(17, 3).total_ps == 128'000);
    p.mvm_phases = MvmPhases::kFourPhase;
    CHECK(AimcTileTiming(p).mvm(17, 3).total_ps == 512'000);
  }
}

TEST_CASE("AIMC MVM action counts scale with active rows, columns and phases") {
  auto p = structural_tile();
  p.mvm_phases = MvmPhases::kFourPhase;
  ActionCounts c;
  AimcTileTiming(p).count_mvms(100, 30, 7, c);
  CHECK(c.count(Action::kDacDrive) == 7 * 4 * 100);
  CHECK(c.count(Action::kCrossbarMvm) == 7 * 4);
  CHECK(c.count(Action::kCrossbarMac) == 7 * 100 * 30);
  CHECK(c.count(Action::kAdcConversion) == 7 * 4 * 30);
  CHECK(c.count(Action::kTileOutput) == 7 * 4 * 30);
}

TEST_CASE("pricing: every action lands in one kind and the kinds sum to the total") {
  EnergyTable t;
  t.dac_drive_pj = 1;
  t.adc_conversion_pj = 10;
  t.sram_read_byte_pj = 100;
  t.sram_write_byte_pj = 1000;
  ActionCounts c;
  c.add(Action::kDacDrive, 3);
  c.add(Action::kAdcConversion, 2);
  c.add(Action::kSramReadByte, 1);
  c.add(Action::kSramWriteByte, 1);
  const auto e = price(c, t);
  CHECK(e[EnergyKind::kDac] == 3);
  CHECK(e[EnergyKind::kAdc] == 20);
  CHECK(e[EnergyKind::kSram] == 1100);
  CHECK(e.total() == 1123);
  CHECK(leakage_pj(2.0, 500.0) == 1000.0);  // 2 mW for 500 ns = 1000 pJ
}

TEST_CASE("digital core: ceil(MACs / lanes) cycles, vector ceil(ops / lanes)") {
  DigitalParams p;
  p.clock_mhz = 1000.0;  // 1 ns cycle
  p.int8_mac_lanes = 256;
  p.fp16_mac_lanes = 64;
  p.vector_lanes = 16;
  DigitalCoreTiming core(p);
  CHECK(core.lane_cycles(256, DigitalPrecision::kInt8) == 1);
  CHECK(core.lane_cycles(257, DigitalPrecision::kInt8) == 2);
  CHECK(core.lane_cycles(64, DigitalPrecision::kFp16) == 1);
  CHECK(core.lane_cycles(65, DigitalPrecision::kFp16) == 2);
  CHECK(core.vector_time(16) == 1'000);
  CHECK(core.vector_time(17) == 2'000);
  CHECK(core.gemm_time({.reduction = 16, .outputs = 16, .vectors = 2}, DigitalPrecision::kInt8) ==
        2'000);
}

TEST_CASE("systolic fold model (SCALE-Sim, FACTS.md s.8)") {
  DigitalParams p;
  p.clock_mhz = 500.0;  // 2 ns cycle
  p.systolic_rows = 32;
  p.systolic_cols = 32;
  DigitalCoreTiming core(p);
  // S_r = 32 fits one row fold, 33 needs two; S_c = 32 one column fold.
  GemmShape g{.reduction = 32, .outputs = 32, .vectors = 100};
  CHECK(core.systolic_cycles(g) == 1 * (64 + 32 + 100 - 2));
  g.reduction = 33;
  CHECK(core.systolic_cycles(g) == 2 * (64 + 32 + 100 - 2));
  g.outputs = 33;
  CHECK(core.systolic_cycles(g) == 4 * (64 + 32 + 100 - 2));
  CHECK(core.gemm_time(g, DigitalPrecision::kInt8) == 2'000 * 4 * 194);
}

TEST_CASE("SRAM: lines interleave across banks, same-bank accesses beyond the ports wait") {
  SramParams p;
  p.banks = 4;
  p.ports_per_bank = 1;
  p.bytes_per_cycle_per_bank = 32;
  p.read_latency_cycles = 2;
  SramBanks sram(p);
  // 4 lines over 4 banks: all in cycle 10, data at 10 + 1 + 2.
  CHECK(sram.access(10, 0, 128) == 13);
  CHECK(sram.conflict_cycles() == 0);
  // Bank 0 was busy in cycle 10 only: a request at cycle 11 does not wait ...
  CHECK(sram.access(11, 0, 32) == 14);
  CHECK(sram.conflict_cycles() == 0);
  // ... but a second request for bank 0 in that same cycle 11 waits one cycle.
  CHECK(sram.access(11, 4 * 32, 32) == 15);
  CHECK(sram.conflict_cycles() == 1);
  // 5 lines over 4 banks: bank 0 serves two lines in a row.
  SramBanks fresh(p);
  CHECK(fresh.access(0, 0, 4 * 32) == 3);
  CHECK(fresh.access(100, 0, 5 * 32) == 104);
  CHECK(fresh.conflict_cycles() == 0);
}

TEST_CASE("SRAM: a second port removes the same-cycle conflict") {
  SramParams p;
  p.banks = 4;
  p.ports_per_bank = 2;
  p.bytes_per_cycle_per_bank = 32;
  p.read_latency_cycles = 0;
  SramBanks sram(p);
  CHECK(sram.access(5, 0, 32) == 6);
  CHECK(sram.access(5, 4 * 32, 32) == 6);
  CHECK(sram.access(5, 8 * 32, 32) == 7);  // third access to bank 0 in cycle 5
}

TEST_CASE("mesh: XY hops, cut-through latency H*L + flits, contention on a shared link") {
  FabricParams p;
  p.topology = FabricTopology::kMesh;
  p.mesh_cols = 4;
  p.mesh_rows = 4;
  p.link_bytes_per_cycle = 32;
  p.hop_latency_cycles = 2;
  MeshFabric mesh(p);
  CHECK(mesh.hops(0, 0) == 0);
  CHECK(mesh.hops(0, 3) == 3);
  CHECK(mesh.hops(0, 15) == 6);
  CHECK(mesh.hops(5, 6) == 1);
  CHECK(mesh.link_count() == 48);
  // 64 bytes = 2 flits over 3 hops: 3*2 + 2.
  CHECK(mesh.transfer(0, 0, 3, 64) == 8);
  // 65 bytes need a third flit.
  MeshFabric other(p);
  CHECK(other.transfer(0, 0, 3, 65) == 9);
  // Same-node transfer is free.
  CHECK(mesh.transfer(0, 7, 7, 1000) == 0);
  // Link 0->1 is busy during [0, 2): a transfer 0->1 at cycle 1 starts at 2.
  CHECK(mesh.transfer(1, 0, 1, 32) == 2 + 2 + 1);
  CHECK(mesh.contention_cycles() == 1);
  // At cycle 3 the link 0->1 is free again (busy until 3 now): no wait.
  CHECK(mesh.transfer(3, 0, 1, 32) == 3 + 2 + 1);
  CHECK(mesh.contention_cycles() == 1);
  // A transfer that does not share links is not delayed.
  CHECK(mesh.transfer(3, 4, 5, 32) == 3 + 2 + 1);
}

TEST_CASE("bus: one shared link, one hop between any two nodes") {
  FabricParams p;
  p.topology = FabricTopology::kBus;
  p.link_bytes_per_cycle = 16;
  p.hop_latency_cycles = 1;
  MeshFabric bus(p);
  CHECK(bus.hops(3, 40) == 1);
  CHECK(bus.transfer(0, 3, 40, 32) == 0 + 1 + 2);
  CHECK(bus.transfer(0, 7, 8, 16) == 2 + 1 + 1);  // waited for the bus until cycle 2
  CHECK(bus.contention_cycles() == 2);
}
