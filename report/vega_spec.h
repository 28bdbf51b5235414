// Helpers that build the repeated parts of Vega 5 specifications (vega.github.io/vega/docs).
// Specs are plain JSON; the page (html_page.h) renders them with Vega's SVG renderer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace aimcsim::report {

// The frame of a spec: size in pixels, title (what it shows) and subtitle (the command).
nlohmann::json vega_frame(const std::string& title, const std::string& command, int width_px,
                          int height_px);
// An axis on `scale` with a title that carries the unit; `format` a d3 format ("" = default).
nlohmann::json vega_axis(const std::string& orient, const std::string& scale,
                         const std::string& title, const std::string& format = "");
// A legend for a colour scale.
nlohmann::json vega_color_legend(const std::string& scale, const std::string& title);
// The fixed colours of the mapping targets (analog, int8, fp16, skip) as an ordinal scale.
nlohmann::json target_color_scale(const std::string& name);
// A category10 ordinal colour scale over `field` of `data`.
nlohmann::json category_color_scale(const std::string& name, const std::string& data,
                                    const std::string& field);
// Number formatting for tables: `digits` significant digits, no exponent for normal ranges.
std::string fmt_num(double value, int digits = 4);

}  // namespace aimcsim::report
