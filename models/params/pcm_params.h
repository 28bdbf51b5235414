// Parameters of the PCM device model (FACTS.md s.1: IBM AIHWKIT PCMLikeNoiseModel).
//
// Consumed by the device-physics functions in models/device/ and filled by the
// config loader (sim/config) from the `[device]` section. Plain data; the
// loader validates ranges.
#pragma once

namespace aimcsim {

enum class DeviceModelKind {
  kIdeal,    // no programming noise, no drift, no read noise
  kPcmLike,  // FACTS.md s.1
};

struct PcmParams {
  DeviceModelKind kind = DeviceModelKind::kPcmLike;
  double g_max_us = 25.0;         // max conductance of one device [uS] (FACTS.md s.1)
  double t0_s = 20.0;             // drift reference time after programming [s] (FACTS.md s.1)
  double t_read_s = 250e-9;       // duration of one read [s] (FACTS.md s.1)
  double prog_noise_scale = 1.0;  // multiplies sigma_prog; 0 switches programming noise off
  double read_noise_scale = 1.0;  // multiplies Q_s; 0 switches 1/f read noise off
  double drift_scale = 1.0;       // multiplies nu; 0 switches drift off
};

}  // namespace aimcsim
