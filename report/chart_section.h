// One section of the HTML report: a Vega chart, the table beside it, and what made its data.
//
// Contract: `spec` is a complete Vega 5 specification (JSON) with its data inlined (no
// URLs: the page works offline); its main data marks are named "data-marks" so that tests
// and readers find them in the rendered SVG (class "role-mark data-marks"). Titles name
// what the chart shows and its units; `command` names the aimcsim command line(s) whose
// output the chart shows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aimcsim::report {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct ChartSection {
  std::string id;       // unique within a page: letters, digits, '-'
  std::string title;    // what the chart shows, with units
  std::string command;  // the command(s) that wrote the data
  std::string note;     // optional sentence under the title ("" = none)
  nlohmann::json spec;  // Vega 5 spec
  Table table;
};

}  // namespace aimcsim::report
