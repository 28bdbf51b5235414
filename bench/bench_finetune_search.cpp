// bench_finetune_search: one LAFT or LionHEART search (mapping/laft.h, mapping/lionheart.h)
// on a shipped checkpoint, with a short stage budget; prints the wall time per stage, the
// accepted layers and where the run folder's outputs went. A driver, not a test: the
// `aimcsim map` subcommand is where users run the searches.
//
//   bench_finetune_search --method laft|lionheart [--model resnet20]
//     [--ckpt checkpoints/resnet20.pt] [--hw configs/default.toml] [--run-dir DIR]
//     [--layers a,b,c | --smallest N] [--images-per-epoch 2000] [--max-epochs 4]
//     [--patience 2] [--validation 5000] [--threshold 0.02] [--eval-seeds 2]
//     [--seed 0] [--threads 2] [--stop-after 0]
// --smallest N (LAFT without a HILAL list): the N mappable layers with the fewest weights,
// in increasing weight count. The validation split is the last --validation training images.
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "mapping/laft.h"
#include "mapping/lionheart.h"
#include "models/error.h"
#include "models/host/allocator_tuning.h"
#include "sim/config/hardware_config.h"

using namespace aimcsim;

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<std::string> smallest_layers(const Graph& graph, std::size_t n) {
  std::vector<std::pair<std::int64_t, std::string>> layers;
  for (const OpId id : graph.ids()) {
    if (graph.op(id).mappable()) layers.emplace_back(graph.op(id).stats.weights, graph.op(id).name);
  }
  std::stable_sort(layers.begin(), layers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (std::size_t i = 0; i < std::min(n, layers.size()); ++i) names.push_back(layers[i].second);
  return names;
}

int run(const std::map<std::string, std::string>& flags) {
  auto get = [&](const std::string& key, const std::string& fallback) {
    const auto it = flags.find(key);
    return it == flags.end() ? fallback : it->second;
  };
  const std::string method = get("method", "laft");
  const std::string model_name = get("model", "resnet20");
  const std::string ckpt = get("ckpt", "checkpoints/" + model_name + ".pt");
  const std::string hw = get("hw", default_hardware_config_path().string());
  torch::set_num_threads(std::stoi(get("threads", "2")));

  mapping::FinetuneSearchOptions search;
  search.analog = nn::analog_setup_of(load_hardware_config(hw));
  search.hw_label = std::filesystem::path(hw).filename().string();
  search.stage.images_per_epoch = std::stoll(get("images-per-epoch", "2000"));
  search.stage.max_epochs = std::stoi(get("max-epochs", "4"));
  search.stage.patience = std::stoi(get("patience", "2"));
  search.stage.progress = get("progress", "0") == "1";
  search.seed = std::stoull(get("seed", "0"));
  search.run_dir = get("run-dir", "/tmp/aimcsim_" + method + "_" + model_name);
  search.stop_after_stages = std::stoi(get("stop-after", "0"));

  nn::LoadedModel model = nn::load_trained_model(model_name, ckpt);
  const mapping::FinetuneData data = mapping::split_validation(
      nn::load_fmnist(nn::Split::kTrain), std::stoll(get("validation", "5000")));
  mapping::SearchResult r;
  if (method == "laft") {
    mapping::LaftOptions o;
    o.search = search;
    o.layers = flags.count("layers")
                   ? split_list(flags.at("layers"))
                   : smallest_layers(model.graph, std::stoul(get("smallest", "8")));
    o.search.stage.rule = mapping::EarlyStopRule::kNoImprovement;
    r = mapping::run_laft(model, data, o);
  } else if (method == "lionheart") {
    mapping::LionheartOptions o;
    o.search = search;
    o.search.stage.rule = mapping::EarlyStopRule::kBelowBest;
    o.threshold = std::stod(get("threshold", "0.02"));
    o.eval_seeds = std::stoi(get("eval-seeds", "2"));
    r = mapping::run_lionheart(model, data, o);
  } else {
    throw Error("--method must be laft or lionheart, got '" + method + "'");
  }
  std::printf("%s on %s (%s): %d/%d stages, search wall time %.1f s (summed over sessions)\n",
              r.method.c_str(), model_name.c_str(), ckpt.c_str(), r.stages_done, r.stages_total,
              r.search_seconds);
  std::printf("%5s  %-22s %10s %8s %7s %10s %10s %9s\n", "stage", "layer", "MACs", "kept", "epochs",
              "val0 %", "val best %", "stage s");
  for (const auto& s : r.stages) {
    std::printf("%5d  %-22s %10lld %8s %7d %10.2f %10.2f %9.1f", s.stage, s.layer.c_str(),
                static_cast<long long>(s.layer_macs), s.accepted ? "yes" : "reverted",
                s.finetune.epochs_trained, 100 * s.finetune.validation_accuracy.front(),
                100 * s.finetune.best_validation_accuracy, s.finetune.seconds);
    if (!s.drift_accuracy_per_seed.empty()) std::printf("  1d %.2f%%", 100 * s.drift_accuracy_mean);
    std::printf("\n");
  }
  if (r.extra.contains("baseline_accuracy")) {
    std::printf("baseline (all-digital, validation): %.2f%%\n",
                100 * r.extra["baseline_accuracy"].get<double>());
  }
  std::printf("analog MAC ratio %.3f\n", analog_mac_ratio(model.graph, r.mapping));
  if (r.finished) {
    std::printf("outputs: %s %s %s\n", r.checkpoint_path.c_str(), r.mapping_path.c_str(),
                r.report_path.c_str());
  }
  return 0;
}

}  // namespace

// libsystemc (linked through aimcsim_models) references sc_main; this bench never uses it.
extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) { return 0; }

int main(int argc, char** argv) {
  tune_allocator_for_tensors();
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || i + 1 >= argc) {
      std::fprintf(stderr, "usage: --key value pairs (see the header of this file); got '%s'\n",
                   arg.c_str());
      return 2;
    }
    flags[arg.substr(2)] = argv[++i];
  }
  try {
    return run(flags);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
