// The self-contained HTML page of a report: Debian's Vega 5 modules (libjs-vega) inlined,
// the chart specs as inline JSON, tables beside the charts. Works offline: a
// Content-Security-Policy forbids every network load, and nothing is fetched.
//
// Contract of the rendered page (what tests read from the DOM):
// - each section's chart container is <div class="chart" id="chart-ID">; after rendering it
//   holds Vega's SVG and data-rendered="1", or data-error="MESSAGE" (also sent to
//   console.error);
// - <body> gets data-charts-rendered="N" and data-charts-failed="M" once every chart is done;
// - the page logs nothing to the console when all charts render.
#pragma once

#include <string>
#include <vector>

#include "report/chart_section.h"

namespace aimcsim::report {

struct PageInfo {
  std::string title = "aimcsim report";
  std::vector<std::vector<std::string>> inputs;  // rows: file, kind, command
};

// Reads the Vega modules from `vega_dir` (throws aimcsim::Error naming the missing file and
// the Debian package libjs-vega) and returns the page.
std::string render_page(const PageInfo& info, const std::vector<ChartSection>& sections,
                        const std::string& vega_dir);
std::string html_escape(const std::string& text);

}  // namespace aimcsim::report
