// test-links: aimcsim_report
// `aimcsim report` end to end, in a real browser: Debian's chromium in headless mode renders
// a report made from small inputs; the test finds each chart's rendered marks in the DOM
// (--dump-dom), checks that the page logged nothing to the console and made no network
// request (Chromium's net log), and keeps a screenshot in build/tests/cli_report_out/.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "cli_support.h"

namespace fs = std::filesystem;
using aimcsim::test::run_cli;

namespace {

const fs::path kOut = fs::absolute("cli_report_out");

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Each test case writes into its own folder (ctest may run the cases in parallel).
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = kOut / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs headless chromium on `page` with `mode` ("--dump-dom > FILE" or "--screenshot=FILE");
// console messages and the net log go to DIR/NAME.stderr and DIR/NAME.netlog.json.
int run_chromium(const fs::path& dir, const fs::path& page, const std::string& name,
                 const std::string& mode) {
  const fs::path profile = dir / ("profile-" + name);
  fs::remove_all(profile);
  const std::string command =
      "chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=" +
      profile.string() +
      " --disable-background-networking --disable-component-update --disable-sync"
      " --enable-logging=stderr --v=0 --virtual-time-budget=15000 --window-size=1400,6000"
      " --log-net-log=" +
      (dir / (name + ".netlog.json")).string() + " " + mode + " file://" + page.string() + " 2> " +
      (dir / (name + ".stderr")).string();
  return std::system(command.c_str());
}

// Console lines of the page (Chromium logs every console call as "CONSOLE").
std::vector<std::string> console_lines(const fs::path& dir, const std::string& name) {
  std::vector<std::string> out;
  std::istringstream in(read_text(dir / (name + ".stderr")));
  for (std::string line; std::getline(in, line);) {
    if (line.find(":CONSOLE") != std::string::npos) out.push_back(line);
  }
  return out;
}

// URLs the page asked the network for: URL requests whose initiator is an origin (the
// browser's own background requests have initiator "not an origin").
std::vector<std::string> page_requests(const fs::path& dir, const std::string& name) {
  const nlohmann::json log = aimcsim::test::read_json((dir / (name + ".netlog.json")).string());
  const int start_job = log.at("constants").at("logEventTypes").at("URL_REQUEST_START_JOB");
  std::vector<std::string> urls;
  for (const auto& e : log.at("events")) {
    if (e.value("type", -1) != start_job || !e.contains("params")) continue;
    const auto& p = e.at("params");
    if (p.contains("url") && p.value("initiator", "") != "not an origin")
      urls.push_back(p.at("url"));
  }
  return urls;
}

// The DOM of chart ID: from its container to the next section.
std::string chart_dom(const std::string& dom, const std::string& id) {
  const std::size_t begin = dom.find("id=\"chart-" + id + "\"");
  if (begin == std::string::npos) return "";
  const std::size_t end = dom.find("</section>", begin);
  return dom.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// Number of drawn items (<path>, <line>) in the group of marks named "data-marks".
int data_marks(const std::string& chart) {
  const std::size_t g = chart.find("data-marks\"");
  if (g == std::string::npos) return 0;
  const std::size_t end = chart.find("</g>", g);
  const std::string group = chart.substr(g, end - g);
  static const std::regex item("<(path|line)[^>]*>");
  return static_cast<int>(std::distance(std::sregex_iterator(group.begin(), group.end(), item),
                                        std::sregex_iterator()));
}

}  // namespace

TEST_CASE("report renders every chart in headless chromium, silent and offline") {
  const fs::path dir = fresh_dir("browser");
  const std::string out = dir.string();
  for (const std::string mapping : {"first-last-digital", "all-analog"}) {
    const auto r = run_cli("run --hw configs/hermes.toml --trace traces/tiny_cnn.trace --mapping " +
                           mapping + " --json " + out + "/run-" + mapping + ".json --trace-out " +
                           out + "/trace-" + mapping + ".json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  }
  const std::string data = "tests/data/report/";
  const auto r =
      run_cli("report " + out + "/run-first-last-digital.json " + out + "/run-all-analog.json " +
              out + "/trace-all-analog.json " + data + "eval.json " + data + "robustness.json " +
              data + "compare.json " + data + "map-hilal-energy.json " + data +
              "map-front-generic.json " + data + "sweep.json --out " + out + "/report.html");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const fs::path page = dir / "report.html";
  const std::string html = read_text(page);
  CHECK(html.find("<script src") == std::string::npos);  // everything inlined
  CHECK(html.find("Content-Security-Policy") != std::string::npos);

  REQUIRE(run_chromium(dir, page, "dom", "--dump-dom > " + out + "/report.dom.html") == 0);
  const std::string dom = read_text(dir / "report.dom.html");
  static const std::regex chart_div("class=\"chart\"");
  const int charts = static_cast<int>(std::distance(
      std::sregex_iterator(html.begin(), html.end(), chart_div), std::sregex_iterator()));
  CHECK(charts == 16);
  CHECK(dom.find("data-charts-rendered=\"" + std::to_string(charts) + "\"") != std::string::npos);
  CHECK(dom.find("data-charts-failed=\"0\"") != std::string::npos);
  for (const std::string id :
       {"energy-kinds", "energy-layers-0", "energy-layers-1", "mapping-strip", "timeline-0",
        "accuracy-drift", "pareto-0", "pareto-1", "pareto-2", "pareto-3", "pareto-4",
        "sweep-0-line-0", "sweep-0-heat-0"}) {
    const std::string chart = chart_dom(dom, id);
    CHECK_MESSAGE(chart.find("data-rendered=\"1\"") != std::string::npos, id);
    CHECK_MESSAGE(data_marks(chart) > 0, id);
  }
  // One stacked bar segment per run and energy kind (10 kinds in sim/report/report_io.h).
  CHECK(data_marks(chart_dom(dom, "energy-kinds")) == 2 * 10);
  // The strip: every mapping (2 runs, 2 map reports) x every layer any of them names.
  // tiny_cnn has 2 mappable layers, resnet20 20, so 22 layers.
  CHECK(data_marks(chart_dom(dom, "mapping-strip")) == 4 * 22);
  // A front under a key other than hilal_energy is found: the mps front is in the Pareto chart.
  CHECK(chart_dom(dom, "pareto-0").find("map mps front") != std::string::npos);
  // Accuracy against drift: 4 eval times + 2 x 5 robustness times + 5 compare rows.
  CHECK(data_marks(chart_dom(dom, "accuracy-drift")) == 4 + 10 + 5);

  const auto console = console_lines(dir, "dom");
  CHECK_MESSAGE(console.empty(), (console.empty() ? "" : console.front()));
  const auto requests = page_requests(dir, "dom");
  CHECK_MESSAGE(requests.empty(), (requests.empty() ? "" : requests.front()));

  REQUIRE(run_chromium(dir, page, "shot", "--screenshot=" + out + "/report.png") == 0);
  REQUIRE(fs::exists(dir / "report.png"));
  CHECK(fs::file_size(dir / "report.png") > 50000);
  CHECK(console_lines(dir, "shot").empty());
}

TEST_CASE("compare --html writes a page whose charts render in headless chromium") {
  const fs::path dir = fresh_dir("compare-html");
  const std::string out = dir.string();
  const auto r = run_cli(
      "compare --model resnet8 --ckpt checkpoints/resnet8.pt --seeds 2 --seed 5 --test-limit 100"
      " --hw configs/default.toml --methods all-digital,first-last-digital,all-analog --time 1d"
      " --no-cache --json " +
      out + "/compare.json --html " + out + "/compare.html");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find(out + "/compare.html") != std::string::npos);  // path printed
  const fs::path page = dir / "compare.html";
  REQUIRE(run_chromium(dir, page, "dom", "--dump-dom > " + out + "/compare.dom.html") == 0);
  const std::string dom = read_text(dir / "compare.dom.html");
  CHECK(dom.find("data-charts-failed=\"0\"") != std::string::npos);
  // The rows' Pareto front (accuracy, latency, energy) and accuracy against drift: one
  // mark per row at least.
  for (const std::string id : {"pareto-0", "accuracy-drift"}) {
    const std::string chart = chart_dom(dom, id);
    CHECK_MESSAGE(chart.find("data-rendered=\"1\"") != std::string::npos, id);
    CHECK_MESSAGE(data_marks(chart) >= 3, id);
  }
  for (const std::string label : {"all-digital", "first-last-digital", "all-analog"}) {
    CHECK_MESSAGE(dom.find(label) != std::string::npos, label);
  }
  CHECK(console_lines(dir, "dom").empty());
  CHECK(page_requests(dir, "dom").empty());
  REQUIRE(run_chromium(dir, page, "shot", "--screenshot=" + out + "/compare.png") == 0);
  CHECK(fs::file_size(dir / "compare.png") > 20000);
}

TEST_CASE("report net-log check sees a page that loads from the network") {
  const fs::path dir = fresh_dir("negative");
  const fs::path page = dir / "loads-from-network.html";
  std::ofstream(page) << "<html><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>\n";
  REQUIRE(run_chromium(dir, page, "negative", "--dump-dom > /dev/null") == 0);
  const auto requests = page_requests(dir, "negative");
  REQUIRE(requests.size() == 1);
  CHECK(requests.front() == "http://127.0.0.1:9/x.png");
}

TEST_CASE("report rejects bad input with one line and a non-zero exit") {
  const fs::path dir = fresh_dir("bad-input");
  const std::string bad = " --out " + dir.string() + "/bad.html";
  auto one_line = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n') == 1; };
  auto r = run_cli("report tests/data/report/not-a-report.json" + bad);
  CHECK(r.exit_code != 0);
  CHECK(one_line(r.output));
  CHECK(r.output.find("not-a-report.json: not an aimcsim report") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "bad.html"));

  r = run_cli("report" + bad);
  CHECK(r.exit_code != 0);
  CHECK(one_line(r.output));
  CHECK(r.output.find("no input files") != std::string::npos);

  r = run_cli("report configs/hermes.toml" + bad);
  CHECK(r.exit_code != 0);
  CHECK(one_line(r.output));
  CHECK(r.output.find("configs/hermes.toml: not JSON") != std::string::npos);

  r = run_cli("report tests/data/report/missing.json" + bad);
  CHECK(r.exit_code != 0);
  CHECK(one_line(r.output));
  CHECK(r.output.find("missing.json: cannot read") != std::string::npos);

  std::ofstream(dir / "empty-list.json") << "[]\n";
  r = run_cli("report " + (dir / "empty-list.json").string() + bad);
  CHECK(r.exit_code != 0);
  CHECK(one_line(r.output));
  CHECK(r.output.find("empty-list.json: not an aimcsim report") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "bad.html"));
}
