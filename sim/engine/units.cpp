#include "sim/engine/units.h"

#include <string>

namespace aimcsim {

Units::Units(const HardwareConfig& config, ActivityListener* listener) {
  for (int t = 0; t < config.tile.count; ++t) {
    tiles.push_back(std::make_unique<AimcTile>(("tile_" + std::to_string(t)).c_str(), t,
                                               config.tile, listener));
  }
  for (int c = 0; c < config.digital.count; ++c) {
    cores.push_back(std::make_unique<DigitalCore>(("core_" + std::to_string(c)).c_str(), c,
                                                  config.digital, listener));
  }
  sram = std::make_unique<Sram>("sram", config.sram, listener);
  fabric = std::make_unique<Fabric>("fabric", config.fabric, config.tile.count,
                                    config.digital.count, listener);
}

}  // namespace aimcsim
