// The hardware the engine simulates on: every unit shell of the chip, built
// once per run from the HardwareConfig (models/units/*.h hold the contracts).
#pragma once

#include <memory>
#include <systemc>
#include <vector>

#include "models/units/aimc_tile.h"
#include "models/units/digital_core.h"
#include "models/units/fabric.h"
#include "models/units/sram.h"
#include "sim/config/hardware_config.h"

namespace aimcsim {

struct Units {
  Units(const HardwareConfig& config, ActivityListener* listener);

  std::vector<std::unique_ptr<AimcTile>> tiles;
  std::vector<std::unique_ptr<DigitalCore>> cores;
  std::unique_ptr<Sram> sram;
  std::unique_ptr<Fabric> fabric;
};

// Programming rounds (placement.h): ops of round r run once all tiles of
// round r hold their weights. A gate per round counts programmed tiles.
struct RoundGates {
  std::vector<int> tiles_needed;      // per round
  std::vector<int> tiles_programmed;  // per round
  sc_core::sc_event changed;
  bool open(int round) const { return tiles_programmed[round] >= tiles_needed[round]; }
  void wait_open(int round) {
    while (!open(round)) sc_core::wait(changed);
  }
};

}  // namespace aimcsim
