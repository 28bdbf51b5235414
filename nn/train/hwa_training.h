// Hardware-aware training (issue 3 item 5; FACTS.md s.3) as trainer hooks (trainer.h).
//
// Contract: make_hwa_hooks() returns hooks that, once the model is built, resolve the
// mapping spec (preset or file) against the model's graph (nn/export/model_graph.h) and
//  - give every analog layer the HWA forward (hwa_executor, nn/eval/layer_numerics.h):
//    Gaussian weight noise of std gamma * max|W| per forward, then the analog MVM path of the
//    config's numerics (noise management, DAC/ADC with bounds, output noise) with
//    straight-through gradients; after every optimizer step its weights are clipped to
//    +- clip_n_std standard deviations of the layer;
//  - give every INT8 layer quantisation-aware training: per-channel INT8 weights and an
//    input fake-quant whose per-tensor scale follows an exponential moving average
//    (momentum 0.9, restarted every epoch) of the batch max|x| / 127, straight-through
//    gradients;
//  - leave FP16 layers in FP32 (the rounding error is far below the training noise).
// The noise generator is reseeded at every epoch start from (seed, epoch), so resumed runs
// continue exactly, and by before_eval() to one fixed stream of `seed` (a noisy validation
// pass then sees the same noise draw every epoch). description() names every setting, so a
// resume with other settings is refused by the trainer.
// The Mapping overload takes an already resolved mapping (searches that grow the analog set
// in memory); setup.mapping is then only the label written into description().
#pragma once

#include <cstdint>
#include <string>

#include "models/analog/hwa.h"
#include "models/params/analog_params.h"
#include "nn/train/trainer.h"
#include "sim/mapping/mapping.h"

namespace aimcsim::nn {

struct HwaTrainSetup {
  std::string mapping = "all-analog";  // preset name or mapping file
  AnalogNumericsParams numerics;       // [tile] numerics of the hardware config
  HwaParams hwa;
  std::string hw_label;  // where the numerics came from (config file), for the record
};

TrainHooks make_hwa_hooks(const HwaTrainSetup& setup, std::uint64_t seed);
TrainHooks make_hwa_hooks(const Mapping& mapping, const HwaTrainSetup& setup, std::uint64_t seed);

}  // namespace aimcsim::nn
