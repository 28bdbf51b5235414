// A trained zoo model ready for mapping: the network, its graph (the names mappings use)
// and its checkpoint metadata. Shared by `eval`, `run --model`, `map` and `compare`.
//
// Contract:
// - load_trained_model(name, ckpt): builds zoo model `name` and loads `ckpt` into it; a
//   checkpoint of another model, a missing or corrupt file or an unknown model name throws
//   aimcsim::Error naming the file or the name and what was expected.
// - resolve_model_mapping(spec, m): a preset name or a mapping file, checked against the
//   model's graph (a layer that does not exist, one left out: MappingError naming it).
// - calibrate_int8(m, mapping, train): INT8 input scales of the layers the mapping sends to
//   int8, from the first kCalibrationImages training images (FP32 forward).
#pragma once

#include <memory>
#include <string>

#include "nn/data/fmnist.h"
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

}  // namespace aimcsim::nn
