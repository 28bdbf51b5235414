// Perfetto JSON and VCD writers of recorded unit activity (activity_recorder.h).
#include "sim/trace/activity_recorder.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

namespace aimcsim {
namespace {

// Thread ids: tiles 1.., cores after them, then SRAM and fabric.
int track_of(UnitRef u, int tiles, int cores) {
  switch (u.kind) {
    case UnitKind::kTile:
      return 1 + u.index;
    case UnitKind::kCore:
      return 1 + tiles + u.index;
    case UnitKind::kSram:
      return 1 + tiles + cores;
    case UnitKind::kFabric:
      return 2 + tiles + cores;
  }
  return 0;
}

std::string unit_name(UnitRef u) {
  switch (u.kind) {
    case UnitKind::kTile:
      return "tile " + std::to_string(u.index);
    case UnitKind::kCore:
      return "core " + std::to_string(u.index);
    case UnitKind::kSram:
      return "sram";
    case UnitKind::kFabric:
      return "fabric";
  }
  return "?";
}

// VCD identifier of signal i (printable ASCII 33..126).
std::string vcd_id(int i) {
  std::string id;
  do {
    id += static_cast<char>(33 + i % 94);
    i /= 94;
  } while (i > 0);
  return id;
}

std::string binary(int v) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + (v & 1)));
    v >>= 1;
  } while (v > 0);
  return s;
}

}  // namespace

void ActivityRecorder::on_activity(UnitRef unit, std::string_view what, Picoseconds start_ps,
                                   Picoseconds end_ps) {
  intervals_.push_back({unit, std::string(what), start_ps, end_ps});
}

void ActivityRecorder::write_perfetto_json(std::ostream& out) const {
  nlohmann::json events = nlohmann::json::array();
  events.push_back(
      {{"ph", "M"}, {"pid", 1}, {"name", "process_name"}, {"args", {{"name", "aimcsim"}}}});
  std::vector<UnitRef> units;
  for (int t = 0; t < tiles_; ++t) units.push_back({UnitKind::kTile, t});
  for (int c = 0; c < cores_; ++c) units.push_back({UnitKind::kCore, c});
  units.push_back({UnitKind::kSram, 0});
  units.push_back({UnitKind::kFabric, 0});
  for (const auto& u : units) {
    const int tid = track_of(u, tiles_, cores_);
    events.push_back({{"ph", "M"},
                      {"pid", 1},
                      {"tid", tid},
                      {"name", "thread_name"},
                      {"args", {{"name", unit_name(u)}}}});
    events.push_back({{"ph", "M"},
                      {"pid", 1},
                      {"tid", tid},
                      {"name", "thread_sort_index"},
                      {"args", {{"sort_index", tid}}}});
  }
  std::int64_t async_id = 0;
  for (const auto& iv : intervals_) {
    const double ts_us = static_cast<double>(iv.start_ps) * 1e-6;
    const double dur_us = static_cast<double>(iv.end_ps - iv.start_ps) * 1e-6;
    const int tid = track_of(iv.unit, tiles_, cores_);
    if (iv.unit.kind == UnitKind::kTile || iv.unit.kind == UnitKind::kCore) {
      events.push_back({{"ph", "X"},
                        {"pid", 1},
                        {"tid", tid},
                        {"name", iv.what},
                        {"ts", ts_us},
                        {"dur", dur_us}});
      continue;
    }
    const std::string cat = unit_name(iv.unit);
    ++async_id;
    events.push_back({{"ph", "b"},
                      {"pid", 1},
                      {"tid", tid},
                      {"cat", cat},
                      {"id", async_id},
                      {"name", cat + " " + iv.what},
                      {"ts", ts_us}});
    events.push_back({{"ph", "e"},
                      {"pid", 1},
                      {"tid", tid},
                      {"cat", cat},
                      {"id", async_id},
                      {"name", cat + " " + iv.what},
                      {"ts", ts_us + dur_us}});
  }
  nlohmann::json doc = {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ns"}};
  out << doc.dump() << "\n";
}

void ActivityRecorder::write_vcd(std::ostream& out) const {
  const int signals = tiles_ + cores_ + 2;
  out << "$date aimcsim $end\n$version aimcsim unit activity $end\n$timescale 1 ps $end\n";
  out << "$scope module aimcsim $end\n";
  for (int t = 0; t < tiles_; ++t)
    out << "$var wire 1 " << vcd_id(t) << " tile_" << t << "_busy $end\n";
  for (int c = 0; c < cores_; ++c) {
    out << "$var wire 1 " << vcd_id(tiles_ + c) << " core_" << c << "_busy $end\n";
  }
  out << "$var integer 32 " << vcd_id(tiles_ + cores_) << " sram_transfers $end\n";
  out << "$var integer 32 " << vcd_id(tiles_ + cores_ + 1) << " fabric_transfers $end\n";
  out << "$upscope $end\n$enddefinitions $end\n";
  // Changes: +1 at start, -1 at end, per signal; busy = count > 0 for wires.
  std::map<Picoseconds, std::map<int, int>> delta;
  for (const auto& iv : intervals_) {
    if (iv.end_ps <= iv.start_ps) continue;
    const int sig = track_of(iv.unit, tiles_, cores_) - 1;
    delta[iv.start_ps][sig] += 1;
    delta[iv.end_ps][sig] -= 1;
  }
  std::vector<int> level(signals, 0);
  out << "#0\n$dumpvars\n";
  for (int s = 0; s < signals; ++s) {
    if (s < tiles_ + cores_) {
      out << "0" << vcd_id(s) << "\n";
    } else {
      out << "b0 " << vcd_id(s) << "\n";
    }
  }
  out << "$end\n";
  for (const auto& [t, changes] : delta) {
    std::string lines;
    for (const auto& [sig, d] : changes) {
      const int before = level[sig];
      level[sig] += d;
      if (sig < tiles_ + cores_) {
        if ((before > 0) != (level[sig] > 0))
          lines += (level[sig] > 0 ? "1" : "0") + vcd_id(sig) + "\n";
      } else if (d != 0) {
        lines += "b" + binary(level[sig]) + " " + vcd_id(sig) + "\n";
      }
    }
    if (!lines.empty()) out << "#" << t << "\n" << lines;
  }
}

}  // namespace aimcsim
