// A zoo model running under a Mapping (DESIGN.md s.3, s.5): every mappable layer gets the
// executor of its target (layer_numerics.h) for as long as the MappedModel lives.
//
// Contract:
// - The mapping must name every mappable layer of the model (check it first with
//   resolve_model_mapping(), model_mapping.h); a layer it does not name throws MappingError.
//   `skip` (MPS subnets) runs the identity where shapes allow, else the learned projection
//   of the layer found in a SkipProjections module registered anywhere in the model
//   (nn/supernet/skip.h; load_trained_model registers the ones a checkpoint holds); a
//   layer that cannot be skipped or lacks its projection throws MappingError.
// - INT8 layers need an input scale from `int8_scales` (calibrate_int8_inputs()); a missing
//   one throws aimcsim::Error naming the layer.
// - program(seed) programs every analog layer from the weights as they are now, layer i
//   (in execution order) with mix_seed(seed, i); read_at(t, seed) draws the conductances at
//   t and reseeds the per-MVM noise of layer i with mix_seed(mix_seed(seed, bits of t), i).
//   Same seeds, same inputs -> bit-identical outputs.
// - The destructor restores the FP32 op of every layer it changed.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/eval/layer_numerics.h"
#include "nn/zoo/zoo_model.h"
#include "sim/mapping/mapping.h"

namespace aimcsim::nn {

class SkipProjectionsImpl;

// Per-tensor INT8 input scale (max|x| / 127) by layer name.
using Int8Scales = std::map<std::string, double, std::less<>>;

// Calibration pass: FP32 forward of `images` (normalised, [N, 1, 28, 28]) in eval mode, in
// batches; records max|x| of the input of every layer in `layer_names`.
Int8Scales calibrate_int8_inputs(ZooModel& model, const std::vector<std::string>& layer_names,
                                 const at::Tensor& images, std::int64_t batch_size = 500);

// The same for the int8 layers of `mapping`, with the subnet it describes: layers mapped to
// skip run their skip (identity or the learned projection, as MappedModel runs them), every
// other layer FP32, so an int8 layer after a skipped one sees the inputs it will see in
// evaluation. Without skip layers it equals the overload above on the int8 layers' names.
// A layer that cannot be skipped throws MappingError as MappedModel does.
Int8Scales calibrate_int8_inputs(ZooModel& model, const Mapping& mapping, const at::Tensor& images,
                                 std::int64_t batch_size = 500);

// Names of the mappable layers that `mapping` sends to `target`, in execution order.
std::vector<std::string> layers_mapped_to(ZooModel& model, const Mapping& mapping, Target target);

class MappedModel final {
 public:
  MappedModel(ZooModel& model, const Mapping& mapping, const AnalogSetup& setup,
              const Int8Scales& int8_scales);
  ~MappedModel();
  MappedModel(const MappedModel&) = delete;
  MappedModel& operator=(const MappedModel&) = delete;

  bool has_analog() const { return !analog_.empty(); }
  void program(std::uint64_t seed);
  void read_at(double t_s, std::uint64_t seed);

 private:
  void install(const Mapping& mapping, const AnalogSetup& setup, const Int8Scales& int8_scales);

  std::vector<std::shared_ptr<MappableLayer>> layers_;  // every mappable layer
  std::vector<std::shared_ptr<AnalogLayerRuntime>> analog_;
  std::shared_ptr<SkipProjectionsImpl> projections_;  // null: none in the model
};

// Seed of read noise / per-MVM noise at time t_s for programming seed `seed`.
std::uint64_t read_seed_at(std::uint64_t seed, double t_s);

}  // namespace aimcsim::nn
