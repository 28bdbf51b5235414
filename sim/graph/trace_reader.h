// Reader of workload trace files (format: traces/README.md).
//
// Contract: returns a Graph equal to what the file describes, or throws
// TraceError whose what() is "FILE:LINE: problem; expected ..." for: a missing
// or wrong header, unknown op kind, missing/duplicate op name, unknown,
// duplicate, missing or malformed attribute, operand naming no op (dangling
// edge), cycle, operand count or shape mismatch (shape inference). Ops may
// appear in any order; the Graph stores them in a topological order that keeps
// file order where the dependencies allow. An unreadable file is FILE:0.
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "sim/graph/graph.h"

namespace aimcsim {

inline constexpr int kTraceFormatVersion = 1;

Graph read_trace_file(const std::filesystem::path& path);
Graph read_trace(std::istream& in, const std::string& file_label);
Graph parse_trace(std::string_view text, const std::string& file_label = "<string>");

}  // namespace aimcsim
