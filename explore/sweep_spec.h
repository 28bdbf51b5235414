// A sweep spec (issue 16 item 2): a TOML file naming a base hardware config, axes over
// config keys, workloads with their mappings, and what to measure per point.
//
//   schema_version = 1
//   base_config = "../configs/default.toml"  # relative to the spec file
//   combine = "grid"                          # grid (cartesian) or zip (axes in lockstep)
//   samples = 1                               # inferences per simulated run
//   mappings = ["first-last-digital"]         # default mapping list of every workload
//
//   [[axis]]                                  # one per swept dimension
//   name = "tile_size"                        # column name (default: the key, '.' -> '_')
//   keys = ["tile.rows", "tile.cols"]         # or key = "tile.adc_bits"; all get the value
//   values = [128, 256, 512]                  # or one of:
//   # range = [4, 8, 2]                       #   from, to (inclusive), step
//   # random = {min = 0.02, max = 0.06, count = 8, seed = 1}   # uniform samples
//   # lhs = {min = 0.02, max = 0.06, count = 8, seed = 1}      # Latin hypercube
//
//   [[workload]]
//   model = "resnet20"                        # zoo model, or trace = "FILE.trace", or
//                                             # onnx = "M.onnx" (input_shapes = ["x=1x3x32x32"],
//                                             # unknown_ops = "digital"), or csv = "NET.csv"
//   ckpt = "../checkpoints/resnet20.pt"       # needed for [accuracy]
//   mappings = ["first-last-digital", "../mappings/resnet20-hilal.toml",
//               "front:../mappings/resnet20-hilal-energy"]   # STEM.front-I.toml, I = 0..
//
//   [accuracy]                                # optional: `eval` per point
//   times = ["1d"]
//   seeds = 2
//   seed = 0
//   test_limit = 0                            # first N test images, 0 = all
//
//   [bench]                                   # AnalogNAS-Bench (issue 17), instead of
//   cells = ["333133"]                        # [[workload]] and [accuracy]: the workloads
//   sample = 100                              # are NAS-Bench-201 cells (explicit codes, a
//   sample_seed = 1                           # seeded sample, the most-1x1/3x3 extremes),
//   extremes = true                           # each point trains and measures its cell
//   cells_per_stage = 1                       # (nn/analognas/cell_bench.h; these keys are
//   fp_epochs = 4                             # CellBenchSettings' fields) and simulates it
//   train_limit = 0                           # under the spec's mappings (default
//   fp_lr = 0.1                               # all-analog)
//   hwa_epochs = 1
//   hwa_lr = 0.01
//   hwa_train_limit = 0                       # HWA on the first N images (0: train_limit)
//   gamma = 0.06
//   batch_size = 128
//   seed = 1
//   eval_seeds = 3
//   test_limit = 0
//   work_dir = "bench-work"                   # per-cell checkpoints, relative to the spec
//   data_dir = "..."                          # Fashion-MNIST (default: the Debian package)
//
// Contract: read_sweep_spec() only reads the structure (unknown keys, types, shapes) and
// records where every item came from; validate_sweep_spec() (spec_validation.h) checks
// meaning. Both add one Diagnostic per problem, located FILE:LINE of the spec (or of the
// base config for its own problems); load_sweep_spec() runs both and throws ConfigError.
// Random and LHS axes of integer keys round their samples to integers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/analognas/cell_bench.h"
#include "sim/config/config_error.h"
#include "sim/config/raw_config.h"
#include "sim/import/workload.h"

namespace aimcsim::explore {

enum class AxisKind { kValues, kRange, kRandom, kLhs };
enum class Combine { kGrid, kZip };

struct SweepAxis {
  std::string name;                  // its column in the results table
  std::vector<std::string> keys;     // config keys it sets, each to the same value
  std::vector<SourceLoc> key_where;  // where each key was written
  AxisKind kind = AxisKind::kValues;
  std::vector<RawValue> values;  // kValues and kRange (expanded), each with its line
  double min = 0.0, max = 0.0;   // kRandom, kLhs
  int count = 0;                 // kRandom, kLhs
  std::uint64_t seed = 0;        // kRandom, kLhs
  SourceLoc where;
};

struct SweepMapping {
  std::string label;  // as written in the spec (column value)
  std::string spec;   // preset name or resolved file path (what resolve_mapping() takes)
  SourceLoc where;
  bool is_file = false;
};

struct SweepWorkload {
  std::string label;  // model name or workload file stem (column value)
  std::string model;  // zoo model name, or
  std::string trace;  // trace file (resolved path), or
  std::string onnx;   // ONNX model (resolved path; sim/import/onnx_import.h), or
  std::string csv;    // SCALE-Sim / NeuroSim layer table (resolved path)
  std::vector<std::string> input_shapes;  // ONNX: NAME=DIMS, as --input-shape
  std::string unknown_ops = "error";      // ONNX: "error" or "digital", as --unknown-ops
  std::string ckpt;                       // resolved path; needed for accuracy
  std::vector<SweepMapping> mappings;
  SourceLoc where;
};

struct AccuracySpec {
  bool enabled = false;
  std::vector<std::string> times;  // as written ("1d"), column stems
  std::vector<double> times_s;
  int seeds = 1;
  std::uint64_t seed = 0;
  std::int64_t test_limit = 0;
  std::string data_dir;  // empty: nn::kFmnistDir
  SourceLoc where;
};

struct BenchSpec {
  bool enabled = false;
  std::vector<std::string> cells;  // the model names of the cells, in point order
  nn::CellBenchSettings settings;  // work_dir resolved against the spec's folder
  std::string data_dir;            // empty: nn::kFmnistDir
  SourceLoc where;
};

struct SweepSpec {
  std::string file;
  std::string base_config;  // resolved path
  SourceLoc base_where;
  Combine combine = Combine::kGrid;
  int samples = 1;
  std::vector<SweepAxis> axes;
  std::vector<SweepWorkload> workloads;
  AccuracySpec accuracy;
  BenchSpec bench;
};

inline constexpr std::int64_t kSweepSchemaVersion = 1;

// Reads the structure of `file`; problems go to `diagnostics`.
SweepSpec read_sweep_spec(const std::filesystem::path& file, Diagnostics& diagnostics);

// read_sweep_spec() + validate_sweep_spec(); throws ConfigError listing every problem.
SweepSpec load_sweep_spec(const std::filesystem::path& file);

// The workload files of a trace, ONNX or CSV workload (not a zoo model), with the ONNX
// options parsed; throws Error on a malformed input shape or unknown_ops value.
WorkloadFiles workload_files(const SweepWorkload& workload);

// Column-safe form of a name: [A-Za-z0-9_], others become '_'.
std::string column_name_of(const std::string& name);

}  // namespace aimcsim::explore
