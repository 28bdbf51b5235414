// The report page (html_page.h).
#include "report/html_page.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/error.h"

namespace aimcsim::report {
namespace {

// The Vega 5 modules a page needs, in dependency order (each requires only earlier ones);
// Debian ships Vega as these UMD modules instead of the single upstream bundle.
const char* const kVegaModules[] = {
    "vega-util",           "vega-canvas",     "vega-time",       "vega-format",
    "vega-loader",         "vega-dataflow",   "vega-statistics", "vega-scale",
    "vega-scenegraph",     "vega-expression", "vega-selection",  "vega-functions",
    "vega-event-selector", "vega-encode",     "vega-transforms", "vega-view-transforms",
    "vega-runtime",        "vega-parser",     "vega-view"};

// Runs each UMD module in its CommonJS branch with a require() over the modules loaded so
// far (the upstream name "vega-selections" is Debian's "vega-selection").
const char* const kModuleLoader =
    "var __vegaModules = {};\n"
    "function __vegaRequire(name) {\n"
    "  if (name === 'vega-selections') name = 'vega-selection';\n"
    "  var m = __vegaModules[name];\n"
    "  if (!m) throw new Error('aimcsim report: Vega module ' + name + ' is missing');\n"
    "  return m;\n"
    "}\n";

// Registers the transforms (as upstream's vega/index.js does) and renders every spec.
const char* const kRenderScript = R"JS(
(function () {
  var M = __vegaModules;
  M['vega-util'].extend(M['vega-dataflow'].transforms, M['vega-transforms'],
                        M['vega-view-transforms'], M['vega-encode']);
  var specs = JSON.parse(document.getElementById('aimcsim-specs').textContent);
  var rendered = 0, failed = 0;
  function fail(el, id, e) {
    failed++;
    el.setAttribute('data-error', String(e));
    el.textContent = 'chart ' + id + ' failed: ' + e;
    console.error('aimcsim report: chart ' + id + ': ' + e);
  }
  var runs = specs.map(function (s) {
    var el = document.getElementById('chart-' + s.id);
    try {
      var view = new M['vega-view'].View(M['vega-parser'].parse(s.spec),
                                         {renderer: 'svg', container: el, hover: true});
      return view.runAsync().then(function () {
        rendered++;
        el.setAttribute('data-rendered', '1');
      }, function (e) { fail(el, s.id, e); });
    } catch (e) {
      fail(el, s.id, e);
      return Promise.resolve();
    }
  });
  Promise.all(runs).then(function () {
    document.body.setAttribute('data-charts-rendered', String(rendered));
    document.body.setAttribute('data-charts-failed', String(failed));
    // Charts change the page's height: go to the linked section once they are drawn.
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) target.scrollIntoView();
  });
})();
)JS";

const char* const kStyle = R"CSS(
body { font-family: sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin-bottom: 0.2em; }
code { font-size: 0.85em; background: #f4f4f4; padding: 1px 3px; word-break: break-all; }
section { border-top: 1px solid #ddd; padding-top: 0.6em; margin-top: 1.2em; }
.row { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.chart { flex: 0 0 auto; }
.table { flex: 1 1 320px; max-width: 640px; max-height: 420px; overflow: auto; }
table { border-collapse: collapse; font-size: 0.8em; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
td:not(:first-child) { white-space: nowrap; }
th { background: #f0f0f0; position: sticky; top: 0; }
.note { color: #555; font-size: 0.85em; margin: 0.2em 0; }
)CSS";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw Error("report: cannot read the Vega script " + path.string() +
                " (install the Debian package libjs-vega)");
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// JSON inside <script>: "</" would end the element; "\/" is the same string in JSON.
std::string script_safe_json(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<' && i + 1 < json.size() && (json[i + 1] == '/' || json[i + 1] == '!')) {
      out += "\\u003c";
    } else {
      out += json[i];
    }
  }
  return out;
}

void write_table(std::ostream& out, const Table& t) {
  out << "<table><thead><tr>";
  for (const auto& h : t.header) out << "<th>" << html_escape(h) << "</th>";
  out << "</tr></thead><tbody>\n";
  for (const auto& row : t.rows) {
    out << "<tr>";
    for (const auto& cell : row) out << "<td>" << html_escape(cell) << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table>";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_page(const PageInfo& info, const std::vector<ChartSection>& sections,
                        const std::string& vega_dir) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n"
      << "<title>" << html_escape(info.title) << "</title>\n<style>" << kStyle << "</style>\n"
      << "<script>\n"
      << kModuleLoader << "</script>\n";
  for (const char* module : kVegaModules) {
    const std::string code =
        read_file(std::filesystem::path(vega_dir) / (std::string(module) + ".min.js"));
    out << "<script>/* " << module << " (Debian libjs-vega) */\n"
        << "(function () { var module = {exports: {}}; var exports = module.exports; "
           "var require = __vegaRequire;\n"
        << code << "\n;__vegaModules['" << module << "'] = module.exports; })();\n</script>\n";
  }
  out << "</head><body>\n<h1>" << html_escape(info.title) << "</h1>\n";
  out << "<p class=\"note\">Charts drawn by Vega (Debian libjs-vega, inlined: the page works "
         "offline). Hover a mark for its values.</p>\n<h2>Inputs</h2>\n";
  write_table(out, Table{{"file", "kind", "command that wrote it"}, info.inputs});
  out << "\n<h2>Charts</h2><ul>\n";
  for (const ChartSection& s : sections) {
    out << "<li><a href=\"#sec-" << s.id << "\">" << html_escape(s.title) << "</a></li>\n";
  }
  out << "</ul>\n";
  nlohmann::json specs = nlohmann::json::array();
  for (const ChartSection& s : sections) {
    out << "<section id=\"sec-" << s.id << "\"><h2>" << html_escape(s.title) << "</h2>\n"
        << "<p class=\"note\">Data from: <code>" << html_escape(s.command) << "</code></p>\n";
    if (!s.note.empty()) out << "<p class=\"note\">" << html_escape(s.note) << "</p>\n";
    out << "<div class=\"row\"><div class=\"chart\" id=\"chart-" << s.id << "\"></div>"
        << "<div class=\"table\">";
    write_table(out, s.table);
    out << "</div></div></section>\n";
    specs.push_back({{"id", s.id}, {"spec", s.spec}});
  }
  out << "<script type=\"application/json\" id=\"aimcsim-specs\">" << script_safe_json(specs.dump())
      << "</script>\n<script>" << kRenderScript << "</script>\n</body></html>\n";
  return out.str();
}

}  // namespace aimcsim::report
