// Whole-spec validation (spec_validation.h) and load_sweep_spec() (sweep_spec.h).
#include "explore/spec_validation.h"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "explore/point_metrics.h"
#include "explore/sweep_points.h"
#include "models/error.h"
#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/config/param_table.h"
#include "sim/import/workload.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::explore {
namespace {

void check_axis(const SweepSpec& spec, const SweepAxis& axis, Diagnostics& diag) {
  for (std::size_t k = 0; k < axis.keys.size(); ++k) {
    const std::string& key = axis.keys[k];
    const ParamDecl* d = find_param_decl(key);
    if (d == nullptr) {  // reported once, at the key, with the loader's suggestion
      RawValue any;
      any.where = axis.key_where.at(k);
      check_config_override({key, any}, diag);
      continue;
    }
    if (axis.kind == AxisKind::kRandom || axis.kind == AxisKind::kLhs) {
      if (d->kind != ParamKind::kInt && d->kind != ParamKind::kFloat) {
        diag.add(axis.where, key, "random and lhs axes need an integer or float key");
        continue;
      }
      for (double bound : {axis.min, axis.max}) {
        RawValue v;
        v.where = axis.where;
        if (d->kind == ParamKind::kInt) {
          v.value = static_cast<std::int64_t>(std::llround(bound));
          v.type_name = "integer";
        } else {
          v.value = bound;
          v.type_name = "float";
        }
        if (!check_config_override({key, v}, diag)) break;
      }
      continue;
    }
    for (const RawValue& v : axis.values) {
      check_config_override({key, v}, diag);
    }
  }
}

void check_workload(const SweepSpec& spec, const SweepWorkload& w, Diagnostics& diag) {
  std::optional<Graph> graph;
  try {
    if (!w.model.empty()) {
      nn::parse_model_spec(w.model);
      graph = nn::model_to_graph(*nn::make_model(w.model));
    } else {
      graph = load_workload(workload_files(w)).graph;
    }
  } catch (const Error& e) {
    diag.add(w.where, w.model.empty() ? "workload" : "model", e.what());
  }
  for (const SweepMapping& m : w.mappings) {
    if (m.is_file && !std::filesystem::exists(m.spec)) {
      diag.add(m.where, "mappings", fmt::format("mapping file '{}' does not exist", m.spec));
      continue;
    }
    if (!graph) continue;
    try {
      resolve_mapping(m.spec, *graph);
    } catch (const Error& e) {
      diag.add(m.where, "mappings",
               fmt::format("mapping '{}' for {}: {}", m.label, w.label, e.what()));
    }
  }
  if (spec.accuracy.enabled) {
    if (w.model.empty()) {
      diag.add(w.where, "model",
               "[accuracy] needs a zoo model workload (a trace, ONNX or CSV workload has no "
               "trained weights)");
    } else if (w.ckpt.empty()) {
      diag.add(w.where, "ckpt", "[accuracy] needs ckpt = \"CHECKPOINT.pt\" for this workload");
    } else if (!std::filesystem::exists(w.ckpt)) {
      diag.add(w.where, "ckpt", fmt::format("checkpoint '{}' does not exist", w.ckpt));
    }
  }
}

}  // namespace

void validate_sweep_spec(const SweepSpec& spec, Diagnostics& diag) {
  if (!spec.base_config.empty()) {
    try {
      load_hardware_config(spec.base_config);
    } catch (const ConfigError& e) {
      for (const auto& d : e.diagnostics()) diag.add(d.where, d.key, d.message);
    }
  }
  std::set<std::string> names;
  const auto metrics = metric_columns(spec);
  const std::set<std::string> reserved = {"key",    "point",  "workload",    "mapping",
                                          "inputs", "status", "error",       "wall_s",
                                          "rank",   "host",   "finished_utc"};
  for (const SweepAxis& axis : spec.axes) {
    if (!names.insert(axis.name).second || reserved.count(axis.name) ||
        std::find(metrics.begin(), metrics.end(), axis.name) != metrics.end()) {
      diag.add(axis.where, "name",
               fmt::format("axis name '{}' is already a column: give a unique name", axis.name));
    }
    check_axis(spec, axis, diag);
  }
  if (spec.combine == Combine::kZip) {
    for (std::size_t a = 1; a < spec.axes.size(); ++a) {
      const auto n0 = expand_axis_values(spec, 0).size(), n = expand_axis_values(spec, a).size();
      if (n != n0) {
        diag.add(spec.axes[a].where, "combine",
                 fmt::format("combine = \"zip\" needs axes of equal length: {} has {} values, "
                             "{} has {}",
                             spec.axes[0].name, n0, spec.axes[a].name, n));
      }
    }
  }
  for (const SweepWorkload& w : spec.workloads) check_workload(spec, w, diag);
}

SweepSpec load_sweep_spec(const std::filesystem::path& file) {
  Diagnostics diag;
  SweepSpec spec = read_sweep_spec(file, diag);
  validate_sweep_spec(spec, diag);
  diag.throw_if_any();
  return spec;
}

}  // namespace aimcsim::explore
