// `aimcsim compare --html` and `aimcsim demo`: the rows as an HTML report (compare_rows.h).
#include <nlohmann/json.hpp>

#include "cli/compare_rows.h"
#include "report/html_report.h"
#include "sim/report/report_io.h"

namespace aimcsim::cli {

void write_compare_html(const std::string& path, const std::vector<CompareRow>& rows,
                        const CompareContext& context) {
  std::vector<report::ReportInput> inputs;
  // The compare JSON is not written to a file here: label it as the command's output.
  inputs.push_back({report::InputKind::kCompare, "compare",
                    nlohmann::json::parse(compare_to_json(rows, context).dump())});
  for (const CompareRow& row : rows) {
    nlohmann::json run = nlohmann::json::parse(report_to_json(row.report).dump());
    run["mapping"] = row.method.label;
    inputs.push_back({report::InputKind::kRun, row.method.label, std::move(run)});
  }
  report::write_html_report(inputs, path,
                            "aimcsim compare: " + context.model + " on " + context.config);
}

}  // namespace aimcsim::cli
