// Programming a layer onto PCM tiles and drift compensation (FACTS.md s.1, s.2).
#include "models/analog/programmed_layer.h"

#include <ATen/ATen.h>

#include "models/error.h"

namespace aimcsim {

ProgrammedLayer::ProgrammedLayer(const at::Tensor& weight, const PcmParams& pcm,
                                 const AnalogNumericsParams& numerics, at::Generator& gen)
    : pcm_(pcm), numerics_(numerics) {
  if (!weight.defined() || weight.is_complex() || !weight.is_floating_point()) {
    throw Error("ProgrammedLayer: weight must be a real floating-point tensor");
  }
  // Exact tiling and per-tile scales; conductances from W_norm = W / max|W_tile|.
  const AnalogLayerWeights exact =
      exact_layer_weights(weight.detach().to(at::kFloat).contiguous(), numerics);
  split_ = exact.split;
  groups_ = exact.groups;
  in_features_ = exact.in_features;
  out_features_ = exact.out_features;
  weight_scale_ = exact.weight_scale;
  for (const at::Tensor& w_norm : exact.w_norm) {
    g_plus_.push_back(pcm_program(w_norm.clamp(0.0, 1.0) * pcm.g_max_us, pcm, gen));
    g_minus_.push_back(pcm_program((-w_norm).clamp(0.0, 1.0) * pcm.g_max_us, pcm, gen));
  }
  std::vector<at::Tensor> baselines;
  for (std::size_t i = 0; i < g_plus_.size(); ++i) {
    const at::Tensor w_prog = (g_plus_[i].g_prog_us - g_minus_[i].g_prog_us) / pcm.g_max_us;
    baselines.push_back(
        numerics.drift_compensation
            ? one_hot_read(w_prog, gen)
            : at::ones({groups_, static_cast<std::int64_t>(split_.out_blocks.size())}));
  }
  baseline_ = at::stack(baselines, 1);
}

at::Tensor ProgrammedLayer::one_hot_read(const at::Tensor& w_norm, at::Generator& gen) const {
  const std::int64_t in_b = w_norm.size(2);
  const at::Tensor eye = at::eye(in_b, w_norm.options()).expand({groups_, in_b, in_b});
  // |y| summed over the reads, [G, in_b, out]; each read draws its own output noise.
  at::Tensor abs_y = analog_tile_forward(eye, w_norm, numerics_, gen).abs();
  for (int r = 1; r < numerics_.compensation_reads; ++r) {
    abs_y.add_(analog_tile_forward(eye, w_norm, numerics_, gen).abs());
  }
  const double reads = static_cast<double>(numerics_.compensation_reads);
  std::vector<at::Tensor> per_tile;
  for (const BlockRange& ob : split_.out_blocks) {
    per_tile.push_back(abs_y.narrow(2, ob.begin, ob.size).mean({1, 2}) / reads);
  }
  return at::stack(per_tile, 1);
}

AnalogLayerWeights ProgrammedLayer::weights_at(double t_inf_s, at::Generator& gen) const {
  AnalogLayerWeights lw;
  lw.split = split_;
  lw.groups = groups_;
  lw.in_features = in_features_;
  lw.out_features = out_features_;
  lw.weight_scale = weight_scale_;
  std::vector<at::Tensor> alphas;
  for (std::size_t i = 0; i < g_plus_.size(); ++i) {
    const at::Tensor gp = pcm_conductance_at(g_plus_[i], t_inf_s, pcm_, gen);
    const at::Tensor gm = pcm_conductance_at(g_minus_[i], t_inf_s, pcm_, gen);
    at::Tensor w_t = (gp - gm) / pcm_.g_max_us;
    at::Tensor alpha = at::ones_like(baseline_.select(1, 0));
    if (numerics_.drift_compensation) {
      const at::Tensor now = one_hot_read(w_t, gen);
      alpha = at::where(now > 0, baseline_.select(1, static_cast<std::int64_t>(i)) / now,
                        at::ones_like(now));
    }
    lw.out_scale.push_back(expand_over_blocks(
        weight_scale_.select(1, static_cast<std::int64_t>(i)) * alpha, split_.out_blocks));
    lw.w_norm.push_back(std::move(w_t));
    alphas.push_back(alpha);
  }
  lw.alpha = at::stack(alphas, 1);
  return lw;
}

}  // namespace aimcsim
