// Expansion of sweep axes into points, and point keys (sweep_points.h).
#include "explore/sweep_points.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "sim/config/param_table.h"

namespace aimcsim::explore {
namespace {

// Uniform in [0, 1) from 53 random bits (portable, unlike std::uniform_real_distribution).
double unit_uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

bool integer_axis(const SweepAxis& axis) {
  const ParamDecl* d = axis.keys.empty() ? nullptr : find_param_decl(axis.keys.front());
  return d != nullptr && d->kind == ParamKind::kInt;
}

RawValue sampled_value(const SweepAxis& axis, double x) {
  RawValue r;
  r.where = axis.where;
  const double v = axis.min + x * (axis.max - axis.min);
  if (integer_axis(axis)) {
    r.value = static_cast<std::int64_t>(std::llround(v));
    r.type_name = "integer";
  } else {
    r.value = v;
    r.type_name = "float";
  }
  return r;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string raw_value_text(const RawValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else {
          return fmt::format("{}", v);
        }
      },
      value.value);
}

std::vector<RawValue> expand_axis_values(const SweepSpec& spec, std::size_t axis_index) {
  const SweepAxis& axis = spec.axes.at(axis_index);
  if (axis.kind == AxisKind::kValues || axis.kind == AxisKind::kRange) return axis.values;
  std::mt19937_64 rng(axis.seed);
  std::vector<RawValue> out;
  out.reserve(axis.count);
  if (axis.kind == AxisKind::kRandom) {
    for (int i = 0; i < axis.count; ++i) out.push_back(sampled_value(axis, unit_uniform(rng)));
    return out;
  }
  // Latin hypercube: stratum order shuffled (Fisher-Yates), one uniform draw per stratum.
  std::vector<int> order(axis.count);
  std::iota(order.begin(), order.end(), 0);
  for (int i = axis.count - 1; i > 0; --i) {
    std::swap(order[i], order[static_cast<int>(rng() % static_cast<std::uint64_t>(i + 1))]);
  }
  for (int i = 0; i < axis.count; ++i) {
    out.push_back(sampled_value(axis, (order[i] + unit_uniform(rng)) / axis.count));
  }
  return out;
}

std::vector<SweepPoint> expand_sweep_points(const SweepSpec& spec) {
  std::vector<std::vector<RawValue>> values;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) values.push_back(expand_axis_values(spec, a));
  // Dimensions: one per non-LHS axis; in a grid all LHS axes together form one (zipped).
  std::vector<std::vector<std::size_t>> dims;
  int lhs_dim = -1;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    if (spec.axes[a].kind == AxisKind::kLhs) {
      if (lhs_dim < 0) {
        lhs_dim = static_cast<int>(dims.size());
        dims.push_back({});
      }
      dims[lhs_dim].push_back(a);
    } else {
      dims.push_back({a});
    }
  }
  // Combinations: per combination, the value index of every axis.
  std::vector<std::vector<std::size_t>> combos;
  if (spec.combine == Combine::kZip) {
    std::size_t n = values.empty() ? 1 : values.front().size();
    for (const auto& v : values) n = std::min(n, v.size());
    for (std::size_t i = 0; i < n; ++i) combos.emplace_back(values.size(), i);
  } else {
    std::vector<std::size_t> sizes;
    std::size_t total = 1;
    for (const auto& d : dims) {
      std::size_t n = values[d.front()].size();
      for (std::size_t a : d) n = std::min(n, values[a].size());
      sizes.push_back(n);
      total *= n;
    }
    for (std::size_t i = 0; i < total; ++i) {
      std::vector<std::size_t> combo(values.size(), 0);
      std::size_t rest = i;
      for (std::size_t d = dims.size(); d-- > 0;) {  // last dimension varies fastest
        for (std::size_t a : dims[d]) combo[a] = rest % sizes[d];
        rest /= sizes[d];
      }
      combos.push_back(std::move(combo));
    }
  }
  std::vector<SweepPoint> points;
  for (std::size_t w = 0; w < spec.workloads.size(); ++w) {
    for (std::size_t m = 0; m < spec.workloads[w].mappings.size(); ++m) {
      for (const auto& combo : combos) {
        SweepPoint p;
        p.index = static_cast<int>(points.size());
        p.workload = static_cast<int>(w);
        p.mapping = static_cast<int>(m);
        for (std::size_t a = 0; a < combo.size(); ++a) {
          const RawValue& v = values[a][combo[a]];
          p.axis_values.push_back(v);
          for (const auto& key : spec.axes[a].keys) p.overrides.push_back({key, v});
        }
        points.push_back(std::move(p));
      }
    }
  }
  return points;
}

