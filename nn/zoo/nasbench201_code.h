// NAS-Bench-201 cell codes (Dong & Yang, ICLR 2020; AnalogNAS-Bench uses the
// same space, FACTS.md s.9). A cell is a DAG of 4 nodes; node i (1..3) is the
// sum of op(i<-j)(node j) over j < i. Its 6 edges, in this fixed order:
//   e0 = 1<-0, e1 = 2<-0, e2 = 2<-1, e3 = 3<-0, e4 = 3<-1, e5 = 3<-2.
//
// Accepted codes (parse_nb201_code):
//  - the benchmark's arch string, e.g.
//      |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|
//  - a compact 6-digit code, one digit per edge in the order above, with
//      0 = none, 1 = skip_connect, 2 = nor_conv_1x1, 3 = nor_conv_3x3, 4 = avg_pool_3x3
//    (the example above is 333133).
// Anything else throws aimcsim::Error naming the code and the expected form.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::nn {

enum class Nb201Op { kNone = 0, kSkipConnect, kNorConv1x1, kNorConv3x3, kAvgPool3x3 };

inline constexpr int kNb201Edges = 6;
// (to, from) node of each edge, in code order.
inline constexpr std::array<std::array<int, 2>, kNb201Edges> kNb201EdgeNodes = {
    {{1, 0}, {2, 0}, {2, 1}, {3, 0}, {3, 1}, {3, 2}}};

const char* to_string(Nb201Op op);

struct Nb201Cell {
  std::array<Nb201Op, kNb201Edges> ops{};
  std::string arch_string() const;  // canonical |op~j|+... form
  std::string digits() const;       // compact 6-digit form
};

Nb201Cell parse_nb201_code(const std::string& code);

inline constexpr int kNb201Codes = 15625;  // 5^6 cells

// How often each operation appears on the cell's 6 edges (indexed by Nb201Op); the counts
// sum to 6. Edges on paths that do not reach the output are counted too (as the
// AnalogNAS-Bench analysis counts a cell's operations).
std::array<int, 5> count_nb201_ops(const Nb201Cell& cell);

// The cell with index i in [0, 15625): its 6 digits are i in base 5, edge 0 first.
Nb201Cell nb201_cell_at(int index);

// `count` distinct cells drawn uniformly without replacement by a std::mt19937_64 seeded with
// `seed` (a partial Fisher-Yates shuffle of the 15,625 indices), in draw order; with
// `extremes`, the cells with the most 1x1 convolutions (222222) and the most 3x3 convolutions
// (333333) are added first (and not drawn again). Throws Error if count is outside
// [0, 15625].
std::vector<Nb201Cell> sample_nb201_cells(int count, std::uint64_t seed, bool extremes);

}  // namespace aimcsim::nn
