// The model zoo: every network aimcsim can train, map and simulate, adapted to
// Fashion-MNIST (28x28x1 input, 10 classes). One enum, one factory switch.
//
// Names accepted by parse_model_spec()/make_model():
//   resnet8, resnet20, resnet32   CIFAR-style ResNets, option-A shortcuts (resnet.h)
//   vgg-small                     VGG-style CNN (vgg.h)
//   mobilenetv2-small             inverted residuals, depthwise convs (mobilenetv2.h)
//   vit-tiny                      patch 4, dim 64, depth 6, 4 heads (vit.h)
//   nasbench201:CODE              NAS-Bench-201 net, CODE = arch string or 6 digits
//                                 (nasbench201_code.h)
//   nasbench201:CODE@cells=N      the same with N cells per stage instead of the
//                                 benchmark's 5 (a reduced macro skeleton, 1..5)
//   resnetN@inner=W1,W2,...       a widened ResNet (MPAAS, nn/zoo/widen.h): conv1 of each
//                                 basic block W_i channels wide (one entry per block)
//   vit-tiny@inner=W1,...,W6      vit-tiny with MLP hidden widths W_i (one per block)
//   mobilenetv2-small@inner=W1,...,W7  mobilenetv2-small with expanded widths W_i (one
//                                 per block with an expansion)
// Contract: make_model() returns a freshly initialised model (initialisation
// draws from torch's global RNG: call torch::manual_seed first for
// reproducible weights) whose mappable layers have their names assigned and
// whose name() is the canonical spelling (nasbench201 codes are canonicalised
// to the arch string). An unknown name throws aimcsim::Error listing the valid
// names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/zoo/nasbench201_code.h"
#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

enum class ModelKind {
  kResnet8,
  kResnet20,
  kResnet32,
  kVggSmall,
  kMobilenetV2Small,
  kVitTiny,
  kNasBench201,
};

struct ModelSpec {
  ModelKind kind = ModelKind::kResnet20;
  Nb201Cell cell;                     // only for kNasBench201
  std::vector<int64_t> inner_widths;  // widened variants (widen.h); empty = plain
  int cells_per_stage = 5;            // kNasBench201 only (the benchmark's N = 5)
  std::string name() const;           // canonical name
};

ModelSpec parse_model_spec(const std::string& name);
std::shared_ptr<ZooModel> make_model(const ModelSpec& spec);
std::shared_ptr<ZooModel> make_model(const std::string& name);

// The valid names, for help texts and errors ("nasbench201:CODE" for the family).
std::vector<std::string> model_names();

}  // namespace aimcsim::nn
