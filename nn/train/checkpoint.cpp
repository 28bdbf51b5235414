#include "nn/train/checkpoint.h"

#include <torch/torch.h>

#include <filesystem>
#include <map>

#include "models/error.h"
#include "nn/zoo/zoo.h"

namespace aimcsim::nn {
namespace {

constexpr const char* kFormat = "aimcsim-checkpoint-v1";

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

template <typename T>
T read_value(torch::serialize::InputArchive& archive, const std::string& path,
             const std::string& key) {
  c10::IValue value;
  if (!archive.try_read(key, value)) {
    throw Error(path + ": checkpoint lacks key '" + key + "' (expected an " + kFormat + " file)");
  }
  if constexpr (std::is_same_v<T, std::string>) {
    if (value.isString()) return value.toStringRef();
  } else if constexpr (std::is_same_v<T, double>) {
    if (value.isDouble()) return value.toDouble();
  } else {
    if (value.isInt()) return static_cast<T>(value.toInt());
  }
  throw Error(path + ": checkpoint key '" + key + "' has the wrong type");
}

void open_archive(torch::serialize::InputArchive& archive, const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error("checkpoint not found: " + path);
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a readable aimcsim checkpoint (corrupt or truncated file?): " +
                first_line(e.what_without_backtrace()));
  }
}

CheckpointMeta read_meta(torch::serialize::InputArchive& a, const std::string& path) {
  c10::IValue format;
  if (!a.try_read("format", format) || !format.isString() || format.toStringRef() != kFormat) {
    throw Error(path + ": not an aimcsim checkpoint (expected format '" + kFormat + "')");
  }
  CheckpointMeta m;
  m.model_name = read_value<std::string>(a, path, "model.name");
  m.hyper_parameters = read_value<std::string>(a, path, "model.hyper_parameters");
  m.epochs_done = read_value<int>(a, path, "train.epochs_done");
  m.epochs_total = read_value<int>(a, path, "train.epochs_total");
  m.seed = read_value<uint64_t>(a, path, "train.seed");
  m.batch_size = read_value<int64_t>(a, path, "train.batch_size");
  m.lr = read_value<double>(a, path, "train.lr");
  m.momentum = read_value<double>(a, path, "train.momentum");
  m.weight_decay = read_value<double>(a, path, "train.weight_decay");
  m.grad_clip = read_value<double>(a, path, "train.grad_clip");
  m.train_limit = read_value<int64_t>(a, path, "train.train_limit");
  m.best_test_accuracy = read_value<double>(a, path, "train.best_test_accuracy");
  m.last_test_accuracy = read_value<double>(a, path, "train.last_test_accuracy");
  m.history = read_value<std::string>(a, path, "train.history");
  // Optional keys (added after v1 files were first written).
  c10::IValue optional;
  if (a.try_read("train.training", optional) && optional.isString()) {
    m.training = optional.toStringRef();
  }
  if (a.try_read("train.init_from", optional) && optional.isString()) {
    m.init_from = optional.toStringRef();
  }
  return m;
}

}  // namespace

void save_checkpoint(const std::string& path, const CheckpointMeta& m, ZooModel& model,
                     torch::optim::Optimizer* optimizer) {
  torch::serialize::OutputArchive a;
  a.write("format", c10::IValue(std::string(kFormat)));
  a.write("model.name", c10::IValue(m.model_name));
  a.write("model.hyper_parameters", c10::IValue(m.hyper_parameters));
  a.write("train.epochs_done", c10::IValue(int64_t{m.epochs_done}));
  a.write("train.epochs_total", c10::IValue(int64_t{m.epochs_total}));
  a.write("train.seed", c10::IValue(static_cast<int64_t>(m.seed)));
  a.write("train.batch_size", c10::IValue(m.batch_size));
  a.write("train.lr", c10::IValue(m.lr));
  a.write("train.momentum", c10::IValue(m.momentum));
  a.write("train.weight_decay", c10::IValue(m.weight_decay));
  a.write("train.grad_clip", c10::IValue(m.grad_clip));
  a.write("train.train_limit", c10::IValue(m.train_limit));
  a.write("train.best_test_accuracy", c10::IValue(m.best_test_accuracy));
  a.write("train.last_test_accuracy", c10::IValue(m.last_test_accuracy));
  a.write("train.history", c10::IValue(m.history));
  a.write("train.training", c10::IValue(m.training));
  a.write("train.init_from", c10::IValue(m.init_from));
  torch::serialize::OutputArchive weights;
  model.save(weights);
  a.write("model", weights);
  if (optimizer != nullptr) {
    torch::serialize::OutputArchive state;
    optimizer->save(state);
    a.write("optimizer", state);
  }
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string tmp = path + ".tmp";
  try {
    a.save_to(tmp);
  } catch (const c10::Error& e) {
    throw Error("cannot write checkpoint " + tmp + ": " + first_line(e.what_without_backtrace()));
  }
  std::filesystem::rename(tmp, target);
}

CheckpointMeta read_checkpoint_meta(const std::string& path) {
  torch::serialize::InputArchive archive;
  open_archive(archive, path);
  return read_meta(archive, path);
}

CheckpointMeta load_checkpoint(const std::string& path, ZooModel& model,
                               torch::optim::Optimizer* optimizer) {
  torch::serialize::InputArchive archive;
  open_archive(archive, path);
  CheckpointMeta meta = read_meta(archive, path);
  if (meta.model_name != model.name()) {
    throw Error(path + ": checkpoint is of model '" + meta.model_name + "', expected '" +
                model.name() + "'");
  }
  if (meta.hyper_parameters != model.hyper_parameters()) {
    throw Error(path + ": checkpoint hyper-parameters '" + meta.hyper_parameters +
                "' differ from the model's '" + model.hyper_parameters() + "'");
  }
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& t : model.named_parameters()) shapes[t.key()] = t.value().sizes().vec();
  for (const auto& t : model.named_buffers()) shapes[t.key()] = t.value().sizes().vec();
  try {
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    model.load(weights);
    if (optimizer != nullptr) {
      torch::serialize::InputArchive state;
      archive.read("optimizer", state);
      optimizer->load(state);
    }
  } catch (const c10::Error& e) {
    throw Error(path + ": cannot load the weights of '" + meta.model_name +
                "' (corrupt checkpoint?): " + first_line(e.what_without_backtrace()));
  }
  for (const auto& t : model.named_parameters()) {
    if (t.value().sizes().vec() != shapes[t.key()]) {
      throw Error(path + ": tensor '" + t.key() + "' has the wrong shape for '" + model.name() +
                  "'");
    }
  }
  return meta;
}

std::shared_ptr<ZooModel> load_model(const std::string& path) {
  auto model = make_model(read_checkpoint_meta(path).model_name);
  load_checkpoint(path, *model, nullptr);
  return model;
}

}  // namespace aimcsim::nn
