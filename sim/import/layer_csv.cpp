#include "sim/import/layer_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <set>
#include <vector>

#include "sim/graph/graph_builder.h"
#include "sim/import/import_error.h"

namespace aimcsim {
namespace {

struct Row {
  int line = 0;
  std::vector<std::string> cells;
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::optional<std::int64_t> to_int(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// `s` as it may appear in a one-line error: control and non-ASCII bytes (a binary
// file read as CSV) become '?', and more than `max` characters end in "...".
std::string printable(std::string_view s, std::size_t max = 60) {
  std::string out;
  for (char c : s.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u >= 0x7f ? '?' : c;
  }
  if (s.size() > max) out += "...";
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<Row> read_rows(std::istream& in) {
  std::vector<Row> rows;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    Row r{n, {}};
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      r.cells.push_back(trim(std::string_view(line).substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    while (!r.cells.empty() && r.cells.back().empty()) r.cells.pop_back();  // trailing commas
    if (!r.cells.empty()) rows.push_back(std::move(r));
  }
  return rows;
}

class ChainBuilder {
 public:
  ChainBuilder(std::string file, const std::string& network)
      : file_(std::move(file)), b_(network) {}

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw ImportError(fmt::format("{}:{}: {}", file_, line, message));
  }
  std::int64_t positive(const Row& r, std::size_t col, const char* what) const {
    auto v = to_int(r.cells[col]);
    if (!v || *v < 1) {
      fail(r.line, fmt::format("column {} ({}) is '{}'; expected a positive integer", col + 1, what,
                               printable(r.cells[col])));
    }
    return *v;
  }
  void need(const Row& r, std::size_t columns, const char* layout) const {
    if (r.cells.size() < columns) {
      fail(r.line, fmt::format("{} columns; expected {} ({})", r.cells.size(), columns, layout));
    }
  }
  std::string name(const std::string& raw) {
    std::string s = raw.empty() ? "layer" : raw;
    for (char& c : s) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' &&
          c != '/' && c != ':') {
        c = '_';
      }
    }
    std::string u = s;
    for (int k = 2; used_.count(u) > 0; ++k) u = fmt::format("{}_{}", s, k);
    used_.insert(u);
    return u;
  }
  // The chain's current tensor, made to have `shape`: the graph input for the
  // first layer; a reshape when only the layout differs; else pad/slice per axis.
  Tensor input(const std::string& layer, const Shape& shape) {
    if (!x_) return *(x_ = b_.input(name("input"), shape));
    Tensor x = *x_;
    const Shape have = b_.shape(x);
    if (have == shape) return x;
    if (numel(have) == numel(shape) || have.size() != shape.size()) {
      if (numel(have) != numel(shape)) {
        x = b_.flatten(name(layer + "/flat"), x, 0);
        const std::int64_t n = numel(shape), m = numel(have);
        x = m > n ? b_.slice(name(layer + "/cut"), x, 0, 0, n)
                  : b_.pad(name(layer + "/fill"), x, 0, 0, n - m);
      }
      return b_.reshape(name(layer + "/reshape"), x, shape);
    }
    for (std::size_t a = 0; a < shape.size(); ++a) {
      const std::int64_t h = b_.shape(x)[a], want = shape[a];
      const auto ax = static_cast<std::int64_t>(a);
      if (want > h)
        x = b_.pad(name(fmt::format("{}/pad{}", layer, a)), x, ax, (want - h) / 2,
                   want - h - (want - h) / 2);
      if (want < h) x = b_.slice(name(fmt::format("{}/cut{}", layer, a)), x, ax, 0, want);
    }
    return x;
  }
  void set(Tensor t) { x_ = t; }
  GraphBuilder& b() { return b_; }
  Graph finish(int line) {
    if (!x_) fail(line, "no layer rows; expected at least one");
    b_.output(name("output"), *x_);
    return std::move(b_).build();
  }

 private:
  std::string file_;
  GraphBuilder b_;
  std::optional<Tensor> x_;
  std::set<std::string> used_;
};

constexpr const char* kConvLayout =
    "name, ifmap_h, ifmap_w, filter_h, filter_w, channels, num_filter, stride";
constexpr const char* kNeuroLayout =
    "ifm_h, ifm_w, ifm_c, kernel_h, kernel_w, ofm_c, followed_by_maxpool, stride";

void conv_row(ChainBuilder& c, const Row& r) {
  c.need(r, 8, kConvLayout);
  const std::int64_t h = c.positive(r, 1, "ifmap_h"), w = c.positive(r, 2, "ifmap_w");
  const std::int64_t kh = c.positive(r, 3, "filter_h"), kw = c.positive(r, 4, "filter_w");
  const std::int64_t ch = c.positive(r, 5, "channels"), nf = c.positive(r, 6, "num_filter");
  const std::int64_t sh = c.positive(r, 7, "stride");
  const auto sw9 = r.cells.size() > 8 ? to_int(r.cells[8]) : std::nullopt;
  const std::int64_t sw = sw9 && *sw9 > 0 ? *sw9 : sh;
  if (kh > h || kw > w)
    c.fail(r.line, fmt::format("filter {}x{} exceeds the ifmap {}x{}", kh, kw, h, w));
  const std::string name = c.name(r.cells[0]);
  Tensor x = c.input(name, {1, ch, h, w});
  c.set(c.b().conv2d(name, x, {.out_channels = nf, .kernel = {kh, kw}, .stride = {sh, sw}}));
}

void gemm_row(ChainBuilder& c, const Row& r) {
  c.need(r, 4, "name, M, N, K");
  const std::int64_t m = c.positive(r, 1, "M"), n = c.positive(r, 2, "N"),
                     k = c.positive(r, 3, "K");
  const std::string name = c.name(r.cells[0]);
  Tensor x = c.input(name, {1, m, k});
  c.set(c.b().linear(name, x, n));
}

void neurosim_row(ChainBuilder& c, const Row& r, int index) {
  c.need(r, 8, kNeuroLayout);
  const std::int64_t h = c.positive(r, 0, "ifm_h"), w = c.positive(r, 1, "ifm_w");
  const std::int64_t ch = c.positive(r, 2, "ifm_c"), kh = c.positive(r, 3, "kernel_h");
  const std::int64_t kw = c.positive(r, 4, "kernel_w"), oc = c.positive(r, 5, "ofm_c");
  const auto pool = to_int(r.cells[6]);
  if (!pool || (*pool != 0 && *pool != 1)) {
    c.fail(r.line, fmt::format("column 7 (followed_by_maxpool) is '{}'; expected 0 or 1",
                               printable(r.cells[6])));
  }
  const std::int64_t s = c.positive(r, 7, "stride");
  const std::string name = c.name(fmt::format("layer{}", index));
  Tensor x = c.input(name, {1, ch, h, w});
  Tensor y = c.b().conv2d(name, x,
                          {.out_channels = oc,
                           .kernel = {kh, kw},
                           .stride = s,
                           .padding = {(kh - 1) / 2, (kw - 1) / 2}});
  if (*pool == 1) {
    const Shape& ys = c.b().shape(y);
    if (ys[2] < 2 || ys[3] < 2) c.fail(r.line, "max pool after a layer whose output is below 2x2");
    y = c.b().maxpool(c.name(name + ".pool"), y, 2, 2);
  }
  c.set(y);
}

LayerCsvFormat detect(const std::vector<Row>& rows, const std::string& file) {
  if (rows.empty())
    throw ImportError(file + ":0: no rows; expected a SCALE-Sim or NeuroSim layer table");
  const auto& head = rows.front().cells;
  const bool numeric =
      std::all_of(head.begin(), head.end(), [](const auto& s) { return to_int(s).has_value(); });
  if (numeric) return LayerCsvFormat::kNeuroSim;
  std::string joined;
  for (const auto& s : head) joined += lower(s) + "|";
  if (joined.find("ifmap") != std::string::npos || joined.find("filter") != std::string::npos) {
    return LayerCsvFormat::kScaleSimConv;
  }
  if (head.size() >= 4 && lower(head[1]) == "m" && lower(head[2]) == "n" && lower(head[3]) == "k") {
    return LayerCsvFormat::kScaleSimGemm;
  }
  throw ImportError(
      fmt::format("{}:{}: header '{}' is neither SCALE-Sim conv (IFMAP Height, ...) "
                  "nor GEMM (Layer, M, N, K), and the row is not a NeuroSim row of "
                  "8 integers",
                  file, rows.front().line, printable(joined)));
}

}  // namespace

Graph read_layer_csv(std::istream& in, const std::string& file_label, const std::string& network,
                     LayerCsvFormat format) {
  const std::vector<Row> rows = read_rows(in);
  if (format == LayerCsvFormat::kAuto) format = detect(rows, file_label);
  ChainBuilder c(file_label, network);
  const bool header = format != LayerCsvFormat::kNeuroSim;
  int index = 0;
  for (std::size_t i = header ? 1 : 0; i < rows.size(); ++i) {
    try {
      switch (format) {
        case LayerCsvFormat::kScaleSimConv:
          conv_row(c, rows[i]);
          break;
        case LayerCsvFormat::kScaleSimGemm:
          gemm_row(c, rows[i]);
          break;
        default:
          neurosim_row(c, rows[i], ++index);
          break;
      }
    } catch (const ImportError&) {
      throw;
    } catch (const std::exception& e) {
      c.fail(rows[i].line, e.what());
    }
  }
  return c.finish(rows.empty() ? 0 : rows.back().line);
}

Graph read_layer_csv_file(const std::filesystem::path& path, LayerCsvFormat format) {
  std::ifstream in(path);
  if (!in) throw ImportError(path.string() + ":0: cannot open the file");
  std::string network = path.stem().string();
  for (char& ch : network) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.' && ch != '-')
      ch = '_';
  }
  return read_layer_csv(in, path.string(), network.empty() ? "network" : network, format);
}

}  // namespace aimcsim
