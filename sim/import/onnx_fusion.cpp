// Decomposed LayerNorm, GELU and Softmax, as torch.onnx.export writes them
// (opsets < 17 for LayerNorm, < 20 for GELU), found and fused back into one op:
//   LayerNorm: m=ReduceMean(x); d=Sub(x,m); v=ReduceMean(Pow(d,2)); Div(d, Sqrt(Add(v,eps)))
//              [, Mul(., gamma)[, Add(., beta)]]
//   GELU:      Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)  (or Erf(Mul(x, 1/sqrt 2)),
//              or the 0.5 applied to x first)
//   Softmax:   e=Exp(x [- ReduceMax(x)]); Div(e, ReduceSum(e))
// A pattern is fused only when nothing outside it reads its inner values.
#include <algorithm>
#include <cmath>
#include <set>

#include "sim/import/onnx_context.h"

namespace aimcsim::onnx_import {
namespace {

using onnx::GraphProto;
using onnx::NodeProto;

class Matcher {
 public:
  Matcher(const GraphProto& g, const Context& cx) : g_(g), cx_(cx) {
    for (int i = 0; i < g.node_size(); ++i) {
      for (const auto& o : g.node(i).output()) producer_[o] = i;
    }
  }

  // Node producing `value` if it has type `type`, else -1.
  int producer(const std::string& value, const std::string& type) const {
    auto it = producer_.find(value);
    if (it == producer_.end() || g_.node(it->second).op_type() != type) return -1;
    return it->second;
  }
  const NodeProto& node(int i) const { return g_.node(i); }
  // The scalar constant `value`, if it is one.
  std::optional<double> scalar(const std::string& value) const {
    const ConstValue* c = cx_.find_const(value);
    if (c == nullptr || !c->data || c->data->size() != 1) return std::nullopt;
    return c->data->front();
  }
  bool near(const std::string& value, double expected) const {
    auto v = scalar(value);
    return v && std::abs(*v - expected) < 1e-3 * std::max(1.0, std::abs(expected));
  }
  // The other input of a binary node, given one of its inputs.
  static const std::string* other(const NodeProto& n, const std::string& one) {
    if (n.input_size() != 2) return nullptr;
    if (n.input(0) == one) return &n.input(1);
    if (n.input(1) == one) return &n.input(0);
    return nullptr;
  }
  // Sole reader of `value` if it has type `type`, else -1.
  int sole(const std::string& value, const std::string& type) const {
    const int i = cx_.sole_consumer(value);
    if (i < 0 || g_.node(i).op_type() != type) return -1;
    return i;
  }
  // Every reader of every value produced by group nodes other than `last` is in the group.
  bool closed(const std::vector<int>& nodes, int last) const {
    const std::set<int> group(nodes.begin(), nodes.end());
    for (int i : nodes) {
      if (i == last) continue;
      for (const auto& o : g_.node(i).output()) {
        if (cx_.graph_outputs.count(o) > 0) return false;
        auto it = cx_.consumers.find(o);
        if (it == cx_.consumers.end()) continue;
        for (int c : it->second) {
          if (group.count(c) == 0) return false;
        }
      }
    }
    return true;
  }
  // The other input of binary node `i` (given `one`) is a constant.
  bool const_other(int i, const std::string& one) const {
    const std::string* o = other(g_.node(i), one);
    return o != nullptr && cx_.find_const(*o) != nullptr;
  }
  std::vector<std::int64_t> axes(const NodeProto& n) const {
    if (find_attr(n, "axes") != nullptr) return attr_ints(n, "axes");
    if (n.input_size() > 1) {
      const ConstValue* c = cx_.find_const(n.input(1));
      if (c != nullptr && c->data) return c->ints();
    }
    return {};
  }

