// Op loads on the hardware (op_cost.h).
#include "sim/placement/op_cost.h"

namespace aimcsim {

bool has_gemm(const Op& op) {
  return op.kind == OpKind::kConv2d || op.kind == OpKind::kLinear || op.kind == OpKind::kMatmul;
}

std::int64_t output_positions(const Op& op) {
  const std::int64_t out = numel(op.output_shape);
  switch (op.kind) {
    case OpKind::kConv2d:
      return out / op.attrs.out_channels;
    case OpKind::kLinear:
      return out / op.attrs.out_features;
    default:
      return out;
  }
}

GemmShape gemm_shape_of(const Op& op) {
  GemmShape g;
  if (op.kind == OpKind::kConv2d) {
    const auto& a = op.attrs;
    g.groups = a.groups;
    g.reduction = a.kernel.h * a.kernel.w * (a.in_channels / a.groups);
    g.outputs = a.out_channels / a.groups;
    g.vectors = output_positions(op);
  } else if (op.kind == OpKind::kLinear) {
    g.reduction = op.attrs.in_features;
    g.outputs = op.attrs.out_features;
    g.vectors = output_positions(op);
  } else {  // matmul
    g.reduction = op.input_shapes.at(0).back();
    g.outputs = op.output_shape.back();
    g.vectors = op.stats.macs / (g.reduction * g.outputs);
  }
  return g;
}

MatrixShape matrix_shape_of(const Op& op) {
  const GemmShape g = gemm_shape_of(op);
  return {g.groups, g.reduction, g.outputs};
}

Picoseconds digital_time_ps(const Op& op, DigitalPrecision precision,
                            const DigitalCoreTiming& core) {
  Picoseconds t = core.vector_time(op.stats.vector_ops);
  if (has_gemm(op)) t += core.gemm_time(gemm_shape_of(op), precision);
  return t;
}

}  // namespace aimcsim
