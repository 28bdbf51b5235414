// Energy breakdown charts of run reports (sections.h): per unit kind and per layer.
#include <algorithm>
#include <string>

#include "report/sections.h"
#include "report/vega_spec.h"

namespace aimcsim::report {
namespace {

// Kinds in the order sim/report/report_io.h writes them; others follow.
const std::vector<std::string> kKindOrder = {"dac",          "crossbar",    "adc",
                                             "tile_digital", "digital_mac", "digital_vector",
                                             "sram",         "fabric",      "weight_programming",
                                             "leakage"};
constexpr std::size_t kMaxLayerCharts = 4;  // per-layer charts: the first runs only

std::vector<std::string> kinds_of(const nlohmann::json& breakdown) {
  std::vector<std::string> kinds = kKindOrder;
  for (const auto& [key, value] : breakdown.items()) {
    if (std::find(kinds.begin(), kinds.end(), key) == kinds.end()) kinds.push_back(key);
  }
  return kinds;
}

int kind_rank(const std::vector<std::string>& kinds, const std::string& kind) {
  return static_cast<int>(std::find(kinds.begin(), kinds.end(), kind) - kinds.begin());
}

// Stacked bars: x band over `x_field`, stacks of `value_field` by "kind".
nlohmann::json stacked_bars(nlohmann::json frame, nlohmann::json values, const std::string& x_field,
                            const std::string& x_title, const std::string& value_field,
                            const std::string& y_title, bool vertical_labels) {
  frame["data"] = {{{"name", "bars"},
                    {"values", std::move(values)},
                    {"transform",
                     {{{"type", "stack"},
                       {"groupby", {x_field}},
                       {"field", value_field},
                       {"sort", {{"field", "rank"}}}}}}}};
  frame["scales"] = {
      {{"name", "x"},
       {"type", "band"},
       {"domain",
        {{"data", "bars"}, {"field", x_field}, {"sort", {{"field", "order"}, {"op", "min"}}}}},
       {"range", "width"},
       {"padding", 0.15}},
      {{"name", "y"},
       {"type", "linear"},
       {"domain", {{"data", "bars"}, {"field", "y1"}}},
       {"range", "height"},
       {"nice", true},
       {"zero", true}},
      {{"name", "color"},
       {"type", "ordinal"},
       {"domain",
        {{"data", "bars"}, {"field", "kind"}, {"sort", {{"field", "rank"}, {"op", "min"}}}}},
       {"range", {{"scheme", "tableau10"}}}}};
  nlohmann::json x_axis = vega_axis("bottom", "x", x_title);
  x_axis["grid"] = false;
  if (vertical_labels) {
    x_axis["labelAngle"] = -60;
    x_axis["labelAlign"] = "right";
    x_axis["labelBaseline"] = "middle";
  }
  frame["axes"] = {x_axis, vega_axis("left", "y", y_title)};
  frame["legends"] = {vega_color_legend("color", "energy kind")};
  frame["marks"] = {
      {{"type", "rect"},
       {"name", "data-marks"},
       {"from", {{"data", "bars"}}},
       {"encode",
        {{"enter",
          {{"x", {{"scale", "x"}, {"field", x_field}}},
           {"width", {{"scale", "x"}, {"band", 1}}},
           {"y", {{"scale", "y"}, {"field", "y0"}}},
           {"y2", {{"scale", "y"}, {"field", "y1"}}},
           {"fill", {{"scale", "color"}, {"field", "kind"}}},
           {"tooltip",
            {{"signal", "{'" + x_title + "': datum." + x_field + ", 'kind': datum.kind, '" +
                            y_title + "': format(datum." + value_field + ", '.4~g')}"}}}}}}}}};
  return frame;
}

ChartSection per_kind_section(const std::vector<const ReportInput*>& runs) {
  nlohmann::json values = nlohmann::json::array();
  Table table;
  table.header = {"energy kind"};
  std::vector<std::string> kinds = kinds_of(runs.front()->json.at("energy_breakdown_pj"));
  std::string commands;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const std::string label = short_label(runs[r]->path);
    table.header.push_back(label + " [uJ]");
    commands += (commands.empty() ? "" : "; ") + command_of(*runs[r]);
    for (const auto& [kind, pj] : runs[r]->json.at("energy_breakdown_pj").items()) {
      if (!pj.is_number()) continue;
      values.push_back({{"run", label},
                        {"order", r},
                        {"kind", kind},
                        {"rank", kind_rank(kinds, kind)},
                        {"energy_uj", pj.get<double>() * 1e-6}});
    }
  }
  for (const std::string& kind : kinds) {
    std::vector<std::string> row{kind};
    bool any = false;
    for (const ReportInput* run : runs) {
      const double pj = number_or(run->json.at("energy_breakdown_pj"), kind.c_str(), -1);
      any = any || pj >= 0;
      row.push_back(pj >= 0 ? fmt_num(pj * 1e-6) : "-");
    }
    if (any) table.rows.push_back(row);
  }
  std::vector<std::string> total{"total"};
  for (const ReportInput* run : runs)
    total.push_back(fmt_num(number_or(run->json, "energy_pj", NAN) * 1e-6));
  table.rows.push_back(total);
  const std::string title = "Energy per inference by unit kind [uJ], one bar per run";
  const int width = std::max(220, 90 * static_cast<int>(runs.size()));
  ChartSection s{"energy-kinds", title, commands, "", {}, std::move(table)};
  s.spec = stacked_bars(vega_frame(title, commands, width, 260), std::move(values), "run", "run",
                        "energy_uj", "energy per inference [uJ]", runs.size() > 3);
  return s;
}

ChartSection per_layer_section(const ReportInput& run, std::size_t index) {
  nlohmann::json values = nlohmann::json::array();
  Table table{{"layer", "kind", "target", "units", "MACs", "energy [nJ]", "start [ns]", "end [ns]"},
              {}};
  const auto& layers = run.json.at("layers");
  std::vector<std::string> kinds = kinds_of(run.json.at("energy_breakdown_pj"));
  int order = 0;
  for (const auto& layer : layers) {
    const std::string name = string_or(layer, "name", "?");
    double layer_pj = 0.0;
    if (layer.contains("energy_breakdown_pj") && layer.at("energy_breakdown_pj").is_object()) {
      for (const auto& [kind, pj] : layer.at("energy_breakdown_pj").items()) {
        if (!pj.is_number() || pj.get<double>() == 0.0) continue;
        layer_pj += pj.get<double>();
        values.push_back({{"layer", name},
                          {"order", order},
                          {"kind", kind},
                          {"rank", kind_rank(kinds, kind)},
                          {"energy_nj", pj.get<double>() * 1e-3}});
      }
    }
    ++order;
    table.rows.push_back({name, string_or(layer, "kind", ""), string_or(layer, "target", ""),
                          string_or(layer, "units", ""), fmt_num(number_or(layer, "macs", 0), 10),
                          fmt_num(layer_pj * 1e-3), fmt_num(number_or(layer, "start_ns", NAN)),
                          fmt_num(number_or(layer, "end_ns", NAN))});
  }
  const std::string label = short_label(run.path);
  const std::string title = "Dynamic energy per layer by unit kind [nJ per inference]: " + label +
                            " (" + string_or(run.json, "mapping", "?") + ")";
  const std::string command = command_of(run);
  const int width = std::clamp(14 * order, 300, 1100);
  ChartSection s{"energy-layers-" + std::to_string(index),
                 title,
                 command,
                 "Leakage is not attributed to layers; it is in the per-kind chart.",
                 {},
                 std::move(table)};
  s.spec = stacked_bars(vega_frame(title, command, width, 240), std::move(values), "layer", "layer",
                        "energy_nj", "dynamic energy [nJ]", true);
  return s;
}

}  // namespace

std::vector<ChartSection> energy_sections(const std::vector<ReportInput>& inputs) {
  std::vector<const ReportInput*> runs;
  for (const ReportInput& in : inputs) {
    if (in.kind == InputKind::kRun) runs.push_back(&in);
  }
  if (runs.empty()) return {};
  std::vector<ChartSection> out{per_kind_section(runs)};
  for (std::size_t i = 0; i < runs.size() && i < kMaxLayerCharts; ++i) {
    out.push_back(per_layer_section(*runs[i], i));
  }
  return out;
}

}  // namespace aimcsim::report
