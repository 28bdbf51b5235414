// The per-layer mapping strip (sections.h): one row per mapping (run or map report), one
// cell per mappable layer coloured by its target, the layers' MACs as bars above.
#include <algorithm>
#include <map>
#include <string>

#include "report/sections.h"
#include "report/vega_spec.h"

namespace aimcsim::report {
namespace {

constexpr int kMacPanelPx = 90;  // height of the MAC bars above the strip
constexpr int kGapPx = 12;
constexpr int kRowPx = 22;  // height of one mapping's row

struct Strip {
  std::string label;
  std::map<std::string, std::string> target;  // layer -> analog/int8/fp16/skip
};

struct StripData {
  std::vector<std::string> layer_order;
  std::map<std::string, double> macs;
  std::vector<Strip> strips;
  std::string commands;

  void add_layer(const std::string& name) {
    if (std::find(layer_order.begin(), layer_order.end(), name) == layer_order.end()) {
      layer_order.push_back(name);
    }
  }
};

bool is_mappable_run_layer(const nlohmann::json& layer) {
  const std::string kind = string_or(layer, "kind", "");
  return number_or(layer, "macs", 0) > 0 && kind != "matmul";
}

void add_run(StripData& d, const ReportInput& in) {
  Strip s{short_label(in.path) + " (" + string_or(in.json, "mapping", "?") + ")", {}};
  for (const auto& layer : in.json.at("layers")) {
    if (!is_mappable_run_layer(layer)) continue;
    const std::string name = string_or(layer, "name", "?");
    d.add_layer(name);
    d.macs[name] = number_or(layer, "macs", 0);
    s.target[name] = string_or(layer, "target", "?");
  }
  d.strips.push_back(std::move(s));
}

void add_map(StripData& d, const ReportInput& in) {
  Strip s{short_label(in.path) + " (map " + string_or(in.json, "method", "?") + ")", {}};
  if (in.json.contains("layers") && in.json.at("layers").is_array()) {
    for (const auto& layer : in.json.at("layers")) {
      if (!layer.is_object()) continue;
      const std::string name = string_or(layer, "name", "");
      if (name.empty()) continue;
      d.add_layer(name);
      if (number_or(layer, "macs", 0) > 0) d.macs[name] = number_or(layer, "macs", 0);
    }
  }
  for (const auto& [name, target] : in.json.at("mapping").items()) {
    if (!target.is_string()) continue;
    d.add_layer(name);
    s.target[name] = target.get<std::string>();
  }
  d.strips.push_back(std::move(s));
}

nlohmann::json strip_spec(const StripData& d, const std::string& title) {
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json cells = nlohmann::json::array();
  for (std::size_t i = 0; i < d.layer_order.size(); ++i) {
    const std::string& name = d.layer_order[i];
    const auto macs = d.macs.find(name);
    layers.push_back(
        {{"layer", name}, {"idx", i}, {"mmacs", macs == d.macs.end() ? 0.0 : macs->second * 1e-6}});
    for (const Strip& s : d.strips) {
      const auto t = s.target.find(name);
      cells.push_back({{"layer", name},
                       {"idx", i},
                       {"mapping", s.label},
                       {"target", t == s.target.end() ? "not mapped" : t->second}});
    }
  }
  const int rows = static_cast<int>(d.strips.size());
  const int height = kMacPanelPx + kGapPx + rows * kRowPx;
  const int width = std::clamp(18 * static_cast<int>(d.layer_order.size()), 300, 1100);
  nlohmann::json spec = vega_frame(title, d.commands, width, height);
  spec["data"] = {{{"name", "layers"}, {"values", layers}}, {{"name", "cells"}, {"values", cells}}};
  nlohmann::json color = target_color_scale("color");
  color["domain"].push_back("not mapped");
  color["range"].push_back("#ffffff");
  spec["scales"] = {
      {{"name", "x"},
       {"type", "band"},
       {"domain",
        {{"data", "layers"}, {"field", "layer"}, {"sort", {{"field", "idx"}, {"op", "min"}}}}},
       {"range", "width"},
       {"padding", 0.08}},
      {{"name", "macs"},
       {"type", "linear"},
       {"domain", {{"data", "layers"}, {"field", "mmacs"}}},
       {"range", {kMacPanelPx, 0}},
       {"nice", true},
       {"zero", true}},
      {{"name", "row"},
       {"type", "band"},
       {"domain", {{"data", "cells"}, {"field", "mapping"}}},
       {"range", {kMacPanelPx + kGapPx, height}},
       {"padding", 0.12}},
      color};
  nlohmann::json x_axis = vega_axis("bottom", "x", "mappable layer (execution order)");
  x_axis.update(
      {{"grid", false}, {"labelAngle", -60}, {"labelAlign", "right"}, {"labelBaseline", "middle"}});
  nlohmann::json mac_axis = vega_axis("left", "macs", "MACs per inference [M]");
  mac_axis["tickCount"] = 3;
  nlohmann::json row_axis = vega_axis("right", "row", "");
  row_axis["grid"] = false;
  row_axis["labelLimit"] = 360;
  spec["axes"] = {x_axis, mac_axis, row_axis};
  spec["legends"] = {{{"fill", "color"}, {"title", "target"}, {"orient", "left"}, {"offset", 60}}};
  spec["marks"] = {
      {{"type", "rect"},
       {"name", "mac-bars"},
       {"from", {{"data", "layers"}}},
       {"encode",
        {{"enter",
          {{"x", {{"scale", "x"}, {"field", "layer"}}},
           {"width", {{"scale", "x"}, {"band", 1}}},
           {"y", {{"scale", "macs"}, {"field", "mmacs"}}},
           {"y2", {{"scale", "macs"}, {"value", 0}}},
           {"fill", {{"value", "#888888"}}},
           {"tooltip",
            {{"signal", "{'layer': datum.layer, 'MACs [M]': format(datum.mmacs, '.4~g')}"}}}}}}}},
      {{"type", "rect"},
       {"name", "data-marks"},
       {"from", {{"data", "cells"}}},
       {"encode",
        {{"enter",
          {{"x", {{"scale", "x"}, {"field", "layer"}}},
           {"width", {{"scale", "x"}, {"band", 1}}},
           {"y", {{"scale", "row"}, {"field", "mapping"}}},
           {"height", {{"scale", "row"}, {"band", 1}}},
           {"fill", {{"scale", "color"}, {"field", "target"}}},
           {"stroke", {{"value", "#999999"}}},
           {"strokeWidth", {{"value", 0.5}}},
           {"tooltip",
            {{"signal",
              "{'mapping': datum.mapping, 'layer': datum.layer, 'target': datum.target}"}}}}}}}}};
  return spec;
}

}  // namespace

std::vector<ChartSection> mapping_sections(const std::vector<ReportInput>& inputs) {
  StripData d;
  for (const ReportInput& in : inputs) {
    if (in.kind != InputKind::kRun && in.kind != InputKind::kMap) continue;
    if (in.kind == InputKind::kRun) add_run(d, in);
    if (in.kind == InputKind::kMap) add_map(d, in);
    d.commands += (d.commands.empty() ? "" : "; ") + command_of(in);
  }
  if (d.strips.empty() || d.layer_order.empty()) return {};
  const std::string title =
      "Where each mappable layer runs (analog tile / INT8 / FP16 core), one row per mapping; "
      "bars: MACs per inference [M]";
  Table table;
  table.header = {"layer", "MACs"};
  for (const Strip& s : d.strips) table.header.push_back(s.label);
  for (const std::string& name : d.layer_order) {
    const auto macs = d.macs.find(name);
    std::vector<std::string> row{name, macs == d.macs.end() ? "?" : fmt_num(macs->second, 12)};
    for (const Strip& s : d.strips) {
      const auto t = s.target.find(name);
      row.push_back(t == s.target.end() ? "-" : t->second);
    }
    table.rows.push_back(std::move(row));
  }
  ChartSection s{"mapping-strip", title, d.commands, "", strip_spec(d, title), std::move(table)};
  return {std::move(s)};
}

}  // namespace aimcsim::report
