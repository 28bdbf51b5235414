// Resolved parameters of one simulation run that are not hardware: seed,
// batch, inference time after programming, reprogramming, weight duplication
// and layer-pipelining policies. Filled and validated by sim/config from the
// `[run]` section.
#pragma once

#include <cstdint>

#include "models/params/digital_params.h"

namespace aimcsim {

// Weight duplication for throughput (sim/placement/placement.h): kAuto gives
// the tiles a programming round leaves empty to the analog ops that bound
// throughput, as full replicas of their blocks.
enum class WeightDuplication { kOff, kAuto };

// A digital GEMM layer split over several digital cores (sim/placement/digital_split.h):
// kAuto takes the split (number of cores, axis) the timing rule says is fastest.
enum class DigitalSplit { kOff, kAuto };

// Packing of analog weight blocks on tiles (sim/placement/tile_packing.h): kDiagonal
// puts blocks of a tile in disjoint rows and columns only; kDense, when that does not
// fit the chip, also places a block beside or below blocks of other layers (they take
// turns on the tile; one layer's blocks stay block-diagonal).
enum class TilePacking { kDiagonal, kDense };

struct RunParams {
  std::uint64_t seed = 1;            // seeds every random draw of the run (same seed, same result)
  int batch_size = 1;                // inputs simulated per run
  double t_inference_s = 86400.0;    // time after programming at which inference runs [s]
  bool allow_reprogramming = false;  // reload weights when the model does not fit the tiles;
                                     // false makes an oversized model a placement error
  DigitalPrecision digital_precision =
      DigitalPrecision::kFp16;  // precision of digital ops
                                // that the mapping does not assign (softmax, norms, ...)
  WeightDuplication weight_duplication = WeightDuplication::kOff;
  DigitalSplit digital_split = DigitalSplit::kOff;
  TilePacking tile_packing = TilePacking::kDiagonal;
  bool layer_pipelining = true;  // a consumer chunk starts once the producer chunks it reads
                                 // have drained (sim/engine/chunk_deps.h); false = it waits
                                 // for its producers' whole sample
};

}  // namespace aimcsim
