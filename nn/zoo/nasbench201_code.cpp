#include "nn/zoo/nasbench201_code.h"

#include <random>
#include <vector>

#include "models/error.h"

namespace aimcsim::nn {
namespace {

constexpr std::array<const char*, 5> kOpNames = {"none", "skip_connect", "nor_conv_1x1",
                                                 "nor_conv_3x3", "avg_pool_3x3"};

[[noreturn]] void bad_code(const std::string& code, const std::string& why) {
  throw Error("invalid NAS-Bench-201 cell code '" + code + "': " + why +
              "; expected an arch string like "
              "'|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
              "nor_conv_3x3~2|' or 6 digits over 0=none 1=skip_connect 2=nor_conv_1x1 "
              "3=nor_conv_3x3 4=avg_pool_3x3 (e.g. 333133)");
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1) {
    parts.push_back(s.substr(start, pos - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

Nb201Cell parse_digits(const std::string& code) {
  Nb201Cell cell;
  for (int e = 0; e < kNb201Edges; ++e) {
    const char c = code[static_cast<size_t>(e)];
    if (c < '0' || c > '4') bad_code(code, std::string("digit '") + c + "' is not in 0..4");
    cell.ops[static_cast<size_t>(e)] = static_cast<Nb201Op>(c - '0');
  }
  return cell;
}

Nb201Cell parse_arch_string(const std::string& code) {
  const auto nodes = split(code, '+');
  if (nodes.size() != 3) bad_code(code, "expected 3 '+'-separated node groups");
  Nb201Cell cell;
  size_t edge = 0;
  for (size_t n = 0; n < 3; ++n) {
    const std::string& group = nodes[n];
    if (group.size() < 2 || group.front() != '|' || group.back() != '|') {
      bad_code(code, "node group '" + group + "' must start and end with '|'");
    }
    const auto ops = split(group.substr(1, group.size() - 2), '|');
    if (ops.size() != n + 1) {
      bad_code(code, "node " + std::to_string(n + 1) + " needs " + std::to_string(n + 1) +
                         " inputs, got " + std::to_string(ops.size()));
    }
    for (size_t j = 0; j < ops.size(); ++j, ++edge) {
      const std::string expected_suffix = "~" + std::to_string(j);
      const std::string& op = ops[j];
      if (op.size() <= 2 || op.substr(op.size() - 2) != expected_suffix) {
        bad_code(code, "op '" + op + "' must end with '" + expected_suffix + "'");
      }
      const std::string op_name = op.substr(0, op.size() - 2);
      size_t k = 0;
      while (k < kOpNames.size() && op_name != kOpNames[k]) ++k;
      if (k == kOpNames.size()) bad_code(code, "unknown op '" + op_name + "'");
      cell.ops[edge] = static_cast<Nb201Op>(k);
    }
  }
  return cell;
}

}  // namespace

const char* to_string(Nb201Op op) { return kOpNames[static_cast<size_t>(op)]; }

std::array<int, 5> count_nb201_ops(const Nb201Cell& cell) {
  std::array<int, 5> counts{};
  for (Nb201Op op : cell.ops) ++counts[static_cast<size_t>(op)];
  return counts;
}

Nb201Cell nb201_cell_at(int index) {
  if (index < 0 || index >= kNb201Codes) {
    throw Error("NAS-Bench-201 cell index " + std::to_string(index) + " is outside [0, 15625)");
  }
  Nb201Cell cell;
  for (int e = 0; e < kNb201Edges; ++e, index /= 5) {
    cell.ops[static_cast<size_t>(e)] = static_cast<Nb201Op>(index % 5);
  }
  return cell;
}

std::vector<Nb201Cell> sample_nb201_cells(int count, std::uint64_t seed, bool extremes) {
  if (count < 0 || count > kNb201Codes) {
    throw Error("NAS-Bench-201 sample of " + std::to_string(count) + " cells; expected 0 to 15625");
  }
  std::vector<int> index(kNb201Codes);
  for (int i = 0; i < kNb201Codes; ++i) index[static_cast<size_t>(i)] = i;
  std::vector<Nb201Cell> cells;
  std::vector<bool> taken(kNb201Codes, false);
  if (extremes) {
    for (const char* code : {"222222", "333333"}) {
      cells.push_back(parse_nb201_code(code));
      int i = 0;  // the cell's index: digits in base 5, edge 0 least significant
      for (int e = kNb201Edges - 1; e >= 0; --e) i = 5 * i + (code[e] - '0');
      taken[static_cast<size_t>(i)] = true;
    }
  }
  std::mt19937_64 rng(seed);
  std::size_t end = index.size();
  for (int drawn = 0; drawn < count && end > 0;) {
    std::uniform_int_distribution<std::size_t> pick(0, end - 1);
    const std::size_t j = pick(rng);
    const int i = index[j];
    index[j] = index[--end];
    if (taken[static_cast<size_t>(i)]) continue;
    cells.push_back(nb201_cell_at(i));
    ++drawn;
  }
  return cells;
}

std::string Nb201Cell::arch_string() const {
  std::string s;
  size_t edge = 0;
  for (int node = 1; node <= 3; ++node) {
    if (node > 1) s += "+";
    s += "|";
    for (int j = 0; j < node; ++j, ++edge) {
      s += std::string(to_string(ops[edge])) + "~" + std::to_string(j) + "|";
    }
  }
  return s;
}

std::string Nb201Cell::digits() const {
  std::string s;
  for (Nb201Op op : ops) s += static_cast<char>('0' + static_cast<int>(op));
  return s;
}

Nb201Cell parse_nb201_code(const std::string& code) {
  if (code.size() == kNb201Edges && code.find('|') == std::string::npos) return parse_digits(code);
  if (code.find('|') == std::string::npos) bad_code(code, "neither 6 digits nor an arch string");
  return parse_arch_string(code);
}

}  // namespace aimcsim::nn
