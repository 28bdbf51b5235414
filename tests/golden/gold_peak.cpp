// test-links: aimcsim_sim
// `aimcsim peak` on configs/hermes.toml against the HERMES chip figures
// (FACTS.md s.8): 63.1 TOPS / 9.76 TOPS/W one-phase, 16.1 TOPS / 2.48 TOPS/W
// four-phase; throughput within 5 %, efficiency within 10 %.
#include <doctest/doctest.h>

#include <string>

#include "sim/config/hardware_config.h"
#include "sim/report/peak.h"

using namespace aimcsim;

namespace {

const std::string kSource = AIMCSIM_SOURCE_DIR;

HardwareConfig hermes() { return load_hardware_config(kSource + "/configs/hermes.toml"); }

}  // namespace

TEST_CASE("HERMES one-phase: 63.1 TOPS (5 %) and 9.76 TOPS/W (10 %)") {
  const PeakFigures p = analog_peak(hermes());
  CHECK(p.mvm_ns == doctest::Approx(133.0));  // HERMES Table I
  CHECK(p.peak_tops == doctest::Approx(63.1).epsilon(0.05));
  CHECK(p.tops_per_w == doctest::Approx(9.76).epsilon(0.10));
}

TEST_CASE("HERMES four-phase: 16.1 TOPS (5 %) and 2.48 TOPS/W (10 %)") {
  HardwareConfig c = hermes();
  c.tile.mvm_phases = MvmPhases::kFourPhase;
  const PeakFigures p = analog_peak(c);
  CHECK(p.mvm_ns == doctest::Approx(520.0));  // HERMES Table I
  CHECK(p.peak_tops == doctest::Approx(16.1).epsilon(0.05));
  CHECK(p.tops_per_w == doctest::Approx(2.48).epsilon(0.10));
}
