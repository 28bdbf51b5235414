// Internal to sim/graph: the checks shape inference shares between its files.
// Every failed check throws GraphError "KIND 'NAME': problem; expected ...".
#pragma once

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "sim/graph/graph_error.h"
#include "sim/graph/shape_inference.h"

namespace aimcsim::detail {

// Collects the op's identity so every check can throw a message naming it.
class Checker {
 public:
  Checker(std::string_view name, OpKind kind, const OpAttrs& a, const std::vector<Shape>& in)
      : name_(name), kind_(kind), a_(a), in_(in) {}

  template <typename... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) const {
    throw GraphError(fmt::format("{} '{}': {}", op_kind_name(kind_), name_,
                                 fmt::format(f, std::forward<Args>(args)...)));
  }
  void require(bool ok, std::string_view what) const {
    if (!ok) fail("{}", what);
  }
  void positive(std::string_view attr, std::int64_t v) const {
    if (v < 1) fail("attribute {}={} is invalid; expected an integer >= 1", attr, v);
  }
  void rank(std::size_t operand, std::size_t r, std::string_view layout) const {
    if (in_[operand].size() != r) {
      fail("operand {} has shape {}; expected rank {} ({})", operand + 1,
           format_shape(in_[operand]), r, layout);
    }
  }
  int axis(std::size_t r) const {
    const int ax = normalise_axis(a_.axis, r);
    if (ax < 0) fail("attribute axis={} is out of range for rank {}", a_.axis, r);
    return ax;
  }
  // Output size of a sliding window along one dimension.
  std::int64_t window(std::string_view dim, std::int64_t size, std::int64_t k, std::int64_t s,
                      std::int64_t p, std::int64_t d) const {
    positive("kernel", k);
    positive("stride", s);
    positive("dilation", d);
    if (p < 0) fail("attribute padding={} is invalid; expected >= 0", p);
    const std::int64_t span = size + 2 * p - d * (k - 1) - 1;
    if (span < 0) {
      fail("kernel {} (dilation {}) does not fit input {} {} with padding {}", k, d, dim, size, p);
    }
    return span / s + 1;
  }

  std::string_view name_;
  OpKind kind_;
  const OpAttrs& a_;
  const std::vector<Shape>& in_;
};

// Shape inference of ops that only move data (input, constant, output, flatten,
// reshape, transpose, concat, slice, pad); layout_inference.cpp.
InferredOp infer_layout(const Checker& c, OpKind kind, const OpAttrs& a,
                        const std::vector<Shape>& in);

}  // namespace aimcsim::detail
