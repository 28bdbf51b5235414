// Errors raised while importing a workload from a foreign format (ONNX,
// SCALE-Sim or NeuroSim CSV).
//
// Contract: what() is one line that starts with the file and says where in it
// (node, input, row) and what was expected: "FILE: node 'NAME' (OP): problem;
// expected ..." or "FILE:ROW: problem; expected ...".
#pragma once

#include <string>

#include "sim/graph/graph_error.h"

namespace aimcsim {

class ImportError : public GraphError {
 public:
  using GraphError::GraphError;
};

}  // namespace aimcsim
