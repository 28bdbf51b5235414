// Structural reading of a sweep spec (sweep_spec.h).
#include "explore/sweep_spec.h"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "models/device/drift_time.h"
#include "models/error.h"
#include "sim/config/key_suggestion.h"

namespace aimcsim::explore {
namespace {

namespace fs = std::filesystem;

class SpecReader {
 public:
  SpecReader(SweepSpec& spec, Diagnostics& diag) : spec_(spec), diag_(diag) {}

  SourceLoc at(const toml::node& node) const {
    return {spec_.file, static_cast<int>(node.source().begin.line)};
  }
  void fail(const toml::node& node, const std::string& key, const std::string& message) {
    diag_.add(at(node), key, message);
  }
  // Reports keys of `table` outside `known`, with a suggestion.
  void check_keys(const toml::table& table, const std::string& prefix,
                  const std::vector<std::string>& known) {
    for (const auto& [k, node] : table) {
      const std::string key(k.str());
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      const auto best = closest_name(key, known);
      fail(node, prefix + key,
           "unknown key" + (best ? fmt::format(" (did you mean {}?)", *best) : std::string()));
    }
  }
  std::string path_of(const std::string& text) const {
    const fs::path p(text);
    return p.is_absolute() ? text
                           : (fs::path(spec_.file).parent_path() / p).lexically_normal().string();
  }

  template <class T>
  std::optional<T> get(const toml::table& table, const std::string& key, const std::string& what,
                       const std::string& prefix) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto v = node->value_exact<T>()) return *v;
    if constexpr (std::is_same_v<T, double>) {
      if (auto i = node->value_exact<std::int64_t>()) return static_cast<double>(*i);
    }
    fail(*node, prefix + key, "expected " + what);
    return std::nullopt;
  }

