#include "sim/graph/trace_writer.h"

#include <fstream>
#include <sstream>

#include "sim/graph/graph_error.h"
#include "sim/graph/op_attrs.h"
#include "sim/graph/trace_reader.h"

namespace aimcsim {

void write_trace(const Graph& graph, std::ostream& out) {
  out << "aimcsim-trace " << kTraceFormatVersion << "\n";
  out << "network " << graph.name() << "\n";
  for (OpId id : graph.ids()) {
    const Op& op = graph.op(id);
    std::string line = std::string(op_kind_name(op.kind)) + " " + op.name;
    if (!op.inputs.empty()) {
      line += " in=";
      for (std::size_t i = 0; i < op.inputs.size(); ++i) {
        line += (i > 0 ? "," : "") + graph.op(op.inputs[i]).name;
      }
    }
    const OpAttrs defaults = default_attrs(op.kind);
    for (const AttrSpec& spec : op_signature(op.kind).attrs) {
      const std::string value = format_attr(op.attrs, spec);
      if (spec.required || value != format_attr(defaults, spec)) {
        line += " " + std::string(spec.name) + "=" + value;
      }
    }
    out << line << "  # " << format_shape(op.output_shape) << "\n";
  }
}

std::string trace_text(const Graph& graph) {
  std::ostringstream out;
  write_trace(graph, out);
  return out.str();
}

void write_trace_file(const Graph& graph, const std::filesystem::path& path) {
  std::ofstream out(path);
  if (out) write_trace(graph, out);
  if (!out) throw Error(path.string() + ": cannot write the trace file");
}

}  // namespace aimcsim
