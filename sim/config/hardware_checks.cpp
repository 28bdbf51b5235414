// Cross-field rules of HardwareConfig (hardware_checks.h).
#include "sim/config/hardware_checks.h"

#include <fmt/format.h>

namespace aimcsim {
namespace {

class Checker {
 public:
  Checker(const HardwareConfig& c, Diagnostics& d) : c_(c), d_(d) {}

  // Reports `message` about `key`, located where `key` was set; if it was left
  // at its default, where `related` was set; else at line 1 of the top file.
  void fail(const std::string& key, const std::string& message, const std::string& related = "") {
    SourceLoc where = c_.source_of(key);
    if (where.is_default() && !related.empty()) where = c_.source_of(related);
    if (where.is_default()) where = SourceLoc{c_.source_file, 1};
    d_.add(where, key, message);
  }

  void tile() {
    const TileParams& t = c_.tile;
    if (t.adcs_per_tile > t.cols()) {
      fail("tile.adcs_per_tile",
           fmt::format("expected <= tile.cols = {} (one ADC serves at least one column), got {}",
                       t.cols(), t.adcs_per_tile));
    }
    if (t.input_encoding == InputEncoding::kBitSerial && t.numerics.dac_bits == 0) {
      fail("tile.dac_bits",
           "expected >= 1 with input_encoding = \"bit-serial\" (one slot per bit)");
    }
    if (t.mvm_ns > 0 && t.per_mac_ns > 0) {
      fail("tile.per_mac_ns", fmt::format("expected 0 when tile.mvm_ns is set ({} ns): give one "
                                          "timing model, not both",
                                          t.mvm_ns));
    }
  }

  void digital() {
    const DigitalParams& p = c_.digital;
    if (p.int8_mac_lanes == 0 && p.fp16_mac_lanes == 0) {
      fail("digital.int8_mac_lanes",
           "expected int8_mac_lanes or fp16_mac_lanes > 0: a core must support one precision",
           "digital.fp16_mac_lanes");
    }
    if (!p.supports(c_.run.digital_precision)) {
      const bool int8 = c_.run.digital_precision == DigitalPrecision::kInt8;
      fail("run.digital_precision",
           fmt::format("\"{}\" needs digital.{}_mac_lanes > 0, but it is 0", int8 ? "int8" : "fp16",
                       int8 ? "int8" : "fp16"),
           int8 ? "digital.int8_mac_lanes" : "digital.fp16_mac_lanes");
    }
    if ((p.systolic_rows > 0) != (p.systolic_cols > 0)) {
      fail("digital.systolic_cols",
           fmt::format("expected systolic_rows and systolic_cols both 0 or both > 0, got {} x {}",
                       p.systolic_rows, p.systolic_cols),
           "digital.systolic_rows");
    }
  }

  void memory() {
    const SramParams& s = c_.sram;
    if (s.size_bytes % s.banks != 0) {
      fail("sram.size_bytes",
           fmt::format("expected a multiple of sram.banks = {}, got {}", s.banks, s.size_bytes),
           "sram.banks");
    }
    const FabricParams& f = c_.fabric;
    const int units = c_.tile.count + c_.digital.count;
    if (f.topology == FabricTopology::kMesh) {
      if (f.mesh_cols == 0 || f.mesh_rows == 0) {
        fail("fabric.mesh_cols", "expected mesh_cols and mesh_rows > 0 for topology = \"mesh\"",
             "fabric.topology");
      } else if (static_cast<long long>(f.mesh_cols) * f.mesh_rows < units) {
        fail("fabric.mesh_rows",
             fmt::format("mesh {} x {} = {} routers is fewer than tile.count + digital.count = {} "
                         "(one unit per router)",
                         f.mesh_cols, f.mesh_rows, f.mesh_cols * f.mesh_rows, units));
      }
    } else if (f.mesh_cols != 0 || f.mesh_rows != 0) {
      fail("fabric.mesh_cols", "expected mesh_cols = mesh_rows = 0 for topology = \"bus\"",
           "fabric.mesh_rows");
    }
  }

 private:
  const HardwareConfig& c_;
  Diagnostics& d_;
};

}  // namespace

void check_hardware_consistency(const HardwareConfig& config, Diagnostics& diagnostics) {
  Checker checker(config, diagnostics);
  checker.tile();
  checker.digital();
  checker.memory();
}

}  // namespace aimcsim
