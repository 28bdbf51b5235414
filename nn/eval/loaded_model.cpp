// Loading a trained model with its graph (loaded_model.h).
#include "nn/eval/loaded_model.h"

#include <torch/torch.h>

#include "nn/export/model_graph.h"
#include "nn/zoo/zoo.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::nn {

LoadedModel load_trained_model(const std::string& model_name, const std::string& checkpoint) {
  LoadedModel m{make_model(model_name), Graph(model_name), {}, checkpoint};
  m.meta = load_checkpoint(checkpoint, *m.model, nullptr);
  m.model->eval();
  m.graph = model_to_graph(*m.model);
  return m;
}

Mapping resolve_model_mapping(const std::string& spec, const LoadedModel& m) {
  return resolve_mapping(spec, m.graph);
}

Int8Scales calibrate_int8(LoadedModel& m, const Mapping& mapping, const Dataset& train) {
  const std::vector<std::string> names = layers_mapped_to(*m.model, mapping, Target::kInt8);
  const int64_t n = std::min<int64_t>(kCalibrationImages, train.size());
  return calibrate_int8_inputs(*m.model, names, normalise_images(train.images.slice(0, 0, n)));
}

}  // namespace aimcsim::nn
