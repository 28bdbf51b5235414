// Numerics of one analog MVM through a tile (FACTS.md s.2): input scaling, DAC
// and ADC quantisation with bounds, output noise, drift compensation.
//
// Consumed by models/analog/ tensor functions; filled by sim/config from the
// `[tile]` section. Values are in normalised units (max|W| = 1 maps to g_max).
#pragma once

namespace aimcsim {

enum class NoiseManagement {
  kNone,    // inputs go to the DAC unscaled
  kAbsMax,  // divide each input vector by max|x| (FACTS.md s.2 step 1)
};

struct AnalogNumericsParams {
  int dac_bits = 8;         // DAC resolution; 0 = no input quantisation
  double inp_bound = 1.0;   // DAC clip range [-inp_bound, inp_bound]
  int adc_bits = 8;         // ADC resolution; 0 = no output quantisation
  double out_bound = 10.0;  // ADC clip range (FACTS.md s.2: 10 to 12)
  double out_noise = 0.04;  // additive output noise std, normalised (FACTS.md s.2)
  double w_noise = 0.0;     // short-term read noise coefficient (FACTS.md s.2 step 4)
  NoiseManagement noise_management = NoiseManagement::kAbsMax;
  bool drift_compensation = true;  // global drift compensation per tile (FACTS.md s.1)
  // One-hot reads averaged into each compensation read-out (baseline and read at t). 1 is
  // FACTS.md s.1 (and AIHWKIT's GlobalDriftCompensation); more reads shrink the output-noise
  // and ADC part of alpha's error by ~sqrt(reads), which matters on small tiles.
  int compensation_reads = 1;
  int tile_rows = 256;  // crossbar rows = max inputs per block (even split, FACTS.md s.2)
  int tile_cols = 256;  // crossbar cols = max outputs per block
};

}  // namespace aimcsim
