#include "sim/graph/trace_reader.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sim/graph/graph_builder.h"
#include "sim/graph/graph_error.h"
#include "sim/graph/op_attrs.h"
#include "sim/graph/trace_resolve.h"

namespace aimcsim {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (true) {
    pos = line.find_first_not_of(" \t\r", pos);
    if (pos == std::string_view::npos) return words;
    const std::size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
    words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
}

std::string kind_list() {
  std::string s;
  for (OpKind k : all_op_kinds()) s += (s.empty() ? "" : ", ") + std::string(op_kind_name(k));
  return s;
}

std::string attr_list(OpKind kind) {
  std::string s = op_signature(kind).max_inputs != 0 ? "in" : "";
  for (const AttrSpec& a : op_signature(kind).attrs) {
    s += (s.empty() ? "" : ", ") + std::string(a.name);
  }
  return s.empty() ? "none" : s;
}

// Parses the operands and attributes of one op statement (words[2..]).
void parse_op_words(const std::vector<std::string_view>& words, TraceStatement& st,
                    const std::string& file) {
  auto fail = [&](const std::string& msg) { throw TraceError(file, st.line, msg); };
  const std::string where = fmt::format("{} '{}'", op_kind_name(st.kind), st.name);
  const OpSignature& sig = op_signature(st.kind);
  std::set<std::string_view> seen;
  for (std::size_t i = 2; i < words.size(); ++i) {
    const std::size_t eq = words[i].find('=');
    if (eq == std::string_view::npos || eq == 0) {
      fail(fmt::format("{}: '{}' is not an attribute; expected key=value", where, words[i]));
    }
    const std::string_view key = words[i].substr(0, eq);
    const std::string_view value = words[i].substr(eq + 1);
    if (!seen.insert(key).second) fail(fmt::format("{}: attribute {} given twice", where, key));
    if (key == "in" && sig.max_inputs != 0) {
      for (std::string_view name : split_list(value)) {
        if (!is_valid_name(name)) {
          fail(fmt::format("{}: in={} is malformed; expected comma-separated op names", where,
                           value));
        }
        st.operands.emplace_back(name);
      }
      continue;
    }
    const AttrSpec* spec = find_attr(st.kind, key);
    if (spec == nullptr) {
      fail(fmt::format("{}: unknown attribute '{}'; expected one of: {}", where, key,
                       attr_list(st.kind)));
    }
    const std::string problem = set_attr(st.attrs, *spec, value);
    if (!problem.empty()) {
      fail(fmt::format("{}: attribute {}={} is malformed; {}", where, key, value, problem));
    }
  }
  if (sig.max_inputs != 0 && seen.count("in") == 0) {
    fail(fmt::format("{}: missing attribute in; expected in=OPERAND[,OPERAND...]", where));
  }
  for (const AttrSpec& spec : sig.attrs) {
    if (spec.required && seen.count(spec.name) == 0) {
      fail(fmt::format("{}: missing attribute {} ({}); expected {}={}", where, spec.name, spec.help,
                       spec.name, attr_syntax(spec)));
    }
  }
}

}  // namespace

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(',', pos), text.size());
    parts.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

Graph read_trace(std::istream& in, const std::string& file) {
  std::string network;
  std::vector<TraceStatement> ops;
  std::map<std::string, int, std::less<>> defined_at;  // op name -> line
  bool have_header = false;
  std::string raw;
  for (int line_no = 1; std::getline(in, raw); ++line_no) {
    auto fail = [&](const std::string& msg) { throw TraceError(file, line_no, msg); };
    const std::vector<std::string_view> words =
        split_words(std::string_view(raw).substr(0, raw.find('#')));
    if (words.empty()) continue;
    if (!have_header) {
      if (words.size() != 2 || words[0] != "aimcsim-trace") {
        fail(fmt::format("first statement is '{}'; expected the header 'aimcsim-trace {}'",
                         words[0], kTraceFormatVersion));
      }
      if (words[1] != std::to_string(kTraceFormatVersion)) {
        fail(fmt::format("trace format version {} is not supported; expected {}", words[1],
                         kTraceFormatVersion));
      }
      have_header = true;
      continue;
    }
    if (words[0] == "network") {
      if (!network.empty()) fail("network is given twice; expected one 'network NAME' line");
      if (!ops.empty()) fail("network comes after the first op; expected it before any op");
      if (words.size() != 2 || !is_valid_name(words[1])) {
        fail("network line is malformed; expected 'network NAME' (letters, digits, _ . - / :)");
      }
      network = words[1];
      continue;
    }
    const std::optional<OpKind> kind = parse_op_kind(words[0]);
    if (!kind)
      fail(fmt::format("unknown op '{}'; expected one of: {}, network", words[0], kind_list()));
    if (network.empty()) fail("op before the network line; expected 'network NAME' first");
    if (words.size() < 2 || words[1].find('=') != std::string_view::npos ||
        !is_valid_name(words[1])) {
      fail(
          fmt::format("{} has no valid name; expected '{} NAME key=value ...' with NAME of "
                      "letters, digits, _ . - / :",
                      words[0], words[0]));
    }
    TraceStatement st;
    st.line = line_no;
    st.kind = *kind;
    st.name = std::string(words[1]);
    st.attrs = default_attrs(*kind);
    if (auto it = defined_at.find(st.name); it != defined_at.end()) {
      fail(fmt::format("duplicate name '{}' (first defined on line {}); expected unique names",
                       st.name, it->second));
    }
    parse_op_words(words, st, file);
    defined_at.emplace(st.name, line_no);
    ops.push_back(std::move(st));
  }
  if (!have_header) throw TraceError(file, 0, "empty file; expected the header 'aimcsim-trace 1'");
  if (network.empty()) throw TraceError(file, 0, "no network line; expected 'network NAME'");
  return build_trace_graph(network, ops, file);
}

Graph parse_trace(std::string_view text, const std::string& file_label) {
  std::istringstream in{std::string(text)};
  return read_trace(in, file_label);
}

Graph read_trace_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw TraceError(path.string(), 0, "cannot open the trace file for reading");
  return read_trace(in, path.string());
}

}  // namespace aimcsim
