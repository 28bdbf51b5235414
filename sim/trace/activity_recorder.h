// Trace listener (STYLE.md 8): records every busy interval the units report
// (activity_listener.h) and writes them as
// - Perfetto/Chrome trace-event JSON (loads in ui.perfetto.dev and
//   chrome://tracing): one process "aimcsim", one thread track per tile and
//   per core with complete ("X") events named after the op; SRAM and fabric
//   transfers, which overlap, as async ("b"/"e") events on their own tracks.
//   Timestamps in microseconds, as the format requires.
// - VCD (IEEE 1364 value change dump, timescale 1 ps): a 1-bit busy wire per
//   tile and core, and an integer count of in-flight transfers for the SRAM
//   and the fabric.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "models/units/activity_listener.h"

namespace aimcsim {

class ActivityRecorder final : public ActivityListener {
 public:
  struct Interval {
    UnitRef unit;
    std::string what;
    Picoseconds start_ps = 0;
    Picoseconds end_ps = 0;
  };

  ActivityRecorder(int tiles, int cores) : tiles_(tiles), cores_(cores) {}
  void on_activity(UnitRef unit, std::string_view what, Picoseconds start_ps,
                   Picoseconds end_ps) override;

  const std::vector<Interval>& intervals() const { return intervals_; }
  void write_perfetto_json(std::ostream& out) const;
  void write_vcd(std::ostream& out) const;

 private:
  int tiles_;
  int cores_;
  std::vector<Interval> intervals_;
};

}  // namespace aimcsim
