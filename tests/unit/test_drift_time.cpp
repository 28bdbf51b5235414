// test-links: aimcsim_models
// Drift-time parsing and printing (models/device/drift_time.h).
#include <doctest/doctest.h>

#include <string>

#include "models/device/drift_time.h"
#include "models/error.h"

using namespace aimcsim;

TEST_CASE("drift times parse with their units") {
  CHECK(parse_drift_time("0") == 0.0);
  CHECK(parse_drift_time("1s") == 1.0);
  CHECK(parse_drift_time("60s") == 60.0);
  CHECK(parse_drift_time("2min") == 120.0);
  CHECK(parse_drift_time("1h") == 3600.0);
  CHECK(parse_drift_time("1d") == 86400.0);
  CHECK(parse_drift_time("30d") == 30 * 86400.0);
  CHECK(parse_drift_time("1w") == 7 * 86400.0);
  CHECK(parse_drift_time("1y") == 365 * 86400.0);
  CHECK(parse_drift_time("0.5h") == 1800.0);
  CHECK(parse_drift_time("1e3s") == 1000.0);
  const auto list = parse_drift_times("1s,1h,1d,30d,1y");
  REQUIRE(list.size() == 5);
  CHECK(list[4] == kSecondsPerYear);
}

TEST_CASE("drift times print back in their coarsest whole unit") {
  for (const char* text : {"1s", "60s", "1h", "1d", "30d", "1y", "0s", "90s"}) {
    CHECK(format_drift_time(parse_drift_time(text)) == text);
  }
  CHECK(format_drift_time(parse_drift_time("2w")) == "14d");
  CHECK(format_drift_time(parse_drift_time("5min")) == "300s");
  CHECK(format_drift_time(0.25) == "0.25s");
}

TEST_CASE("bad drift times are errors that quote the text") {
  for (const char* text : {"", "-1s", "1", "1x", "d", "1d2", "1 d", "nans"}) {
    CAPTURE(text);
    try {
      parse_drift_time(text);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find(std::string("'") + text + "'") != std::string::npos);
    }
  }
  CHECK_THROWS_AS(parse_drift_times("1s,,1d"), Error);
  CHECK_THROWS_AS(parse_drift_times("1s,"), Error);
}
