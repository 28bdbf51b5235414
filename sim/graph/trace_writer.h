// Writer of workload trace files (format: traces/README.md).
//
// Contract: the text lists the ops in the graph's (topological) order, one per
// line, with every required attribute and every optional attribute that differs
// from its default; a trailing comment gives the output shape. Reading the
// text back (trace_reader.h) yields a Graph equal to the one written.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "sim/graph/graph.h"

namespace aimcsim {

void write_trace(const Graph& graph, std::ostream& out);
std::string trace_text(const Graph& graph);
// Throws Error when the file cannot be written.
void write_trace_file(const Graph& graph, const std::filesystem::path& path);

}  // namespace aimcsim