std::string point_inputs_text(const SweepSpec& spec, const SweepPoint& point) {
  std::string text;
  try {
    const HardwareConfig config = load_hardware_config(spec.base_config, point.overrides);
    for (const ParamDecl& d : hardware_param_decls()) {
      text += fmt::format("{}={}\n", d.key, format_param_value(d.get(config)));
    }
  } catch (const Error&) {
    text += fmt::format("base_config={}\n", spec.base_config);
    for (const auto& o : point.overrides)
      text += fmt::format("{}={}\n", o.key, raw_value_text(o.value));
  }
  const SweepWorkload& w = spec.workloads.at(point.workload);
  const SweepMapping& m = w.mappings.at(point.mapping);
  if (!w.model.empty()) text += "model=" + w.model + "\n";
  if (!w.trace.empty()) text += "trace=" + file_text(w.trace) + "\n";
  if (!w.csv.empty()) text += "csv=" + file_text(w.csv) + "\n";
  if (!w.onnx.empty()) {
    text += fmt::format("onnx={}\ninput_shapes={}\nunknown_ops={}\n", file_text(w.onnx),
                        fmt::join(w.input_shapes, ","), w.unknown_ops);
  }
  text += "ckpt=" + w.ckpt + "\n";
  text += m.is_file ? "mapping_file=" + file_text(m.spec) + "\n" : "mapping=" + m.spec + "\n";
  text += fmt::format("samples={}\n", spec.samples);
  const AccuracySpec& a = spec.accuracy;
  if (a.enabled) {
    text += fmt::format("accuracy times={} seeds={} seed={} test_limit={} data_dir={}\n",
                        fmt::join(a.times_s, ","), a.seeds, a.seed, a.test_limit, a.data_dir);
  }
  if (spec.bench.enabled) {  // the training budget and evaluation make the cell's numbers
    const nn::CellBenchSettings& s = spec.bench.settings;
    text += fmt::format(
        "bench cells_per_stage={} fp_epochs={} train_limit={} hwa_train_limit={} fp_lr={} "
        "hwa_epochs={} hwa_lr={} gamma={} batch_size={} seed={} eval_seeds={} test_limit={} "
        "data_dir={}\n",
        s.cells_per_stage, s.fp_epochs, s.train_limit, s.hwa_train_limit, s.fp_lr, s.hwa_epochs,
        s.hwa_lr, s.gamma, s.batch_size, s.seed, s.eval_seeds, s.test_limit, spec.bench.data_dir);
  }
  return text;
}

std::string hash_hex(const std::string& text) {
  // Two 64-bit FNV-1a lanes with different offsets (a 128-bit key; no collision in practice).
  std::uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
  for (unsigned char c : text) {
    h1 = (h1 ^ c) * 0x100000001b3ULL;
    h2 = (h2 ^ c) * 0x100000001b3ULL;
    h2 ^= h2 >> 29;
  }
  return fmt::format("{:016x}{:016x}", h1, h2);
}

std::string point_key(const SweepSpec& spec, const SweepPoint& point) {
  return hash_hex(point_inputs_text(spec, point));
}

}  // namespace aimcsim::explore
