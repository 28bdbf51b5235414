// PCM device physics (FACTS.md s.1: IBM AIHWKIT PCMLikeNoiseModel), as element-wise
// tensor functions on conductances in microsiemens (uS); times in seconds.
//
// Contract:
// - Programming (pcm_program) draws programming noise and the per-device drift exponent
//   nu ONCE; evaluating at several times (pcm_conductance_at) reuses them and draws only
//   the 1/f read noise.
// - Every random draw goes through the generator passed in; same seed and same inputs
//   give bit-identical outputs.
// - PcmParams::kind == kIdeal: g_prog = g_target, nu = 0, no read noise. The *_scale
//   fields of PcmParams switch each effect off (0) or scale it.
// - Tensors are float32 or float64 on CPU; outputs have the input's shape and dtype.
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "models/params/pcm_params.h"

namespace aimcsim {

// sigma_prog(g_target) [uS] = (0.26348 + 1.9650 x - 1.1731 x^2) * g_max/25, x = g_target/g_max.
at::Tensor pcm_sigma_prog_us(const at::Tensor& g_target_us, const PcmParams& params);

// Mean and std of the drift exponent nu for a target conductance (clamped fits).
at::Tensor pcm_nu_mean(const at::Tensor& g_target_us, const PcmParams& params);
at::Tensor pcm_nu_std(const at::Tensor& g_target_us, const PcmParams& params);

// Q_s(g_prog) = min(0.0088 / max((g_prog/g_max)^0.65, 1e-3), 0.2), dimensionless.
at::Tensor pcm_read_noise_qs(const at::Tensor& g_prog_us, const PcmParams& params);

// (t/t0)^(-nu) with t = t_inf + t0: the drift multiplier of one device.
double pcm_drift_multiplier(double nu, double t_inf_s, const PcmParams& params);

// sqrt(ln((t + t_read) / (2 t_read))), t = t_inf + t0: accumulated 1/f read-noise factor.
double pcm_read_noise_factor(double t_inf_s, const PcmParams& params);

// The state of programmed devices; both tensors have the shape of g_target.
struct PcmProgrammed {
  at::Tensor g_prog_us;  // conductance right after programming, >= 0 [uS]
  at::Tensor nu;         // drift exponent per device, >= 0 (already times drift_scale)
};

// Programs devices to g_target_us (clamped to [0, g_max]): programming noise + nu draws.
PcmProgrammed pcm_program(const at::Tensor& g_target_us, const PcmParams& params,
                          at::Generator& gen);

// Conductance at t_inf_s after programming: drift and a fresh draw of 1/f read noise.
at::Tensor pcm_conductance_at(const PcmProgrammed& devices, double t_inf_s, const PcmParams& params,
                              at::Generator& gen);

}  // namespace aimcsim
