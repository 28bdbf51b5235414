// Vega spec helpers (vega_spec.h).
#include "report/vega_spec.h"

#include <cmath>
#include <cstdio>

namespace aimcsim::report {

nlohmann::json vega_frame(const std::string& title, const std::string& command, int width_px,
                          int height_px) {
  return {{"width", width_px},
          {"height", height_px},
          {"padding", 8},
          {"autosize", {{"type", "pad"}}},
          {"title",
           {{"text", title},
            {"subtitle", command},
            {"anchor", "start"},
            {"fontSize", 14},
            {"subtitleFont", "monospace"},
            {"subtitleFontSize", 10},
            {"limit", 900}}},
          {"config", {{"axis", {{"labelFontSize", 10}, {"titleFontSize", 11}}}}}};
}

nlohmann::json vega_axis(const std::string& orient, const std::string& scale,
                         const std::string& title, const std::string& format) {
  nlohmann::json a = {{"orient", orient},
                      {"scale", scale},
                      {"title", title},
                      {"grid", true},
                      {"gridOpacity", 0.25}};
  if (!format.empty()) a["format"] = format;
  return a;
}

nlohmann::json vega_color_legend(const std::string& scale, const std::string& title) {
  return {{"fill", scale}, {"title", title}, {"orient", "right"}};
}

nlohmann::json target_color_scale(const std::string& name) {
  return {{"name", name},
          {"type", "ordinal"},
          {"domain", {"analog", "int8", "fp16", "skip"}},
          {"range", {"#1b9e77", "#7570b3", "#d95f02", "#bbbbbb"}}};
}

nlohmann::json category_color_scale(const std::string& name, const std::string& data,
                                    const std::string& field) {
  return {{"name", name},
          {"type", "ordinal"},
          {"domain", {{"data", data}, {"field", field}}},
          {"range", "category"}};
}

std::string fmt_num(double value, int digits) {
  if (std::isnan(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

}  // namespace aimcsim::report
