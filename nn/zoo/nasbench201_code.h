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
#include <string>

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

}  // namespace aimcsim::nn
