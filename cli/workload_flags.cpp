#include "cli/workload_flags.h"

#include <iostream>

namespace aimcsim::cli {

void add_workload_flags(CLI::App* cmd, WorkloadFlags& f, const std::string& csv_flag) {
  cmd->add_option("--onnx", f.onnx,
                  "Workload as an ONNX model (opset <= 17; rules: traces/README.md, ONNX import)")
      ->check(CLI::ExistingFile);
  cmd->add_option(csv_flag, f.csv,
                  "Workload as a SCALE-Sim topology CSV (conv or GEMM) or NeuroSim NetWork.csv, "
                  "detected from the first row")
      ->check(CLI::ExistingFile);
  cmd->add_option("--input-shape", f.input_shapes,
                  "With --onnx: shape of a graph input, NAME=DIMS (e.g. input=1x3x224x224); "
                  "repeatable; needed for dynamic dimensions");
  cmd->add_option("--unknown-ops", f.unknown_ops,
                  "With --onnx: an op without a rule is an error, or costed as digital vector "
                  "work per output element (with a warning)")
      ->check(CLI::IsMember({"error", "digital"}))
      ->capture_default_str();
}

Workload load_flagged_workload(const WorkloadFlags& f) {
  WorkloadFiles files{f.trace, f.onnx, f.csv, {}};
  for (const auto& s : f.input_shapes) add_input_shape(files.onnx_options, s);
  files.onnx_options.unknown_ops = parse_unknown_ops(f.unknown_ops);
  if (f.onnx.empty() && (!f.input_shapes.empty() || f.unknown_ops != "error")) {
    throw Error("--input-shape and --unknown-ops apply to --onnx only");
  }
  Workload w = load_workload(files);
  for (const auto& line : w.warnings) std::cerr << "aimcsim: warning: " << line << "\n";
  return w;
}

}  // namespace aimcsim::cli
