// Accuracy against drift time (sections.h): one series per evaluated mapping and weight set,
// the line through the means over programming seeds, a band of mean +- std and one dot per
// seed where the input lists them. `eval --robustness` gives the FP-trained ("FP weights")
// and the hardware-aware-trained ("HWA weights") series of one mapping.
#include <algorithm>
#include <string>

#include "models/device/drift_time.h"
#include "report/sections.h"
#include "report/vega_spec.h"

namespace aimcsim::report {
namespace {

struct Series {
  nlohmann::json means = nlohmann::json::array();  // {series, t_s, mean, lo, hi}
  nlohmann::json seeds = nlohmann::json::array();  // {series, t_s, acc}
  Table table{{"series", "time", "accuracy mean [%]", "std [%]", "seeds"}, {}};
  std::string commands;

  void add(const std::string& series, double t_s, double mean, double std,
           const nlohmann::json* per_seed, int seeds_n) {
    means.push_back({{"series", series},
                     {"t_s", t_s},
                     {"mean", 100 * mean},
                     {"lo", 100 * (mean - std)},
                     {"hi", 100 * (mean + std)}});
    if (per_seed != nullptr && per_seed->is_array()) {
      for (const auto& a : *per_seed) {
        if (a.is_number())
          seeds.push_back({{"series", series}, {"t_s", t_s}, {"acc", 100 * a.get<double>()}});
      }
    }
    table.rows.push_back({series, format_drift_time(t_s), fmt_num(100 * mean),
                          fmt_num(100 * std, 3), std::to_string(seeds_n)});
  }
};

void add_eval(Series& s, const nlohmann::json& eval, const std::string& series) {
  for (const auto& t : eval.at("times")) {
    s.add(series, number_or(t, "t_s", 1), number_or(t, "accuracy_mean", NAN),
          number_or(t, "accuracy_std", 0),
          t.contains("accuracy_per_seed") ? &t.at("accuracy_per_seed") : nullptr,
          static_cast<int>(number_or(eval, "seeds", 1)));
  }
}

void add_robustness_variant(Series& s, const nlohmann::json& variant, const std::string& series,
                            int seeds) {
  if (!variant.is_object() || !variant.contains("drift")) return;
  std::vector<std::pair<double, const nlohmann::json*>> times;  // keys sort as text: "1d" < "1h"
  for (const auto& [time, acc] : variant.at("drift").items())
    times.push_back({parse_drift_time(time), &acc});
  std::sort(times.begin(), times.end());
  for (const auto& [t_s, acc] : times) {
    s.add(series, t_s, number_or(*acc, "accuracy_mean", NAN), number_or(*acc, "accuracy_std", 0),
          nullptr, seeds);
  }
}

}  // namespace

std::vector<ChartSection> accuracy_sections(const std::vector<ReportInput>& inputs) {
  Series s;
  for (const ReportInput& in : inputs) {
    const nlohmann::json& j = in.json;
    const std::string file = short_label(in.path);
    const std::size_t before = s.table.rows.size();
    if (in.kind == InputKind::kEval) {
      add_eval(s, j, string_or(j, "mapping", "?") + " (" + file + ")");
    } else if (in.kind == InputKind::kRun && j.contains("accuracy") &&
               j.at("accuracy").contains("times")) {
      add_eval(s, j.at("accuracy"), string_or(j, "mapping", "?") + " (" + file + ")");
    } else if (in.kind == InputKind::kRobustness) {
      const int seeds = static_cast<int>(number_or(j, "seeds", 1));
      const std::string mapping = string_or(j, "mapping", "?");
      add_robustness_variant(s, j.at("noisy"), "FP weights, " + mapping + " (" + file + ")", seeds);
      if (j.contains("analog")) {
        add_robustness_variant(s, j.at("analog"), "HWA weights, " + mapping + " (" + file + ")",
                               seeds);
      }
    } else if (in.kind == InputKind::kCompare) {
      for (const auto& row : j.at("rows")) {
        s.add(string_or(row, "method", "?") + " (" + file + ")", number_or(j, "time_s", 1),
              number_or(row, "accuracy_mean", NAN), number_or(row, "accuracy_std", 0),
              row.contains("accuracy_per_seed") ? &row.at("accuracy_per_seed") : nullptr,
              static_cast<int>(number_or(j, "seeds", 1)));
      }
    }
    if (s.table.rows.size() > before)
      s.commands += (s.commands.empty() ? "" : "; ") + command_of(in);
  }
  if (s.means.empty()) return {};
  const std::string title =
      "Test accuracy [%] against drift time after programming: mean over programming seeds "
      "(line), mean +- std (band), each seed (dots)";
  nlohmann::json spec = vega_frame(title, s.commands, 620, 320);
  spec["data"] = {
      {{"name", "means"}, {"values", s.means}},
      {{"name", "seeds"}, {"values", s.seeds}},
      {{"name", "all"},
       {"source", "means"},
       {"transform", {{{"type", "fold"}, {"fields", {"lo", "hi"}}, {"as", {"which", "acc"}}}}}}};
  spec["scales"] = {
      {{"name", "x"},
       {"type", "log"},
       {"domain", {{"data", "means"}, {"field", "t_s"}}},
       {"range", "width"},
       {"nice", false},
       {"padding", 12}},
      {{"name", "y"},
       {"type", "linear"},
       {"domain",
        {{"fields", {{{"data", "all"}, {"field", "acc"}}, {{"data", "seeds"}, {"field", "acc"}}}}}},
       {"range", "height"},
       {"nice", true},
       {"zero", false}},
      category_color_scale("color", "means", "series")};
  nlohmann::json x_axis = vega_axis("bottom", "x", "time after programming (log scale)");
  x_axis["values"] = {1, 60, 3600, 86400, 2592000, 31536000};
  x_axis["encode"]["labels"]["update"]["text"]["signal"] =
      "datum.value >= 31536000 ? '1 y' : datum.value >= 2592000 ? '30 d' : datum.value >= 86400 "
      "? '1 d' : datum.value >= 3600 ? '1 h' : datum.value >= 60 ? '1 min' : '1 s'";
  spec["axes"] = {x_axis, vega_axis("left", "y", "test accuracy [%]")};
  spec["legends"] = {{{"stroke", "color"},
                      {"title", "mapping / weights"},
                      {"orient", "bottom"},
                      {"direction", "vertical"},
                      {"labelLimit", 600}}};
  const nlohmann::json facet = {
      {"facet", {{"name", "one"}, {"data", "means"}, {"groupby", "series"}}}};
  spec["marks"] = {{{"type", "group"},
                    {"from", facet},
                    {"marks",
                     {{{"type", "area"},
                       {"from", {{"data", "one"}}},
                       {"sort", {{"field", "datum.t_s"}}},
                       {"encode",
                        {{"enter",
                          {{"x", {{"scale", "x"}, {"field", "t_s"}}},
                           {"y", {{"scale", "y"}, {"field", "lo"}}},
                           {"y2", {{"scale", "y"}, {"field", "hi"}}},
                           {"fill", {{"scale", "color"}, {"field", "series"}}},
                           {"fillOpacity", {{"value", 0.18}}}}}}}},
                      {{"type", "line"},
                       {"from", {{"data", "one"}}},
                       {"sort", {{"field", "datum.t_s"}}},
                       {"encode",
                        {{"enter",
                          {{"x", {{"scale", "x"}, {"field", "t_s"}}},
                           {"y", {{"scale", "y"}, {"field", "mean"}}},
                           {"stroke", {{"scale", "color"}, {"field", "series"}}},
                           {"strokeWidth", {{"value", 2}}}}}}}}}}},
                   {{"type", "symbol"},
                    {"name", "data-marks"},
                    {"from", {{"data", "means"}}},
                    {"encode",
                     {{"enter",
                       {{"x", {{"scale", "x"}, {"field", "t_s"}}},
                        {"y", {{"scale", "y"}, {"field", "mean"}}},
                        {"fill", {{"scale", "color"}, {"field", "series"}}},
                        {"size", {{"value", 50}}},
                        {"tooltip",
                         {{"signal",
                           "{'series': datum.series, 'time [s]': datum.t_s, 'mean [%]': "
                           "format(datum.mean, '.4~g'), 'mean-std [%]': format(datum.lo, '.4~g'), "
                           "'mean+std [%]': format(datum.hi, '.4~g')}"}}}}}}}},
                   {{"type", "symbol"},
                    {"from", {{"data", "seeds"}}},
                    {"encode",
                     {{"enter",
                       {{"x", {{"scale", "x"}, {"field", "t_s"}}},
                        {"y", {{"scale", "y"}, {"field", "acc"}}},
                        {"stroke", {{"scale", "color"}, {"field", "series"}}},
                        {"size", {{"value", 14}}},
                        {"strokeOpacity", {{"value", 0.6}}}}}}}}};
  ChartSection sec{"accuracy-drift", title, s.commands, "", std::move(spec), std::move(s.table)};
  return {std::move(sec)};
}

}  // namespace aimcsim::report
