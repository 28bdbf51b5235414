// Pareto charts (sections.h): accuracy, latency and energy of compare rows, of every front a
// map report lists and of sweep points, one chart per pair of objectives that some input
// carries. Fronts are found generically: a "front" array at the top of a map report or in any
// of its objects (hilal_energy.front today; other searches add theirs), each point an object
// with metrics named as in the reports (accuracy_mean or accuracy, latency_ns, energy_pj,
// delta_loss, analog_mac_ratio). Baselines (compare rows of kind "baseline") are crosses;
// each series' non-dominated points in the chart's two objectives are joined by a line.
#include <algorithm>
#include <optional>
#include <string>

#include "report/sections.h"
#include "report/vega_spec.h"

namespace aimcsim::report {
namespace {

struct Metric {
  const char* id;
  const char* title;  // axis title with unit
  double scale;       // report value -> axis value
  bool maximise;
};

const Metric kAccuracy{"accuracy", "test accuracy [%]", 100.0, true};
const Metric kLatency{"latency_ns", "latency per inference [us]", 1e-3, false};
const Metric kEnergy{"energy_pj", "energy per inference [uJ]", 1e-6, false};
const Metric kDeltaLoss{"delta_loss", "HILAL sensitivity: estimated loss increase", 1.0, false};
const Metric kAnalogRatio{"analog_mac_ratio", "analog MAC ratio [%]", 100.0, true};

std::optional<double> metric_of(const nlohmann::json& p, const Metric& m) {
  if (std::string(m.id) == "accuracy") {
    for (const char* key : {"accuracy_mean", "accuracy"}) {
      if (p.contains(key) && p.at(key).is_number()) return p.at(key).get<double>() * m.scale;
    }
    return std::nullopt;
  }
  if (p.contains(m.id) && p.at(m.id).is_number()) return p.at(m.id).get<double>() * m.scale;
  return std::nullopt;
}

// "key=value, ..." of a sweep point's axes.
std::string axes_text(const nlohmann::json& point) {
  std::string out;
  if (!point.contains("axes") || !point.at("axes").is_object()) return out;
  for (const auto& [k, v] : point.at("axes").items()) {
    out += (out.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

struct Point {
  std::string series, label, kind;  // kind: "point", "baseline", "selected" (a map's choice)
  const nlohmann::json* metrics;
};

std::vector<Point> collect_points(const std::vector<ReportInput>& inputs,
                                  std::vector<const ReportInput*>& used) {
  std::vector<Point> points;
  for (const ReportInput& in : inputs) {
    const std::size_t before = points.size();
    const std::string file = short_label(in.path);
    if (in.kind == InputKind::kCompare) {
      for (const auto& row : in.json.at("rows")) {
        const bool baseline = row.contains("method_report") &&
                              string_or(row.at("method_report"), "kind", "") == "baseline";
        points.push_back({"compare (" + file + ")", string_or(row, "method", "?"),
                          baseline ? "baseline" : "point", &row});
      }
    } else if (in.kind == InputKind::kMap) {
      const std::string method = string_or(in.json, "method", "?");
      auto add_front = [&](const nlohmann::json& owner) {
        const int selected = static_cast<int>(number_or(owner, "selected_point", -1));
        int i = 0;
        for (const auto& p : owner.at("front")) {
          if (p.is_object()) {
            points.push_back({"map " + method + " front (" + file + ")",
                              "front-" + std::to_string(i), i == selected ? "selected" : "point",
                              &p});
          }
          ++i;
        }
      };
      if (in.json.contains("front") && in.json.at("front").is_array()) add_front(in.json);
      for (const auto& [key, value] : in.json.items()) {
        if (value.is_object() && value.contains("front") && value.at("front").is_array())
          add_front(value);
      }
    } else if (in.kind == InputKind::kSweep) {
      for (const auto& p : in.json.at("points")) {
        if (p.contains("metrics") && p.at("metrics").is_object()) {
          points.push_back({"sweep " + string_or(in.json.at("sweep"), "name", file), axes_text(p),
                            "point", &p.at("metrics")});
        }
      }
    }
    if (points.size() > before) used.push_back(&in);
  }
  return points;
}

bool dominates(double ax, double ay, double bx, double by, const Metric& x, const Metric& y) {
  const double sx = x.maximise ? 1 : -1, sy = y.maximise ? 1 : -1;
  return sx * ax >= sx * bx && sy * ay >= sy * by && (ax != bx || ay != by);
}

std::optional<ChartSection> pair_section(const std::vector<Point>& points, const Metric& y,
                                         const Metric& x, const std::string& commands, int index) {
  struct Row {
    const Point* p;
    double x, y;
  };
  std::vector<Row> rows;
  for (const Point& p : points) {
    const auto vx = metric_of(*p.metrics, x), vy = metric_of(*p.metrics, y);
    if (vx && vy) rows.push_back({&p, *vx, *vy});
  }
  if (rows.empty()) return std::nullopt;
  nlohmann::json values = nlohmann::json::array();
  Table table{{"series", "point", "kind", x.title, y.title, "non-dominated"}, {}};
  for (const Row& r : rows) {
    bool front = true;
    for (const Row& o : rows) {
      if (o.p->series == r.p->series && dominates(o.x, o.y, r.x, r.y, x, y)) front = false;
    }
    values.push_back({{"series", r.p->series},
                      {"label", r.p->label},
                      {"kind", r.p->kind},
                      {"x", r.x},
                      {"y", r.y},
                      {"front", front}});
    table.rows.push_back(
        {r.p->series, r.p->label, r.p->kind, fmt_num(r.x), fmt_num(r.y), front ? "yes" : ""});
  }
  const std::string title = std::string(y.title) + " against " + x.title +
                            ": points, baselines (crosses) and each series' non-dominated front";
  nlohmann::json spec = vega_frame(title, commands, 560, 320);
  spec["data"] = {{{"name", "points"}, {"values", values}},
                  {{"name", "front"},
                   {"source", "points"},
                   {"transform", {{{"type", "filter"}, {"expr", "datum.front"}}}}}};
  spec["scales"] = {{{"name", "x"},
                     {"type", "linear"},
                     {"domain", {{"data", "points"}, {"field", "x"}}},
                     {"range", "width"},
                     {"nice", true},
                     {"zero", false},
                     {"padding", 10}},
                    {{"name", "y"},
                     {"type", "linear"},
                     {"domain", {{"data", "points"}, {"field", "y"}}},
                     {"range", "height"},
                     {"nice", true},
                     {"zero", false},
                     {"padding", 10}},
                    category_color_scale("color", "points", "series"),
                    {{"name", "shape"},
                     {"type", "ordinal"},
                     {"domain", {"point", "baseline", "selected"}},
                     {"range", {"circle", "cross", "diamond"}}}};
  spec["axes"] = {vega_axis("bottom", "x", x.title), vega_axis("left", "y", y.title)};
  spec["legends"] = {{{"fill", "color"},
                      {"title", "series"},
                      {"orient", "bottom"},
                      {"direction", "vertical"},
                      {"labelLimit", 500}},
                     {{"shape", "shape"}, {"title", "point kind"}, {"orient", "right"}}};
  spec["marks"] = {
      {{"type", "group"},
       {"from", {{"facet", {{"name", "one"}, {"data", "front"}, {"groupby", "series"}}}}},
       {"marks",
        {{{"type", "line"},
          {"from", {{"data", "one"}}},
          {"sort", {{"field", "datum.x"}}},
          {"encode",
           {{"enter",
             {{"x", {{"scale", "x"}, {"field", "x"}}},
              {"y", {{"scale", "y"}, {"field", "y"}}},
              {"stroke", {{"scale", "color"}, {"field", "series"}}},
              {"strokeOpacity", {{"value", 0.6}}},
              {"interpolate", {{"value", "step-after"}}}}}}}}}}},
      {{"type", "symbol"},
       {"name", "data-marks"},
       {"from", {{"data", "points"}}},
       {"encode",
        {{"enter",
          {{"x", {{"scale", "x"}, {"field", "x"}}},
           {"y", {{"scale", "y"}, {"field", "y"}}},
           {"shape", {{"scale", "shape"}, {"field", "kind"}}},
           {"fill", {{"scale", "color"}, {"field", "series"}}},
           {"size", {{"signal", "datum.kind === 'point' ? 60 : 140"}}},
           {"stroke", {{"value", "#333333"}}},
           {"strokeWidth", {{"signal", "datum.kind === 'point' ? 0 : 1"}}},
           {"tooltip",
            {{"signal",
              "{'series': datum.series, 'point': datum.label, 'x': format(datum.x, '.4~g'), 'y': "
              "format(datum.y, '.4~g')}"}}}}}}}},
      {{"type", "text"},
       {"from", {{"data", "points"}}},
       {"encode",
        {{"enter",
          {{"x", {{"scale", "x"}, {"field", "x"}, {"offset", 7}}},
           {"y", {{"scale", "y"}, {"field", "y"}, {"offset", -6}}},
           {"text",
            {{"signal",
              "indexof(datum.series, 'compare') === 0 || datum.kind !== 'point' ? datum.label : "
              "''"}}},
           {"fontSize", {{"value", 9}}},
           {"fill", {{"value", "#333333"}}}}}}}}};
  return ChartSection{
      "pareto-" + std::to_string(index), title, commands, "", std::move(spec), std::move(table)};
}

}  // namespace

std::vector<ChartSection> pareto_sections(const std::vector<ReportInput>& inputs) {
  std::vector<const ReportInput*> used;
  const std::vector<Point> points = collect_points(inputs, used);
  if (points.empty()) return {};
  std::string commands;
  for (const ReportInput* in : used) commands += (commands.empty() ? "" : "; ") + command_of(*in);
  const std::pair<Metric, Metric> pairs[] = {{kAccuracy, kLatency},
                                             {kAccuracy, kEnergy},
                                             {kEnergy, kLatency},
                                             {kDeltaLoss, kEnergy},
                                             {kAccuracy, kAnalogRatio}};
  std::vector<ChartSection> out;
  for (const auto& [y, x] : pairs) {
    if (auto s = pair_section(points, y, x, commands, static_cast<int>(out.size())))
      out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace aimcsim::report
