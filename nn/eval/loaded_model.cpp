// Loading a trained model with its graph (loaded_model.h).
#include "nn/eval/loaded_model.h"

#include "nn/supernet/skip.h"

#include <torch/torch.h>

#include "nn/export/model_graph.h"
#include "nn/train/trainer.h"
#include "nn/zoo/zoo.h"
#include "sim/mapping/mapping_io.h"

namespace aimcsim::nn {
namespace {

// A widened variant of the requested model (MPAAS: `resnet20@inner=...`, nn/zoo/widen.h)
// stored in the checkpoint is built as itself.
std::string model_to_build(const std::string& requested, const std::string& checkpoint) {
  if (requested.find('@') != std::string::npos) return requested;
  const std::string stored = read_checkpoint_meta(checkpoint).model_name;
  return stored.rfind(requested + "@", 0) == 0 ? stored : requested;
}

}  // namespace

LoadedModel load_trained_model(const std::string& model_name, const std::string& checkpoint) {
  std::shared_ptr<ZooModel> model = make_model(model_to_build(model_name, checkpoint));
  LoadedModel m{model, Graph(graph_name(*model)), {}, checkpoint};
  m.meta = load_checkpoint(checkpoint, *m.model, nullptr);
  // An MPS subnet's skip projections (nn/supernet/skip.h), where the checkpoint has them.
  SkipProjections skips = load_skip_projections(checkpoint, mappable_layers(*m.model));
  if (!skips->names().empty()) m.model->register_module("mps_skip", skips);
  m.model->eval();
  m.graph = model_to_graph(*m.model);
  return m;
}

Mapping resolve_model_mapping(const std::string& spec, const LoadedModel& m) {
  return resolve_mapping(spec, m.graph);
}

Int8Scales calibrate_int8(LoadedModel& m, const Mapping& mapping, const Dataset& train) {
  const int64_t n = std::min<int64_t>(kCalibrationImages, train.size());
  return calibrate_int8_inputs(*m.model, mapping, normalise_images(train.images.slice(0, 0, n)));
}

EvalResult evaluate_trained(const TrainedEvalRequest& request, const AnalogSetup& setup,
                            const Dataset& train, const Dataset& test, const EvalOptions& options,
                            double* fp_accuracy) {
  LoadedModel m = load_trained_model(request.model, request.checkpoint);
  const Mapping mapping = resolve_model_mapping(request.mapping, m);
  if (fp_accuracy != nullptr) *fp_accuracy = evaluate(*m.model, test, options.batch_size);
  const Int8Scales scales = calibrate_int8(m, mapping, train);
  return evaluate_mapping(*m.model, m.graph, mapping, setup, scales, test, options);
}

Dataset dataset_head(const Dataset& data, std::int64_t limit) {
  if (limit <= 0 || limit >= data.size()) return data;
  return Dataset{data.images.slice(0, 0, limit), data.labels.slice(0, 0, limit)};
}

}  // namespace aimcsim::nn