 private:
  const GraphProto& g_;
  const Context& cx_;
  std::unordered_map<std::string, int> producer_;
};

bool last_axis(const std::vector<std::int64_t>& axes) {
  return axes == std::vector<std::int64_t>{-1};
}

std::optional<FusedOp> layernorm(const Matcher& m, int div) {
  const NodeProto& d = m.node(div);
  const int sub = m.producer(d.input(0), "Sub"), sqrt = m.producer(d.input(1), "Sqrt");
  if (sub < 0 || sqrt < 0) return std::nullopt;
  const std::string& x = m.node(sub).input(0);
  const int mean = m.producer(m.node(sub).input(1), "ReduceMean");
  const int add = m.producer(m.node(sqrt).input(0), "Add");
  if (mean < 0 || add < 0 || m.node(mean).input(0) != x || !last_axis(m.axes(m.node(mean))))
    return std::nullopt;
  const int var = m.producer(m.node(add).input(0), "ReduceMean");
  if (var < 0 || !last_axis(m.axes(m.node(var)))) return std::nullopt;
  const int pow = m.producer(m.node(var).input(0), "Pow");
  if (pow < 0 || m.node(pow).input(0) != d.input(0) || !m.near(m.node(pow).input(1), 2.0))
    return std::nullopt;
  FusedOp f{OpKind::kLayerNorm, x, d.output(0), -1, {mean, sub, pow, var, add, sqrt, div}, div};
  int last = div;
  if (int mul = m.sole(d.output(0), "Mul"); mul >= 0 && m.const_other(mul, d.output(0))) {
    f.nodes.push_back(last = mul);
    const std::string& g = m.node(mul).output(0);
    if (int bias = m.sole(g, "Add"); bias >= 0 && m.const_other(bias, g))
      f.nodes.push_back(last = bias);
  }
  f.output = m.node(last).output(0);
  if (!m.closed(f.nodes, last)) return std::nullopt;
  return f;
}

std::optional<FusedOp> gelu(const Matcher& m, int erf) {
  const std::string& in = m.node(erf).input(0);
  int scale = m.producer(in, "Div");
  double factor = std::sqrt(2.0);
  if (scale < 0) {
    scale = m.producer(in, "Mul");
    factor = 1 / std::sqrt(2.0);
  }
  if (scale < 0) return std::nullopt;
  const NodeProto& s = m.node(scale);
  if (s.input_size() != 2) return std::nullopt;
  const bool const_second = m.near(s.input(1), factor);
  if (!const_second && !(s.op_type() == "Mul" && m.near(s.input(0), factor))) return std::nullopt;
  const std::string x = const_second ? s.input(0) : s.input(1);
  const int add = m.sole(m.node(erf).output(0), "Add");
  if (add < 0) return std::nullopt;
  const std::string* one = Matcher::other(m.node(add), m.node(erf).output(0));
  if (one == nullptr || !m.near(*one, 1.0)) return std::nullopt;
  const int mul1 = m.sole(m.node(add).output(0), "Mul");
  if (mul1 < 0) return std::nullopt;
  const std::string* y = Matcher::other(m.node(mul1), m.node(add).output(0));
  if (y == nullptr) return std::nullopt;
  FusedOp f{OpKind::kGelu, x, "", -1, {scale, erf, add, mul1}, erf};
  int last = mul1;
  if (*y == x) {  // 0.5 applied last
    const int half = m.sole(m.node(mul1).output(0), "Mul");
    const std::string* c =
        half < 0 ? nullptr : Matcher::other(m.node(half), m.node(mul1).output(0));
    if (c == nullptr || !m.near(*c, 0.5)) return std::nullopt;
    f.nodes.push_back(last = half);
  } else {  // 0.5 applied to x first
    const int half = m.producer(*y, "Mul");
    const std::string* c = half < 0 ? nullptr : Matcher::other(m.node(half), x);
    if (c == nullptr || !m.near(*c, 0.5)) return std::nullopt;
    f.nodes.push_back(half);
  }
  f.output = m.node(last).output(0);
  if (!m.closed(f.nodes, last)) return std::nullopt;
  return f;
}

std::optional<FusedOp> softmax(const Matcher& m, int div) {
  const NodeProto& d = m.node(div);
  const int exp = m.producer(d.input(0), "Exp"), sum = m.producer(d.input(1), "ReduceSum");
  if (exp < 0 || sum < 0 || m.node(sum).input(0) != d.input(0)) return std::nullopt;
  const auto axes = m.axes(m.node(sum));
  if (axes.size() != 1) return std::nullopt;
  FusedOp f{OpKind::kSoftmax, m.node(exp).input(0), d.output(0),
            axes.front(),     {exp, sum, div},      div};
  if (int sub = m.producer(f.input, "Sub"); sub >= 0) {
    const int max = m.producer(m.node(sub).input(1), "ReduceMax");
    if (max >= 0 && m.node(max).input(0) == m.node(sub).input(0)) {
      f.input = m.node(sub).input(0);
      f.nodes.insert(f.nodes.begin(), {max, sub});
    }
  }
  if (!m.closed(f.nodes, div)) return std::nullopt;
  return f;
}

}  // namespace

std::unordered_map<int, FusedOp> find_fusions(const GraphProto& graph, const Context& cx) {
  const Matcher m(graph, cx);
  std::unordered_map<int, FusedOp> found;
  std::set<int> taken;
  for (int i = 0; i < graph.node_size(); ++i) {
    const std::string& t = graph.node(i).op_type();
    std::optional<FusedOp> f;
    if (t == "Div") f = layernorm(m, i);
    if (!f && t == "Div") f = softmax(m, i);
    if (!f && t == "Erf") f = gelu(m, i);
    if (!f) continue;
    bool clash = false;
    for (int k : f->nodes) clash = clash || taken.count(k) > 0;
    if (clash) continue;
    taken.insert(f->nodes.begin(), f->nodes.end());
    int last = *std::max_element(f->nodes.begin(), f->nodes.end());
    found[last] = std::move(*f);
  }
  return found;
}

}  // namespace aimcsim::onnx_import
