// `aimcsim report` pipeline (html_report.h).
#include "report/html_report.h"

#include <filesystem>

#include "models/error.h"
#include "report/html_page.h"
#include "report/sections.h"
#include "sim/report/report_io.h"

namespace aimcsim::report {

std::string default_vega_dir() { return AIMCSIM_VEGA_DIR; }

std::vector<ChartSection> build_sections(const std::vector<ReportInput>& inputs) {
  std::vector<ChartSection> all;
  for (auto* builder : {energy_sections, mapping_sections, timeline_sections, accuracy_sections,
                        pareto_sections, sweep_sections}) {
    for (ChartSection& s : builder(inputs)) all.push_back(std::move(s));
  }
  if (all.empty()) {
    throw Error(
        "report: the inputs hold nothing to chart (no layers, accuracies, fronts, trace "
        "events or sweep points)");
  }
  return all;
}

std::string render_html_report(const std::vector<ReportInput>& inputs, const std::string& title,
                               const std::string& vega_dir) {
  const std::vector<ChartSection> sections = build_sections(inputs);
  PageInfo info;
  info.title = title;
  for (const ReportInput& in : inputs)
    info.inputs.push_back({in.path, kind_name(in.kind), command_of(in)});
  return render_page(info, sections, vega_dir);
}

void write_html_report(const std::vector<ReportInput>& inputs, const std::string& out_path,
                       const std::string& title) {
  const std::string page = render_html_report(inputs, title);
  const std::filesystem::path parent = std::filesystem::path(out_path).parent_path();
  std::error_code ignored;  // write_text_file names the path if the folder is still missing
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  write_text_file(out_path, page);
}

void write_html_report_from_files(const std::vector<std::string>& paths,
                                  const std::string& out_path, const std::string& title) {
  write_html_report(read_report_inputs(paths), out_path, title);
}

}  // namespace aimcsim::report
