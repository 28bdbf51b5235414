// MPS run folder (mps_state.h).
#include "mapping/mps_state.h"

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "models/error.h"
#include "sim/report/report_io.h"

namespace aimcsim::mapping {
namespace {

constexpr const char* kFormat = "aimcsim-mps-run-v1";

std::string first_difference(const nlohmann::json& a, const nlohmann::json& b) {
  for (const auto& [key, value] : a.items()) {
    if (!b.contains(key) || b[key] != value) return key;
  }
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key)) return key;
  }
  return {};
}

}  // namespace

MpsRunState::MpsRunState(std::string dir, nlohmann::json settings)
    : dir_(std::move(dir)), settings_(std::move(settings)) {}

std::string MpsRunState::path(const std::string& file) const {
  return (std::filesystem::path(dir_) / file).string();
}

std::optional<nlohmann::json> MpsRunState::load(torch::nn::Module& model, torch::Tensor& logits,
                                                torch::optim::Optimizer* sgd,
                                                torch::optim::Optimizer* adam) const {
  const std::string json_path = path("state.json");
  if (!std::filesystem::exists(json_path)) return std::nullopt;
  std::ifstream in(json_path);
  nlohmann::json state = nlohmann::json::parse(in, nullptr, false);
  if (state.is_discarded() || !state.is_object() || state.value("format", "") != kFormat) {
    throw Error(json_path + ": not an MPS run state (corrupt, or another format)");
  }
  const std::string key = first_difference(state["settings"], settings_);
  if (!key.empty()) {
    throw Error(dir_ + ": the run was started with other settings (key '" + key +
                "': " + state["settings"].value(key, nlohmann::json()).dump() + " there, " +
                settings_.value(key, nlohmann::json()).dump() +
                " now); use another --run-dir or the same options");
  }
  const std::string weights = path(state.at("weights").get<std::string>());
  try {
    torch::serialize::InputArchive a;
    a.load_from(weights);
    torch::serialize::InputArchive w;
    a.read("model", w);
    model.load(w);
    torch::Tensor stored;
    a.read("logits", stored);
    torch::NoGradGuard no_grad;
    logits.copy_(stored);
    torch::serialize::InputArchive opt;
    if (sgd != nullptr && a.try_read("sgd", opt)) sgd->load(opt);
    torch::serialize::InputArchive opt2;
    if (adam != nullptr && a.try_read("adam", opt2)) adam->load(opt2);
  } catch (const c10::Error& e) {
    throw Error(weights + ": cannot load the MPS run state (corrupt?): " +
                std::string(e.what_without_backtrace()).substr(0, 200));
  }
  return state.at("progress");
}

void MpsRunState::commit(nlohmann::json progress, torch::nn::Module& model,
                         const torch::Tensor& logits, torch::optim::Optimizer* sgd,
                         torch::optim::Optimizer* adam) const {
  std::filesystem::create_directories(dir_);
  const std::string previous = [&] {
    std::ifstream in(path("state.json"));
    const nlohmann::json old = nlohmann::json::parse(in, nullptr, false);
    return old.is_object() && old.contains("weights") ? old["weights"].get<std::string>()
                                                      : std::string();
  }();
  const std::string weights = "state-" + std::to_string(progress.value("units_done", 0)) + ".pt";
  torch::serialize::OutputArchive a;
  torch::serialize::OutputArchive w;
  model.save(w);
  a.write("model", w);
  a.write("logits", logits.detach());
  if (sgd != nullptr) {
    torch::serialize::OutputArchive s;
    sgd->save(s);
    a.write("sgd", s);
  }
  if (adam != nullptr) {
    torch::serialize::OutputArchive s;
    adam->save(s);
    a.write("adam", s);
  }
  a.save_to(path(weights) + ".tmp");
  std::filesystem::rename(path(weights) + ".tmp", path(weights));
  const nlohmann::json state = {
      {"format", kFormat}, {"settings", settings_}, {"weights", weights}, {"progress", progress}};
  write_text_file(path("state.json.tmp"), state.dump(1) + "\n");
  std::filesystem::rename(path("state.json.tmp"), path("state.json"));
  if (!previous.empty() && previous != weights) std::filesystem::remove(path(previous));
}

void save_module_weights(torch::nn::Module& model, const std::string& path) {
  torch::serialize::OutputArchive archive;
  model.save(archive);
  const std::string tmp = path + ".tmp";
  archive.save_to(tmp);
  std::filesystem::rename(tmp, path);
}

void load_module_weights(torch::nn::Module& model, const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error("mps: missing weights file '" + path + "'");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
    model.load(archive);
  } catch (const c10::Error& e) {
    throw Error("mps: corrupt weights file '" + path + "': " + e.what_without_backtrace());
  }
}

}  // namespace aimcsim::mapping
