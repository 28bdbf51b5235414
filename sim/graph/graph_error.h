// Errors raised while building, reading or checking a workload graph.
//
// Contract: GraphError is thrown by Graph/GraphBuilder when an op is invalid
// (bad attribute, shape mismatch, unknown or duplicate name); its what() is one
// line naming the op and what was expected. TraceError is thrown by the trace
// reader and always starts with `FILE:LINE: ` (LINE is 1-based; 0 when the
// problem concerns the whole file).
#pragma once

#include <string>

#include "models/error.h"

namespace aimcsim {

class GraphError : public Error {
 public:
  using Error::Error;
};

class TraceError : public GraphError {
 public:
  TraceError(std::string file, int line, const std::string& message)
      : GraphError(file + ":" + std::to_string(line) + ": " + message),
        file_(std::move(file)),
        line_(line) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }

 private:
  std::string file_;
  int line_;
};

}  // namespace aimcsim
