// `aimcsim report`: JSON reports in, one self-contained offline HTML page with Vega charts
// out (DESIGN.md s.7). The public surface of the report/ library.
//
// Contract:
// - build_sections() draws what the inputs hold (sections.h) in a fixed order: energy,
//   mapping strip, timeline, accuracy vs drift, Pareto, sweeps. Inputs without chartable
//   data add no section; if no section results, it throws aimcsim::Error.
// - write_html_report() writes the page atomically enough for a report (one write) and throws
//   aimcsim::Error naming the path when it cannot; bad inputs fail before anything is written.
#pragma once

#include <string>
#include <vector>

#include "report/chart_section.h"
#include "report/report_inputs.h"

namespace aimcsim::report {

// Debian's libjs-vega folder (build-time default; a test may point elsewhere).
std::string default_vega_dir();

std::vector<ChartSection> build_sections(const std::vector<ReportInput>& inputs);
std::string render_html_report(const std::vector<ReportInput>& inputs, const std::string& title,
                               const std::string& vega_dir = default_vega_dir());
void write_html_report(const std::vector<ReportInput>& inputs, const std::string& out_path,
                       const std::string& title = "aimcsim report");
// read_report_inputs(paths), then write_html_report().
void write_html_report_from_files(const std::vector<std::string>& paths,
                                  const std::string& out_path,
                                  const std::string& title = "aimcsim report");

}  // namespace aimcsim::report
