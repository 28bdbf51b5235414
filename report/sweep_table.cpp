// Sweep tables (sweep_table.h) and their charts (sections.h sweep_sections).
#include "report/sweep_table.h"

#include <algorithm>
#include <set>

#include "models/error.h"
#include "report/report_inputs.h"
#include "report/sections.h"
#include "report/vega_spec.h"

namespace aimcsim::report {
namespace {

constexpr std::size_t kMaxMetricCharts = 4;

std::string value_text(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : fmt_num(v.get<double>(), 8);
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key,
                                     const std::string& path) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j.at(key).is_array()) throw Error(path + ": sweep." + key + ": expected an array of names");
  for (const auto& v : j.at(key)) {
    if (!v.is_string()) throw Error(path + ": sweep." + key + ": expected an array of names");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

SweepTable sweep_from_json(const nlohmann::json& j, const std::string& path) {
  SweepTable t;
  const nlohmann::json& head = j.at("sweep");
  t.name = string_or(head, "name", short_label(path));
  t.command = string_or(head, "command", "aimcsim sweep (" + path + ")");
  t.axes = string_list(head, "axes", path);
  t.metrics = string_list(head, "metrics", path);
  int i = 0;
  for (const auto& p : j.at("points")) {
    const std::string where = path + ": points[" + std::to_string(i++) + "]";
    if (!p.is_object() || !p.contains("axes") || !p.at("axes").is_object() ||
        !p.contains("metrics") || !p.at("metrics").is_object()) {
      throw Error(where + ": expected an object with \"axes\" and \"metrics\" objects");
    }
    SweepPoint point;
    for (const auto& [k, v] : p.at("axes").items()) {
      if (!v.is_number() && !v.is_string())
        throw Error(where + ".axes." + k + ": expected a number or a string");
      point.axes[k] = v;
    }
    for (const auto& [k, v] : p.at("metrics").items()) {
      if (v.is_number())
        point.metrics[k] = v.get<double>();
      else if (!v.is_null())
        throw Error(where + ".metrics." + k + ": expected a number or null");
    }
    t.points.push_back(std::move(point));
  }
  if (t.points.empty()) throw Error(path + ": sweep has no points");
  if (t.axes.empty())
    for (const auto& [k, v] : t.points.front().axes) t.axes.push_back(k);
  if (t.metrics.empty())
    for (const auto& [k, v] : t.points.front().metrics) t.metrics.push_back(k);
  if (t.axes.empty()) throw Error(path + ": sweep has no axes");
  return t;
}

nlohmann::json sweep_to_json(const SweepTable& t) {
  nlohmann::json points = nlohmann::json::array();
  for (const SweepPoint& p : t.points) {
    nlohmann::json axes = nlohmann::json::object(), metrics = nlohmann::json::object();
    for (const auto& [k, v] : p.axes) axes[k] = v;
    for (const auto& [k, v] : p.metrics) metrics[k] = v;
    points.push_back({{"axes", axes}, {"metrics", metrics}});
  }
  return {{"sweep",
           {{"name", t.name}, {"command", t.command}, {"axes", t.axes}, {"metrics", t.metrics}}},
          {"points", points}};
}

namespace {

// Rows {x (text), xn (number or index), series, y} for one metric; heat rows average over
// axes beyond the second.
nlohmann::json metric_rows(const SweepTable& t, const std::string& metric, bool& numeric_x) {
  numeric_x = true;
  for (const SweepPoint& p : t.points) {
    const auto v = p.axes.find(t.axes[0]);
    if (v == p.axes.end() || !v->second.is_number()) numeric_x = false;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const SweepPoint& p : t.points) {
    const auto m = p.metrics.find(metric);
    const auto x = p.axes.find(t.axes[0]);
    if (m == p.metrics.end() || x == p.axes.end()) continue;
    std::string series, row;
    for (std::size_t a = 1; a < t.axes.size(); ++a) {
      const auto v = p.axes.find(t.axes[a]);
      series += (series.empty() ? "" : ", ") + t.axes[a] + "=" +
                (v == p.axes.end() ? "-" : value_text(v->second));
      if (a == 1) row = v == p.axes.end() ? "-" : value_text(v->second);
    }
    rows.push_back({{"x", value_text(x->second)},
                    {"xn", numeric_x ? x->second.get<double>() : 0.0},
                    {"series", series.empty() ? metric : series},
                    {"row", row},
                    {"y", m->second}});
  }
  return rows;
}

ChartSection line_section(const SweepTable& t, const std::string& metric, const std::string& id) {
  bool numeric_x = true;
  nlohmann::json rows = metric_rows(t, metric, numeric_x);
  const std::string title = metric + " against " + t.axes[0] + " (sweep " + t.name + ")";
  nlohmann::json spec = vega_frame(title, t.command, 480, 260);
  spec["data"] = {{{"name", "rows"}, {"values", rows}}};
  spec["scales"] = {numeric_x ? nlohmann::json{{"name", "x"},
                                               {"type", "linear"},
                                               {"domain", {{"data", "rows"}, {"field", "xn"}}},
                                               {"range", "width"},
                                               {"zero", false},
                                               {"nice", true}}
                              : nlohmann::json{{"name", "x"},
                                               {"type", "point"},
                                               {"domain", {{"data", "rows"}, {"field", "x"}}},
                                               {"range", "width"},
                                               {"padding", 0.5}},
                    {{"name", "y"},
                     {"type", "linear"},
                     {"domain", {{"data", "rows"}, {"field", "y"}}},
                     {"range", "height"},
                     {"nice", true},
                     {"zero", false}},
                    category_color_scale("color", "rows", "series")};
  const std::string xf = numeric_x ? "xn" : "x";
  spec["axes"] = {vega_axis("bottom", "x", t.axes[0]), vega_axis("left", "y", metric)};
  spec["legends"] = {{{"stroke", "color"},
                      {"title", t.axes.size() > 1 ? "other axes" : "metric"},
                      {"orient", "right"}}};
  spec["marks"] = {
      {{"type", "group"},
       {"from", {{"facet", {{"name", "one"}, {"data", "rows"}, {"groupby", "series"}}}}},
       {"marks",
        {{{"type", "line"},
          {"from", {{"data", "one"}}},
          {"sort", {{"field", "datum.xn"}}},
          {"encode",
           {{"enter",
             {{"x", {{"scale", "x"}, {"field", xf}}},
              {"y", {{"scale", "y"}, {"field", "y"}}},
              {"stroke", {{"scale", "color"}, {"field", "series"}}}}}}}}}}},
      {{"type", "symbol"},
       {"name", "data-marks"},
       {"from", {{"data", "rows"}}},
       {"encode",
        {{"enter",
          {{"x", {{"scale", "x"}, {"field", xf}}},
           {"y", {{"scale", "y"}, {"field", "y"}}},
           {"fill", {{"scale", "color"}, {"field", "series"}}},
           {"tooltip",
            {{"signal", "{'" + t.axes[0] + "': datum.x, 'series': datum.series, '" + metric +
                            "': format(datum.y, '.4~g')}"}}}}}}}}};
  Table table{{t.axes[0], "other axes", metric}, {}};
  for (const auto& r : rows)
    table.rows.push_back(
        {r["x"].get<std::string>(), r["series"].get<std::string>(), fmt_num(r["y"].get<double>())});
  return {id, title, t.command, "", std::move(spec), std::move(table)};
}

ChartSection heatmap_section(const SweepTable& t, const std::string& metric,
                             const std::string& id) {
  bool numeric_x = true;
  const nlohmann::json rows = metric_rows(t, metric, numeric_x);
  const std::string title = metric + " over " + t.axes[0] + " x " + t.axes[1] + " (sweep " +
                            t.name + (t.axes.size() > 2 ? ", mean over the other axes)" : ")");
  nlohmann::json spec = vega_frame(title, t.command, 420, 280);
  spec["data"] = {{{"name", "rows"},
                   {"values", rows},
                   {"transform",
                    {{{"type", "aggregate"},
                      {"groupby", {"x", "row"}},
                      {"fields", {"y", "xn"}},
                      {"ops", {"mean", "min"}},
                      {"as", {"y", "xn"}}}}}}};
  spec["scales"] = {
      {{"name", "x"},
       {"type", "band"},
       {"domain", {{"data", "rows"}, {"field", "x"}, {"sort", {{"field", "xn"}, {"op", "min"}}}}},
       {"range", "width"}},
      {{"name", "y"},
       {"type", "band"},
       {"domain", {{"data", "rows"}, {"field", "row"}, {"sort", true}}},
       {"range", "height"}},
      {{"name", "color"},
       {"type", "linear"},
       {"domain", {{"data", "rows"}, {"field", "y"}}},
       {"range", {{"scheme", "viridis"}}}}};
  spec["axes"] = {vega_axis("bottom", "x", t.axes[0]), vega_axis("left", "y", t.axes[1])};
  spec["legends"] = {{{"fill", "color"}, {"type", "gradient"}, {"title", metric}}};
  spec["marks"] = {{{"type", "rect"},
                    {"name", "data-marks"},
                    {"from", {{"data", "rows"}}},
                    {"encode",
                     {{"enter",
                       {{"x", {{"scale", "x"}, {"field", "x"}}},
                        {"width", {{"scale", "x"}, {"band", 1}}},
                        {"y", {{"scale", "y"}, {"field", "row"}}},
                        {"height", {{"scale", "y"}, {"band", 1}}},
                        {"fill", {{"scale", "color"}, {"field", "y"}}},
                        {"tooltip", {{"signal", "format(datum.y, '.4~g')"}}}}}}}},
                   {{"type", "text"},
                    {"from", {{"data", "rows"}}},
                    {"encode",
                     {{"enter",
                       {{"x", {{"scale", "x"}, {"field", "x"}, {"band", 0.5}}},
                        {"y", {{"scale", "y"}, {"field", "row"}, {"band", 0.5}}},
                        {"text", {{"signal", "format(datum.y, '.3~g')"}}},
                        {"align", {{"value", "center"}}},
                        {"baseline", {{"value", "middle"}}},
                        {"fill", {{"value", "white"}}},
                        {"fontSize", {{"value", 10}}}}}}}}};
  Table table{{t.axes[0], t.axes[1], metric}, {}};
  for (const auto& r : rows)
    table.rows.push_back(
        {r["x"].get<std::string>(), r["row"].get<std::string>(), fmt_num(r["y"].get<double>())});
  return {id, title, t.command, "", std::move(spec), std::move(table)};
}

}  // namespace

std::vector<ChartSection> sweep_sections(const std::vector<ReportInput>& inputs) {
  std::vector<ChartSection> out;
  int n = 0;
  for (const ReportInput& in : inputs) {
    if (in.kind != InputKind::kSweep) continue;
    const SweepTable t = sweep_from_json(in.json, in.path);
    const std::string base = "sweep-" + std::to_string(n++) + "-";
    for (std::size_t m = 0; m < t.metrics.size() && m < kMaxMetricCharts; ++m) {
      out.push_back(line_section(t, t.metrics[m], base + "line-" + std::to_string(m)));
    }
    for (std::size_t m = 0; t.axes.size() >= 2 && m < t.metrics.size() && m < 2; ++m) {
      out.push_back(heatmap_section(t, t.metrics[m], base + "heat-" + std::to_string(m)));
    }
  }
  return out;
}

}  // namespace aimcsim::report
