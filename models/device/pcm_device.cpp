// PCM device physics; formulas and constants from FACTS.md s.1.
#include "models/device/pcm_device.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "models/error.h"

namespace aimcsim {
namespace {

void check_params(const PcmParams& params) {
  if (!(params.g_max_us > 0.0) || !(params.t0_s > 0.0) || !(params.t_read_s > 0.0)) {
    throw Error("PcmParams: g_max_us, t0_s and t_read_s must be > 0");
  }
}

// ln(g_rel) with g_rel = max(|g/g_max|, 1e-7).
at::Tensor log_g_rel(const at::Tensor& g_us, const PcmParams& params) {
  return (g_us.abs() / params.g_max_us).clamp_min(1e-7).log();
}

}  // namespace

at::Tensor pcm_sigma_prog_us(const at::Tensor& g_target_us, const PcmParams& params) {
  check_params(params);
  const at::Tensor x = g_target_us / params.g_max_us;
  return (0.26348 + 1.9650 * x - 1.1731 * x * x) * (params.g_max_us / 25.0);
}

at::Tensor pcm_nu_mean(const at::Tensor& g_target_us, const PcmParams& params) {
  return (-0.0155 * log_g_rel(g_target_us, params) + 0.0244).clamp(0.049, 0.1);
}

at::Tensor pcm_nu_std(const at::Tensor& g_target_us, const PcmParams& params) {
  return (-0.0125 * log_g_rel(g_target_us, params) - 0.0059).clamp(0.008, 0.045);
}

at::Tensor pcm_read_noise_qs(const at::Tensor& g_prog_us, const PcmParams& params) {
  const at::Tensor rel = (g_prog_us / params.g_max_us).clamp_min(0.0).pow(0.65);
  return (0.0088 / rel.clamp_min(1e-3)).clamp_max(0.2);
}

double pcm_drift_multiplier(double nu, double t_inf_s, const PcmParams& params) {
  check_params(params);
  const double t = t_inf_s + params.t0_s;
  return std::pow(t / params.t0_s, -nu);
}

double pcm_read_noise_factor(double t_inf_s, const PcmParams& params) {
  check_params(params);
  const double t = t_inf_s + params.t0_s;
  return std::sqrt(std::log((t + params.t_read_s) / (2.0 * params.t_read_s)));
}

PcmProgrammed pcm_program(const at::Tensor& g_target_us, const PcmParams& params,
                          at::Generator& gen) {
  check_params(params);
  const at::Tensor target = g_target_us.clamp(0.0, params.g_max_us);
  if (params.kind == DeviceModelKind::kIdeal) {
    return {target.clone(), at::zeros_like(target)};
  }
  // Draw order is fixed (programming noise, then nu) so that a seed pins both.
  const at::Tensor z_prog = at::randn(target.sizes(), gen, target.options());
  const at::Tensor z_nu = at::randn(target.sizes(), gen, target.options());
  const at::Tensor sigma = pcm_sigma_prog_us(target, params) * params.prog_noise_scale;
  at::Tensor g_prog = (target + sigma * z_prog).clamp_min(0.0);
  at::Tensor nu =
      (pcm_nu_mean(target, params) + pcm_nu_std(target, params) * z_nu).abs() * params.drift_scale;
  return {std::move(g_prog), std::move(nu)};
}

at::Tensor pcm_conductance_at(const PcmProgrammed& devices, double t_inf_s, const PcmParams& params,
                              at::Generator& gen) {
  check_params(params);
  if (t_inf_s < 0.0) {
    throw Error("pcm_conductance_at: t_inf_s must be >= 0");
  }
  if (params.kind == DeviceModelKind::kIdeal) {
    return devices.g_prog_us.clone();
  }
  const double t = t_inf_s + params.t0_s;
  const at::Tensor g_drift = devices.g_prog_us * at::exp(-devices.nu * std::log(t / params.t0_s));
  if (params.read_noise_scale == 0.0) {
    return g_drift;
  }
  const at::Tensor sigma_read = pcm_read_noise_qs(devices.g_prog_us, params) *
                                (params.read_noise_scale * pcm_read_noise_factor(t_inf_s, params));
  const at::Tensor z = at::randn(g_drift.sizes(), gen, g_drift.options());
  return (g_drift + g_drift.abs() * sigma_read * z).clamp_min(0.0);
}

}  // namespace aimcsim
