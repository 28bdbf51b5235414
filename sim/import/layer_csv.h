// Layer tables of other simulators read as layer chains (traces/README.md,
// "Layer CSV import"):
// - SCALE-Sim topology, conv format: header row, then `name, ifmap_h, ifmap_w,
//   filter_h, filter_w, channels, num_filter, stride[, stride_w]`; the ifmap is
//   taken as already padded (padding 0), as SCALE-Sim does; a 9th column is
//   stride_w only when it is an integer.
// - SCALE-Sim topology, GEMM format: header `Layer, M, N, K`, rows `name, M, N,
//   K`: an M x K input times a K x N weight (a linear layer over M rows).
// - NeuroSim NetWork.csv: no header, 8 columns `ifm_h, ifm_w, ifm_c, kernel_h,
//   kernel_w, ofm_c, followed_by_maxpool, stride`; convolutions keep the size
//   ((k-1)/2 zero padding, assumed from NeuroSim's VGG-8 file, where the ifm
//   shrinks only after a pooled layer); a pooled layer is followed by a 2x2,
//   stride-2 max pool.
// Each row is one mappable op (conv2d; linear for GEMM rows) named after the
// row (SCALE-Sim) or `layerN` (NeuroSim, 1-based). Consecutive layers are
// chained; where a row's input differs from the previous output (pooling or
// padding the file leaves implicit), zero-cost `pad`/`slice` ops match it.
// Cells may carry spaces, rows may end in a comma or not, lines in CRLF.
// Problems throw ImportError "FILE:ROW: problem; expected ...".
#pragma once

#include <filesystem>
#include <istream>
#include <string>

#include "sim/graph/graph.h"

namespace aimcsim {

enum class LayerCsvFormat { kAuto, kScaleSimConv, kScaleSimGemm, kNeuroSim };

Graph read_layer_csv_file(const std::filesystem::path& path,
                          LayerCsvFormat format = LayerCsvFormat::kAuto);
Graph read_layer_csv(std::istream& in, const std::string& file_label, const std::string& network,
                     LayerCsvFormat format = LayerCsvFormat::kAuto);

}  // namespace aimcsim
