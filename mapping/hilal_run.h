// The HILAL mapping job end to end on a trained model (what `aimcsim map hilal*` runs
// before LAFT): calibration batches -> sensitivity analysis (nn/hessian/sensitivity.h) ->
// clustering (mapping/hilal.h) -> Mapping, plus the JSON report.
//
// Contract: deterministic for a seed (calibration choice, probes, power-iteration starts
// and k-means restarts all derive from HilalRunOptions::seed). The report holds the
// settings (incl. the sensitivity estimator that ran: auto picks gauss-newton or per-layer),
// per-layer sensitivity (d, max|W|, sigma, Tr, lambda_max, HNI, SCR, seconds, steps,
// MACs, target), the clustering (hilal_clustering_json), the analog MAC ratio and the
// wall time of each phase (calibration_s, sensitivity_s, clustering_s, total_s).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "mapping/hilal.h"
#include "nn/data/fmnist.h"
#include "nn/eval/loaded_model.h"
#include "nn/hessian/sensitivity.h"

namespace aimcsim {

struct HilalRunOptions {
  HilalVariant variant = HilalVariant::kHniScr;
  int batches = 8;  // calibration batches (FACTS.md s.4 reference: 8 of 256)
  std::int64_t batch_size = 256;
  nn::SensitivityOptions sensitivity;  // probes, power steps, estimator, gamma, progress
  KMeansOptions kmeans;                // k = 2, restarts
  Target digital = Target::kFp16;
  std::uint64_t seed = 0;  // overrides sensitivity.seed and kmeans.seed
};

struct HilalRunResult {
  Mapping mapping;
  HilalClustering clustering;
  std::vector<nn::LayerSensitivity> sensitivity;
  nlohmann::json report;
};

HilalRunResult run_hilal(nn::LoadedModel& model, const nn::Dataset& train,
                         const HilalRunOptions& options);

nlohmann::json sensitivity_json(const nn::LayerSensitivity& s);

}  // namespace aimcsim
