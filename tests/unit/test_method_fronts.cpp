// test-links: aimcsim_mapping
// Per-method hypervolumes of a comparison (mapping/method_fronts.h): family names from
// compare labels, normalisation by the all-digital row, hand-computed volumes.
#include <doctest/doctest.h>

#include "mapping/method_fronts.h"
#include "models/error.h"

using namespace aimcsim;
using namespace aimcsim::mapping;

TEST_CASE("method fronts: families from compare labels") {
  CHECK(method_family("all-digital") == "all-digital");
  CHECK(method_family("mps (resnet20-lowres-mps)") == "mps");
  CHECK(method_family("mps front (resnet20-lowres-mps.front-2)") == "mps");
  CHECK(method_family("hilal-energy (resnet20-hilal-energy.front-0)") == "hilal-energy");
  CHECK(method_family("front") == "front");  // nothing left to strip
}

TEST_CASE("method fronts: hypervolume per family, normalised by all-digital") {
  // all-digital: error 0.1, 100 ns, 200 pJ. Reference (2, 1, 1) in those units.
  const std::vector<MethodPoint> points{
      {"all-digital", 0.1, 100.0, 200.0},
      {"a", 0.1, 50.0, 100.0},   // (1, 0.5, 0.5): box 1 x 0.5 x 0.5 = 0.25
      {"b", 0.15, 50.0, 50.0},   // (1.5, 0.5, 0.25): 0.5 x 0.5 x 0.75 = 0.1875
      {"b", 0.05, 90.0, 180.0},  // (0.5, 0.9, 0.9): 1.5 x 0.1 x 0.1 = 0.015
      {"c", 0.3, 10.0, 10.0},    // error 3x all-digital: beyond the reference, volume 0
      {"b", 0.2, 60.0, 60.0},    // (2, 0.6, 0.3): dominated by b's first point
  };
  const auto hv = family_hypervolumes(points, {2.0, 1.0, 1.0});
  REQUIRE(hv.size() == 4);
  CHECK(hv[0].family == "all-digital");
  CHECK(hv[0].hypervolume == 0.0);  // not better than itself in latency or energy
  CHECK(hv[1].hypervolume == doctest::Approx(0.25));
  CHECK(hv[2].family == "b");
  CHECK(hv[2].points == 3);
  CHECK(hv[2].front_points == 2);
  // b's two boxes: [1.5,2]x[0.5,1]x[0.25,1] = 0.1875 and [0.5,2]x[0.9,1]x[0.9,1] = 0.015,
  // overlapping in [1.5,2]x[0.9,1]x[0.9,1] = 0.005.
  CHECK(hv[2].hypervolume == doctest::Approx(0.1875 + 0.015 - 0.005));
  CHECK(hv[3].hypervolume == 0.0);
  CHECK_THROWS_AS(family_hypervolumes({{"a", 0.1, 1.0, 1.0}}, {2.0, 1.0, 1.0}), Error);
}
