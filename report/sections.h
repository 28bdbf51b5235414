// The chart sections of the report, one builder per kind of chart. Each takes every input
// and returns the sections it can draw from them (none when no input carries its data).
//
//   energy_sections    run reports: energy per unit kind (one stacked bar per run) and per
//                      layer (stacked by kind), in uJ / nJ per inference
//   mapping_sections   run and map reports: per-layer target strip, several mappings side
//                      by side, with the MACs of each layer
//   timeline_sections  Perfetto traces of `run --trace-out`: busy intervals per unit,
//                      zoomable (wheel) and pannable (drag)
//   accuracy_sections  eval, eval --robustness, run --ckpt and compare: accuracy vs drift
//                      time, mean and spread over programming seeds (FP and HWA weights)
//   pareto_sections    compare rows, map fronts (any "front" list of a map report) and
//                      sweep points: accuracy / latency / energy trade-offs, baselines marked
//   sweep_sections     sweep tables (sweep_table.h): metric vs axis, heatmap over two axes
#pragma once

#include <vector>

#include "report/chart_section.h"
#include "report/report_inputs.h"

namespace aimcsim::report {

std::vector<ChartSection> energy_sections(const std::vector<ReportInput>& inputs);
std::vector<ChartSection> mapping_sections(const std::vector<ReportInput>& inputs);
std::vector<ChartSection> timeline_sections(const std::vector<ReportInput>& inputs);
std::vector<ChartSection> accuracy_sections(const std::vector<ReportInput>& inputs);
std::vector<ChartSection> pareto_sections(const std::vector<ReportInput>& inputs);
std::vector<ChartSection> sweep_sections(const std::vector<ReportInput>& inputs);

}  // namespace aimcsim::report
