// Occupancy timeline of one inference per unit (sections.h), from the Perfetto trace-event
// JSON that `aimcsim run --trace-out` writes (sim/trace/activity_recorder.h): complete "X"
// events on tile and core tracks, async "b"/"e" pairs on the SRAM and fabric tracks.
// Touching intervals of the same op on the same unit are merged so the page stays small.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "report/sections.h"
#include "report/vega_spec.h"

namespace aimcsim::report {
namespace {

constexpr std::size_t kMaxIntervals = 6000;  // after merging; more get coarser merging

struct Interval {
  int tid = 0;
  std::string op;
  double start_ns = 0.0;
  double end_ns = 0.0;
};

std::vector<Interval> read_intervals(const nlohmann::json& events,
                                     std::map<int, std::string>& unit_names) {
  std::vector<Interval> out;
  std::map<std::pair<int, long long>, Interval> open;  // (tid, id) -> started
  for (const auto& e : events) {
    if (!e.is_object()) continue;
    const std::string ph = string_or(e, "ph", "");
    const int tid = static_cast<int>(number_or(e, "tid", 0));
    if (ph == "M" && string_or(e, "name", "") == "thread_name" && e.contains("args")) {
      unit_names[tid] = string_or(e.at("args"), "name", "?");
    } else if (ph == "X") {
      const double ts_ns = number_or(e, "ts", 0) * 1e3;  // trace-event times are in us
      out.push_back({tid, string_or(e, "name", "?"), ts_ns, ts_ns + number_or(e, "dur", 0) * 1e3});
    } else if (ph == "b" || ph == "e") {
      const auto key = std::make_pair(tid, static_cast<long long>(number_or(e, "id", 0)));
      const double ts_ns = number_or(e, "ts", 0) * 1e3;
      if (ph == "b") {
        open[key] = {tid, string_or(e, "name", "?"), ts_ns, ts_ns};
      } else if (auto it = open.find(key); it != open.end()) {
        it->second.end_ns = ts_ns;
        out.push_back(it->second);
        open.erase(it);
      }
    }
  }
  return out;
}

// Merges intervals of the same unit and op that overlap or lie within gap_ns of each other.
std::vector<Interval> merge(std::vector<Interval> in, double gap_ns) {
  std::sort(in.begin(), in.end(), [](const Interval& a, const Interval& b) {
    return std::tie(a.tid, a.op, a.start_ns) < std::tie(b.tid, b.op, b.start_ns);
  });
  std::vector<Interval> out;
  for (Interval& iv : in) {
    if (!out.empty() && out.back().tid == iv.tid && out.back().op == iv.op &&
        iv.start_ns <= out.back().end_ns + gap_ns) {
      out.back().end_ns = std::max(out.back().end_ns, iv.end_ns);
    } else {
      out.push_back(std::move(iv));
    }
  }
  return out;
}

}  // namespace

std::vector<ChartSection> timeline_sections(const std::vector<ReportInput>& inputs) {
  std::vector<ChartSection> out;
  for (const ReportInput& in : inputs) {
    if (in.kind != InputKind::kTrace) continue;
    std::map<int, std::string> names;
    std::vector<Interval> ivs = read_intervals(in.json.at("traceEvents"), names);
    double end_ns = 0.0;
    for (const Interval& iv : ivs) end_ns = std::max(end_ns, iv.end_ns);
    ivs = merge(std::move(ivs), 0.0);
    for (double gap = end_ns / 4000; ivs.size() > kMaxIntervals; gap *= 2) {
      ivs = merge(std::move(ivs), gap);
    }
    std::map<int, double> busy_ns;
    std::map<int, int> count;
    nlohmann::json values = nlohmann::json::array();
    for (const Interval& iv : ivs) {
      const auto name = names.find(iv.tid);
      const std::string unit =
          name == names.end() ? "track " + std::to_string(iv.tid) : name->second;
      values.push_back({{"unit", unit},
                        {"tid", iv.tid},
                        {"op", iv.op},
                        {"start_ns", iv.start_ns},
                        {"end_ns", iv.end_ns}});
      busy_ns[iv.tid] += iv.end_ns - iv.start_ns;
      ++count[iv.tid];
    }
    if (values.empty()) continue;
    Table table{{"unit", "intervals (merged)", "busy [ns]", "busy / span [%]"}, {}};
    for (const auto& [tid, busy] : busy_ns) {
      const auto name = names.find(tid);
      table.rows.push_back({name == names.end() ? std::to_string(tid) : name->second,
                            std::to_string(count[tid]), fmt_num(busy),
                            fmt_num(100.0 * busy / std::max(end_ns, 1e-9), 3)});
    }
    const int units = static_cast<int>(busy_ns.size());
    const std::string title =
        "Occupancy timeline of one inference per unit [ns]: " + short_label(in.path) +
        " (wheel: zoom, drag: pan, double-click: reset)";
    const std::string command = command_of(in);
    nlohmann::json spec = vega_frame(title, command, 900, std::clamp(14 * units, 120, 900));
    const std::string full = "[0, " + fmt_num(end_ns * 1.02, 10) + "]";
    spec["data"] = {{{"name", "busy"}, {"values", std::move(values)}}};
    spec["signals"] = {
        {{"name", "down"},
         {"value", nullptr},
         {"on",
          {{{"events", "mousedown"}, {"update", "x()"}},
           {{"events", "mouseup"}, {"update", "null"}}}}},
        {{"name", "xcur"},
         {"value", nullptr},
         {"on", {{{"events", "mousedown"}, {"update", "slice(xdom)"}}}}},
        {{"name", "delta"},
         {"value", 0},
         {"on",
          {{{"events",
             {{{"source", "window"},
               {"type", "mousemove"},
               {"consume", true},
               {"between",
                {{{"type", "mousedown"}}, {{"source", "window"}, {"type", "mouseup"}}}}}}},
            {"update", "down === null ? 0 : down - x()"}}}}},
        {{"name", "anchor"},
         {"value", 0},
         {"on", {{{"events", "wheel"}, {"update", "invert('x', clamp(x(), 0, width))"}}}}},
        {{"name", "zoom"},
         {"value", 1},
         {"on",
          {{{"events", "wheel!"},
            {"force", true},
            {"update", "pow(1.001, event.deltaY * pow(16, event.deltaMode))"}}}}},
        {{"name", "xdom"},
         {"update", full},
         {"on",
          {{{"events", {{"signal", "delta"}}},
            {"update",
             "xcur === null ? xdom : [xcur[0] + span(xcur) * delta / width, xcur[1] + span(xcur) * "
             "delta / width]"}},
           {{"events", {{"signal", "zoom"}}},
            {"update", "[anchor + (xdom[0] - anchor) * zoom, anchor + (xdom[1] - anchor) * zoom]"}},
           {{"events", "dblclick"}, {"update", full}}}}}};
    spec["scales"] = {
        {{"name", "x"},
         {"type", "linear"},
         {"domain", {{"signal", "xdom"}}},
         {"range", "width"},
         {"zero", false}},
        {{"name", "y"},
         {"type", "band"},
         {"domain",
          {{"data", "busy"}, {"field", "unit"}, {"sort", {{"field", "tid"}, {"op", "min"}}}}},
         {"range", "height"},
         {"padding", 0.1}},
        category_color_scale("color", "busy", "op")};
    nlohmann::json y_axis = vega_axis("left", "y", "unit");
    y_axis["grid"] = false;
    spec["axes"] = {vega_axis("bottom", "x", "time after the inference starts [ns]"), y_axis};
    spec["marks"] = {
        {{"type", "rect"},
         {"name", "data-marks"},
         {"from", {{"data", "busy"}}},
         {"clip", true},
         {"encode",
          {{"enter",
            {{"y", {{"scale", "y"}, {"field", "unit"}}},
             {"height", {{"scale", "y"}, {"band", 1}}},
             {"fill", {{"scale", "color"}, {"field", "op"}}},
             {"fillOpacity", {{"value", 0.85}}},
             {"tooltip",
              {{"signal",
                "{'unit': datum.unit, 'op': datum.op, 'start [ns]': format(datum.start_ns, "
                "'.6~g'), 'end [ns]': format(datum.end_ns, '.6~g')}"}}}}},
           {"update",
            {{"x", {{"scale", "x"}, {"field", "start_ns"}}},
             {"x2", {{"scale", "x"}, {"field", "end_ns"}}}}}}}}};
    ChartSection s{"timeline-" + std::to_string(out.size()),
                   title,
                   command,
                   "Colour: the op a unit works on (legend omitted: hover a bar for its op).",
                   std::move(spec),
                   std::move(table)};
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace aimcsim::report
