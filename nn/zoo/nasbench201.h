// NAS-Bench-201 network (Dong & Yang, ICLR 2020) for 28x28x1 input: 3x3 stem
// conv 1->16 + BN; three stages of `cells_per_stage` identical cells
// (nasbench201_code.h) with 16/32/64 channels, separated by residual
// reduction blocks (ReLU-conv3x3/2-BN -> ReLU-conv3x3-BN, shortcut 2x2 avg
// pool + 1x1 conv); final BN + ReLU, global average pooling, linear head.
// Cell ops: nor_conv_kxk = ReLU -> conv (no bias) -> BN; avg_pool_3x3 with
// stride 1 (padding excluded from the average); skip_connect = identity;
// none = zero. Spatial 28 -> 14 -> 7.
//
// Layer names (cells numbered 0..3N+1 as in the benchmark; the reductions are
// cells N and 2N+1): stem.conv, cells.{c}.edge{to}_{from}.conv,
// cells.{r}.conv_a.conv, cells.{r}.conv_b.conv, cells.{r}.downsample (1x1), head.
#pragma once

#include "nn/zoo/nasbench201_code.h"
#include "nn/zoo/zoo_model.h"

namespace aimcsim::nn {

inline constexpr int kNb201CellsPerStage = 5;  // the benchmark's N
inline constexpr int64_t kNb201StemChannels = 16;

std::shared_ptr<ZooModel> make_nasbench201(const Nb201Cell& cell,
                                           int cells_per_stage = kNb201CellsPerStage);

}  // namespace aimcsim::nn
