// The workload-file flags shared by `graph` and `run`: --onnx, --csv,
// --input-shape, --unknown-ops (sim/import/workload.h). --trace stays with each
// command.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sim/import/workload.h"

namespace aimcsim::cli {

struct WorkloadFlags {
  std::string trace, onnx, csv;
  std::vector<std::string> input_shapes;  // NAME=DIMS
  std::string unknown_ops = "error";
  bool any() const { return !trace.empty() || !onnx.empty() || !csv.empty(); }
};

// `csv_flag` names the topology-CSV flag ("--csv"; compare, whose --csv is an output,
// uses "--topology-csv").
void add_workload_flags(CLI::App* cmd, WorkloadFlags& flags, const std::string& csv_flag = "--csv");

// Loads the one workload file the flags name; prints the import's warnings to
// stderr, one line each, prefixed "aimcsim: warning: ".
Workload load_flagged_workload(const WorkloadFlags& flags);

}  // namespace aimcsim::cli
