// A trained zoo model ready for mapping: the network, its graph (the names mappings use)
// and its checkpoint metadata. Shared by `eval`, `run --model`, `map` and `compare`.
//
// Contract:
// - load_trained_model(name, ckpt): builds zoo model `name` (or the widened variant of it,
//   `name@inner=...`, that `ckpt` holds: an MPAAS result) and loads `ckpt` into it; a
//   checkpoint of another model, a missing or corrupt file or an unknown model name throws
//   aimcsim::Error naming the file or the name and what was expected.
// - resolve_model_mapping(spec, m): a preset name or a mapping file, checked against the
//   model's graph (a layer that does not exist, one left out: MappingError naming it).
// - calibrate_int8(m, mapping, train): INT8 input scales of the layers the mapping sends to
//   int8, from the first kCalibrationImages training images (FP32 forward of the subnet the
//   mapping describes: its skipped layers skipped, mapped_model.h).
// - evaluate_trained(): the whole `aimcsim eval` job for one checkpoint (load, resolve,
//   calibrate, evaluate_mapping); `aimcsim run --model --ckpt` calls the same function, so
//   both report the same accuracy for the same mapping, seed and time.
#pragma once

#include <memory>
#include <string>

#include "nn/data/fmnist.h"
#include "nn/eval/evaluate_mapping.h"
#include "nn/eval/mapped_model.h"
#include "nn/train/checkpoint.h"
#include "nn/zoo/zoo_model.h"
#include "sim/graph/graph.h"
#include "sim/mapping/mapping.h"

namespace aimcsim::nn {

inline constexpr std::int64_t kCalibrationImages = 2048;

struct LoadedModel {
  std::shared_ptr<ZooModel> model;
  Graph graph;
  CheckpointMeta meta;
  std::string checkpoint_path;
};

LoadedModel load_trained_model(const std::string& model_name, const std::string& checkpoint);

Mapping resolve_model_mapping(const std::string& spec, const LoadedModel& m);

Int8Scales calibrate_int8(LoadedModel& m, const Mapping& mapping, const Dataset& train);

struct TrainedEvalRequest {
  std::string model;       // zoo name
  std::string checkpoint;  // aimcsim train output
  std::string mapping;     // preset or mapping file
};

// `fp_accuracy`, if non-null, receives the FP32 accuracy on `test` (no executors).
EvalResult evaluate_trained(const TrainedEvalRequest& request, const AnalogSetup& setup,
                            const Dataset& train, const Dataset& test, const EvalOptions& options,
                            double* fp_accuracy = nullptr);

// The first `limit` items of `data` (all for limit <= 0).
Dataset dataset_head(const Dataset& data, std::int64_t limit);

}  // namespace aimcsim::nn
