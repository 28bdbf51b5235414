// Run folder of a staged fine-tuning search (search_run.h).
#include "mapping/search_run.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/error.h"

namespace aimcsim::mapping {
namespace {

constexpr const char* kStateFormat = "aimcsim-finetune-search-v1";
constexpr const char* kStateFile = "state.json";

std::string weights_file(int stage) { return "stage-" + std::to_string(stage) + ".pt"; }

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

nlohmann::json stage_record_to_json(const StageRecord& r) {
  return {{"stage", r.stage},
          {"layer", r.layer},
          {"layer_macs", r.layer_macs},
          {"accepted", r.accepted},
          {"validation_accuracy", r.finetune.validation_accuracy},
          {"epochs_trained", r.finetune.epochs_trained},
          {"best_epoch", r.finetune.best_epoch},
          {"best_validation_accuracy", r.finetune.best_validation_accuracy},
          {"finetune_s", r.finetune.seconds},
          {"train_s", r.finetune.training_seconds},
          {"validation_s", r.finetune.validation_seconds},
          {"drift_s", r.drift_seconds},
          {"drift_accuracy_per_seed", r.drift_accuracy_per_seed},
          {"drift_accuracy_mean", r.drift_accuracy_mean}};
}

StageRecord stage_record_from_json(const nlohmann::json& j) {
  StageRecord r;
  r.stage = j.at("stage").get<int>();
  r.layer = j.at("layer").get<std::string>();
  r.layer_macs = j.at("layer_macs").get<std::int64_t>();
  r.accepted = j.at("accepted").get<bool>();
  r.finetune.validation_accuracy = j.at("validation_accuracy").get<std::vector<double>>();
  r.finetune.epochs_trained = j.at("epochs_trained").get<int>();
  r.finetune.best_epoch = j.at("best_epoch").get<int>();
  r.finetune.best_validation_accuracy = j.at("best_validation_accuracy").get<double>();
  r.finetune.seconds = j.at("finetune_s").get<double>();
  // Absent in run folders written before the time breakdown existed.
  r.finetune.training_seconds = j.value("train_s", 0.0);
  r.finetune.validation_seconds = j.value("validation_s", 0.0);
  r.drift_seconds = j.value("drift_s", 0.0);
  r.drift_accuracy_per_seed = j.at("drift_accuracy_per_seed").get<std::vector<double>>();
  r.drift_accuracy_mean = j.at("drift_accuracy_mean").get<double>();
  return r;
}

nlohmann::json mapping_to_json(const Mapping& mapping) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, target] : mapping.entries()) j[name] = std::string(target_name(target));
  return j;
}

Mapping mapping_from_json(const nlohmann::json& j, const std::string& source) {
  Mapping m(source);
  for (const auto& [name, value] : j.items()) {
    const auto target = parse_target(value.get<std::string>());
    if (!target) throw Error(source + ": layer '" + name + "' has an unknown target");
    m.set(name, *target);
  }
  return m;
}

SearchRun::SearchRun(std::string dir, nlohmann::json settings)
    : dir_(std::move(dir)), settings_(std::move(settings)) {
  if (dir_.empty()) throw Error("search: a run folder is required (it holds the stage states)");
}

std::string SearchRun::path(const std::string& file) const {
  return (std::filesystem::path(dir_) / file).string();
}

std::optional<SearchProgress> SearchRun::resume(nn::ZooModel& model) const {
  const std::string state_path = path(kStateFile);
  if (!std::filesystem::exists(state_path)) return std::nullopt;
  nlohmann::json state;
  try {
    std::ifstream in(state_path);
    state = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(state_path + ": not a readable search state (" + e.what() + ")");
  }
  if (state.value("format", "") != kStateFormat) {
    throw Error(state_path + ": not a search state (expected format '" + kStateFormat + "')");
  }
  const nlohmann::json& saved = state.at("settings");
  for (const auto& [key, now] : settings_.items()) {
    const nlohmann::json before = saved.contains(key) ? saved.at(key) : nlohmann::json();
    if (before != now) {
      throw Error(dir_ + ": cannot resume: setting '" + key + "' is " + before.dump() +
                  " in the run folder but " + now.dump() +
                  " now (use the original settings or another run folder)");
    }
  }
  for (const auto& [key, before] : saved.items()) {
    if (!settings_.contains(key)) {
      throw Error(dir_ + ": cannot resume: the run folder has setting '" + key +
                  "' that this search does not know");
    }
  }
  SearchProgress p;
  try {
    p.stages_done = state.at("stages_done").get<int>();
    p.mapping = mapping_from_json(state.at("mapping"), state_path);
    for (const auto& r : state.at("history")) p.history.push_back(stage_record_from_json(r));
    p.search_seconds = state.at("search_s").get<double>();
    p.extra = state.at("extra");
    nn::load_checkpoint(path(state.at("weights").get<std::string>()), model, nullptr);
  } catch (const nlohmann::json::exception& e) {
    throw Error(state_path + ": malformed search state (" + e.what() + ")");
  }
  return p;
}

void SearchRun::commit(const SearchProgress& p, nn::ZooModel& model,
                       const nn::CheckpointMeta& meta) const {
  std::filesystem::create_directories(dir_);
  const std::string weights = weights_file(p.stages_done);
  nn::save_checkpoint(path(weights), meta, model, nullptr);
  nlohmann::json history = nlohmann::json::array();
  for (const StageRecord& r : p.history) history.push_back(stage_record_to_json(r));
  const nlohmann::json state = {{"format", kStateFormat},
                                {"settings", settings_},
                                {"stages_done", p.stages_done},
                                {"weights", weights},
                                {"mapping", mapping_to_json(p.mapping)},
                                {"history", history},
                                {"search_s", p.search_seconds},
                                {"extra", p.extra}};
  write_atomically(path(kStateFile), state.dump(2) + "\n");
  if (p.stages_done > 0) std::filesystem::remove(path(weights_file(p.stages_done - 1)));
}

}  // namespace aimcsim::mapping