  std::vector<std::string> strings(const toml::table& table, const std::string& key,
                                   const std::string& prefix,
                                   std::vector<SourceLoc>* where = nullptr) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (node == nullptr) return out;
    const toml::array* arr = node->as_array();
    if (arr == nullptr) {
      fail(*node, prefix + key, "expected an array of strings");
      return out;
    }
    for (const toml::node& item : *arr) {
      if (auto s = item.value_exact<std::string>()) {
        out.push_back(*s);
        if (where) where->push_back(at(item));
      } else {
        fail(item, prefix + key, "expected a string");
      }
    }
    return out;
  }

  void read(const toml::table& root) {
    check_keys(root, "",
               {"schema_version", "base_config", "combine", "samples", "mappings", "axis",
                "workload", "accuracy", "bench"});
    const auto version = get<std::int64_t>(root, "schema_version", "integer", "");
    if (!version || *version != kSweepSchemaVersion) {
      diag_.add({spec_.file, 1}, "schema_version",
                fmt::format("expected schema_version = {}", kSweepSchemaVersion));
    }
    if (const auto base = get<std::string>(root, "base_config", "a file path (string)", "")) {
      spec_.base_config = path_of(*base);
      spec_.base_where = at(*root.get("base_config"));
    } else if (root.get("base_config") == nullptr) {
      diag_.add({spec_.file, 1}, "base_config", "missing required key (the hardware config file)");
    }
    if (const auto c = get<std::string>(root, "combine", "\"grid\" or \"zip\"", "")) {
      if (*c == "grid" || *c == "zip") {
        spec_.combine = *c == "grid" ? Combine::kGrid : Combine::kZip;
      } else {
        fail(*root.get("combine"), "combine",
             fmt::format("expected \"grid\" or \"zip\", got \"{}\"", *c));
      }
    }
    if (const auto s = get<std::int64_t>(root, "samples", "integer", "")) {
      if (*s < 1 || *s > 1000000) fail(*root.get("samples"), "samples", "expected 1..1000000");
      spec_.samples = static_cast<int>(*s);
    }
    std::vector<SourceLoc> default_where;
    const auto default_mappings = strings(root, "mappings", "", &default_where);
    read_array_of_tables(root, "axis", [&](const toml::table& t, int i) { read_axis(t, i); });
    read_array_of_tables(root, "workload", [&](const toml::table& t, int i) {
      read_workload(t, i, default_mappings, default_where);
    });
    if (const toml::node* bench = root.get("bench")) {
      if (const toml::table* t = bench->as_table()) {
        read_bench(*t, *bench, default_mappings, default_where);
      } else {
        fail(*bench, "bench", "expected a table [bench]");
      }
    }
    if (spec_.bench.enabled && root.get("workload") != nullptr) {
      fail(*root.get("workload"), "workload",
           "[bench] makes its cells the workloads; expected no [[workload]] beside it");
    }
    if (spec_.bench.enabled && root.get("accuracy") != nullptr) {
      fail(*root.get("accuracy"), "accuracy",
           "[bench] measures its own accuracies; expected no [accuracy] beside it");
    }
    if (spec_.workloads.empty() && root.get("workload") == nullptr && !spec_.bench.enabled) {
      diag_.add({spec_.file, 1}, "workload", "missing: give at least one [[workload]]");
    }
    if (const toml::node* acc = root.get("accuracy")) {
      if (const toml::table* t = acc->as_table()) {
        read_accuracy(*t, *acc);
      } else {
        fail(*acc, "accuracy", "expected a table [accuracy]");
      }
    }
  }

  template <class F>
  void read_array_of_tables(const toml::table& root, const std::string& key, F&& each) {
    const toml::node* node = root.get(key);
    if (node == nullptr) return;
    const toml::array* arr = node->as_array();
    if (arr == nullptr) {
      fail(*node, key, fmt::format("expected an array of tables [[{}]]", key));
      return;
    }
    int i = 0;
    for (const toml::node& item : *arr) {
      if (const toml::table* t = item.as_table()) {
        each(*t, i);
      } else {
        fail(item, key, "expected a table");
      }
      ++i;
    }
  }

  void read_axis(const toml::table& t, int i) {
    const std::string p = fmt::format("axis[{}].", i);
    check_keys(t, p, {"name", "key", "keys", "values", "range", "random", "lhs"});
    SweepAxis axis;
    axis.where = at(t);
    if (auto k = get<std::string>(t, "key", "a config key (string)", p)) {
      axis.keys.push_back(*k);
      axis.key_where.push_back(at(*t.get("key")));
    }
    for (auto& k : strings(t, "keys", p, &axis.key_where)) axis.keys.push_back(k);
    if (axis.keys.empty())
      diag_.add(axis.where, p + "key", "missing: give key = \"...\" or keys = [...]");
    axis.name = column_name_of(
        get<std::string>(t, "name", "string", p)
            .value_or(axis.keys.empty() ? fmt::format("axis{}", i) : axis.keys.front()));
    int forms = 0;
    if (const toml::node* v = t.get("values")) {
      ++forms;
      axis.kind = AxisKind::kValues;
      if (const toml::array* arr = v->as_array()) {
        for (const toml::node& item : *arr) axis.values.push_back(raw_of(item));
        if (arr->empty()) fail(*v, p + "values", "expected at least one value");
      } else {
        fail(*v, p + "values", "expected an array of values");
      }
    }
    if (const toml::node* r = t.get("range")) {
      ++forms;
      axis.kind = AxisKind::kRange;
      read_range(*r, p, axis);
    }
    for (const char* key : {"random", "lhs"}) {
      const toml::node* s = t.get(key);
      if (s == nullptr) continue;
      ++forms;
      axis.kind = std::string(key) == "lhs" ? AxisKind::kLhs : AxisKind::kRandom;
      read_sampled(*s, p + key, axis);
    }
    if (forms != 1) {
      diag_.add(axis.where, p + "values",
                "expected exactly one of values = [...], range = [from, to, step], random = "
                "{...}, lhs = {...}");
    }
    spec_.axes.push_back(std::move(axis));
  }

  RawValue raw_of(const toml::node& n) const {
    RawValue r;
    r.where = at(n);
    if (auto b = n.value_exact<bool>()) {
      r.value = *b, r.type_name = "boolean";
    } else if (auto i = n.value_exact<std::int64_t>()) {
      r.value = *i, r.type_name = "integer";
    } else if (auto f = n.value_exact<double>()) {
      r.value = *f, r.type_name = "float";
    } else if (auto s = n.value_exact<std::string>()) {
      r.value = *s, r.type_name = "string";
    } else {
      r.type_name = n.is_array() ? "array" : n.is_table() ? "table" : "date-time";
    }
    return r;
  }

  void read_range(const toml::node& node, const std::string& p, SweepAxis& axis) {
    const toml::array* arr = node.as_array();
    std::vector<RawValue> parts;
    if (arr != nullptr) {
      for (const toml::node& item : *arr) parts.push_back(raw_of(item));
    }
    const auto num = [](const RawValue& r) -> std::optional<double> {
      if (auto i = std::get_if<std::int64_t>(&r.value)) return static_cast<double>(*i);
      if (auto f = std::get_if<double>(&r.value)) return *f;
      return std::nullopt;
    };
    if (parts.size() != 3 || !num(parts[0]) || !num(parts[1]) || !num(parts[2])) {
      fail(node, p + "range", "expected [from, to, step] (numbers)");
      return;
    }
    const double from = *num(parts[0]), to = *num(parts[1]), step = *num(parts[2]);
    if (!(step > 0) || to < from || (to - from) / step > 1e6) {
      fail(node, p + "range", "expected from <= to and step > 0 (at most 1e6 values)");
      return;
    }
    const bool ints = std::all_of(parts.begin(), parts.end(), [](const RawValue& r) {
      return std::holds_alternative<std::int64_t>(r.value);
    });
    const auto n = static_cast<std::int64_t>((to - from) / step + 1e-9);
    for (std::int64_t k = 0; k <= n; ++k) {
      RawValue r;
      r.where = at(node);
      if (ints) {
        r.value =
            std::get<std::int64_t>(parts[0].value) + k * std::get<std::int64_t>(parts[2].value);
        r.type_name = "integer";
      } else {
        r.value = from + static_cast<double>(k) * step;
        r.type_name = "float";
      }
      axis.values.push_back(std::move(r));
    }
  }

  void read_sampled(const toml::node& node, const std::string& p, SweepAxis& axis) {
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      fail(node, p, "expected {min = ..., max = ..., count = N, seed = S}");
      return;
    }
    check_keys(*t, p + ".", {"min", "max", "count", "seed"});
    const auto lo = get<double>(*t, "min", "number", p + ".");
    const auto hi = get<double>(*t, "max", "number", p + ".");
    const auto count = get<std::int64_t>(*t, "count", "integer", p + ".");
    const auto seed = get<std::int64_t>(*t, "seed", "integer", p + ".");
    if (!lo || !hi || !count) {
      fail(node, p, "expected min, max (numbers) and count (integer)");
      return;
    }
    if (*hi < *lo || *count < 1 || *count > 1000000) {
      fail(node, p, "expected min <= max and 1 <= count <= 1000000");
      return;
    }
    axis.min = *lo, axis.max = *hi, axis.count = static_cast<int>(*count);
    axis.seed = static_cast<std::uint64_t>(seed.value_or(0));
  }

  void read_workload(const toml::table& t, int i, const std::vector<std::string>& defaults,
                     const std::vector<SourceLoc>& default_where) {
    const std::string p = fmt::format("workload[{}].", i);
    check_keys(t, p,
               {"name", "model", "trace", "onnx", "csv", "input_shapes", "unknown_ops", "ckpt",
                "mappings"});
    SweepWorkload w;
    w.where = at(t);
    w.model = get<std::string>(t, "model", "a zoo model name (string)", p).value_or("");
    if (auto tr = get<std::string>(t, "trace", "a trace file (string)", p)) w.trace = path_of(*tr);
    if (auto f = get<std::string>(t, "onnx", "an ONNX model file (string)", p))
      w.onnx = path_of(*f);
    if (auto f = get<std::string>(t, "csv", "a layer CSV file (string)", p)) w.csv = path_of(*f);
    if (!w.model.empty() + !w.trace.empty() + !w.onnx.empty() + !w.csv.empty() != 1) {
      diag_.add(w.where, p + "model",
                "expected exactly one of model = \"NAME\", trace = \"FILE\", onnx = \"FILE\" or "
                "csv = \"FILE\"");
    }
    w.input_shapes = strings(t, "input_shapes", p, nullptr);
    w.unknown_ops =
        get<std::string>(t, "unknown_ops", "\"error\" or \"digital\"", p).value_or("error");
    if (w.onnx.empty() && (!w.input_shapes.empty() || w.unknown_ops != "error")) {
      diag_.add(w.where, p + "input_shapes", "input_shapes and unknown_ops apply to onnx only");
    }
    if (auto c = get<std::string>(t, "ckpt", "a checkpoint file (string)", p)) w.ckpt = path_of(*c);
    w.label = get<std::string>(t, "name", "string", p)
                  .value_or(!w.model.empty() ? w.model
                                             : fs::path(!w.trace.empty()  ? w.trace
                                                        : !w.onnx.empty() ? w.onnx
                                                                          : w.csv)
                                                   .stem()
                                                   .string());
    std::vector<SourceLoc> where;
    std::vector<std::string> mappings = strings(t, "mappings", p, &where);
    if (t.get("mappings") == nullptr) mappings = defaults, where = default_where;
    if (mappings.empty()) {
      diag_.add(w.where, p + "mappings", "no mappings: give mappings = [...] here or at the top");
    }
    for (std::size_t k = 0; k < mappings.size(); ++k) add_mapping(w, mappings[k], where[k]);
    spec_.workloads.push_back(std::move(w));
  }

  void add_mapping(SweepWorkload& w, const std::string& text, const SourceLoc& where) {
    static const std::vector<std::string> kPresets = {"all-digital", "all-int8", "all-analog",
                                                      "first-last-digital"};
    if (std::find(kPresets.begin(), kPresets.end(), text) != kPresets.end()) {
      w.mappings.push_back({text, text, where});
      return;
    }
    if (text.rfind("front:", 0) == 0) {
      const std::string stem = path_of(text.substr(6));
      for (int k = 0;; ++k) {
        const std::string file = fmt::format("{}.front-{}.toml", stem, k);
        if (!fs::exists(file)) {
          if (k == 0)
            diag_.add(where, "mappings", fmt::format("no front files {}.front-0.toml ...", stem));
          break;
        }
        w.mappings.push_back({fmt::format("{}#{}", text, k), file, where, true});
      }
      return;
    }
    w.mappings.push_back({text, path_of(text), where, true});
  }

  // [bench]: the cells become workloads (zoo model, no checkpoint) with the spec's mappings.
  void read_bench(const toml::table& t, const toml::node& node,
                  const std::vector<std::string>& default_mappings,
                  const std::vector<SourceLoc>& default_where) {
    const std::string p = "bench.";
    check_keys(t, p,
               {"cells", "sample", "sample_seed", "extremes", "cells_per_stage", "fp_epochs",
                "train_limit", "hwa_train_limit", "fp_lr", "hwa_epochs", "hwa_lr", "gamma",
                "batch_size", "seed", "eval_seeds", "test_limit", "work_dir", "data_dir"});
    BenchSpec& b = spec_.bench;
    nn::CellBenchSettings& s = b.settings;
    b.enabled = true;
    b.where = at(node);
    const auto integer = [&](const char* key, auto& field, std::int64_t lo, std::int64_t hi) {
      if (auto v = get<std::int64_t>(t, key, "integer", p)) {
        if (*v < lo || *v > hi) {
          fail(*t.get(key), p + key, fmt::format("expected {}..{}", lo, hi));
        } else {
          field = static_cast<std::remove_reference_t<decltype(field)>>(*v);
        }
      }
    };
    const auto real = [&](const char* key, double& field) {
      if (auto v = get<double>(t, key, "a number", p)) {
        if (!(*v > 0.0)) fail(*t.get(key), p + key, "expected a number > 0");
        field = *v;
      }
    };
    int sample = 0;
    std::uint64_t sample_seed = 0;
    integer("sample", sample, 0, nn::kNb201Codes);
    integer("sample_seed", sample_seed, 0, std::int64_t{1} << 62);
    const bool extremes = get<bool>(t, "extremes", "true or false", p).value_or(false);
    integer("cells_per_stage", s.cells_per_stage, 1, 5);
    integer("fp_epochs", s.fp_epochs, 1, 1000);
    integer("train_limit", s.train_limit, 0, 60000);
    integer("hwa_train_limit", s.hwa_train_limit, 0, 60000);
    integer("hwa_epochs", s.hwa_epochs, 0, 1000);
    integer("batch_size", s.batch_size, 1, 100000);
    integer("seed", s.seed, 0, std::int64_t{1} << 62);
    integer("eval_seeds", s.eval_seeds, 1, 1000);
    integer("test_limit", s.test_limit, 0, 10000);
    real("fp_lr", s.fp_lr);
    real("hwa_lr", s.hwa_lr);
    real("gamma", s.gamma);
    s.work_dir = path_of(get<std::string>(t, "work_dir", "a folder (string)", p)
                             .value_or(fs::path(spec_.file).stem().string() + "-work"));
    b.data_dir = get<std::string>(t, "data_dir", "a folder (string)", p).value_or("");
    std::vector<SourceLoc> where;
    std::vector<nn::Nb201Cell> cells;
    const auto codes = strings(t, "cells", p, &where);
    for (std::size_t k = 0; k < codes.size(); ++k) {
      try {
        cells.push_back(nn::parse_nb201_code(codes[k]));
      } catch (const Error& e) {
        diag_.add(where[k], p + "cells", e.what());
      }
    }
    for (const nn::Nb201Cell& c : nn::sample_nb201_cells(sample, sample_seed, extremes)) {
      cells.push_back(c);
    }
    if (cells.empty()) {
      diag_.add(b.where, p + "cells", "no cells: give cells = [...] or sample = N");
    }
    std::vector<std::string> seen;
    for (const nn::Nb201Cell& c : cells) {
      const std::string model =
          fmt::format("nasbench201:{}@cells={}", c.arch_string(), s.cells_per_stage);
      if (std::find(seen.begin(), seen.end(), model) != seen.end()) continue;  // listed twice
      seen.push_back(model);
      SweepWorkload w;
      w.label = c.digits();
      w.model = s.cells_per_stage == 5 ? "nasbench201:" + c.arch_string() : model;
      w.where = b.where;
      const std::vector<std::string> mappings =
          default_mappings.empty() ? std::vector<std::string>{"all-analog"} : default_mappings;
      for (std::size_t k = 0; k < mappings.size(); ++k) {
        add_mapping(w, mappings[k], k < default_where.size() ? default_where[k] : b.where);
      }
      spec_.workloads.push_back(std::move(w));
    }
  }

  void read_accuracy(const toml::table& t, const toml::node& node) {
    check_keys(t, "accuracy.", {"times", "seeds", "seed", "test_limit", "data_dir"});
    AccuracySpec& a = spec_.accuracy;
    a.enabled = true;
    a.where = at(node);
    std::vector<SourceLoc> where;
    a.times = strings(t, "times", "accuracy.", &where);
    if (a.times.empty()) diag_.add(a.where, "accuracy.times", "expected times = [\"1d\", ...]");
    for (std::size_t k = 0; k < a.times.size(); ++k) {
      try {
        a.times_s.push_back(parse_drift_time(a.times[k]));
      } catch (const Error& e) {
        diag_.add(where[k], "accuracy.times", e.what());
      }
    }
    a.seeds = static_cast<int>(get<std::int64_t>(t, "seeds", "integer", "accuracy.").value_or(1));
    if (a.seeds < 1 || a.seeds > 1000) diag_.add(a.where, "accuracy.seeds", "expected 1..1000");
    a.seed = static_cast<std::uint64_t>(
        get<std::int64_t>(t, "seed", "integer", "accuracy.").value_or(0));
    a.test_limit = get<std::int64_t>(t, "test_limit", "integer", "accuracy.").value_or(0);
    a.data_dir = get<std::string>(t, "data_dir", "a folder (string)", "accuracy.").value_or("");
  }

 private:
  SweepSpec& spec_;
  Diagnostics& diag_;
};

}  // namespace

WorkloadFiles workload_files(const SweepWorkload& w) {
  WorkloadFiles files{w.trace, w.onnx, w.csv, {}};
  for (const auto& s : w.input_shapes) add_input_shape(files.onnx_options, s);
  files.onnx_options.unknown_ops = parse_unknown_ops(w.unknown_ops);
  return files;
}

std::string column_name_of(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  return out;
}

SweepSpec read_sweep_spec(const std::filesystem::path& file, Diagnostics& diagnostics) {
  SweepSpec spec;
  spec.file = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) {
    diagnostics.add({spec.file, 0}, "<file>", "cannot open sweep spec (missing or unreadable)");
    return spec;
  }
  std::ostringstream text;
  text << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(text.str(), spec.file);
  } catch (const toml::parse_error& e) {
    diagnostics.add({spec.file, static_cast<int>(e.source().begin.line)}, "<toml>",
                    fmt::format("TOML syntax error: {}", e.description()));
    return spec;
  }
  SpecReader(spec, diagnostics).read(root);
  return spec;
}

}  // namespace aimcsim::explore
