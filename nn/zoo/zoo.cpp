#include "nn/zoo/zoo.h"

#include <torch/torch.h>

#include <array>
#include <utility>

#include "models/error.h"
#include "nn/zoo/mappable.h"
#include "nn/zoo/mobilenetv2.h"
#include "nn/zoo/nasbench201.h"
#include "nn/zoo/resnet.h"
#include "nn/zoo/vgg.h"
#include "nn/zoo/vit.h"

namespace aimcsim::nn {
namespace {

constexpr const char* kNb201Prefix = "nasbench201:";
constexpr const char* kInnerSuffix = "@inner=";
constexpr const char* kCellsSuffix = "@cells=";

// Models with widened variants (nn/zoo/widen.h).
bool is_widenable(ModelKind kind) {
  return kind == ModelKind::kResnet8 || kind == ModelKind::kResnet20 ||
         kind == ModelKind::kResnet32 || kind == ModelKind::kVitTiny ||
         kind == ModelKind::kMobilenetV2Small;
}

std::vector<int64_t> parse_widths(const std::string& model, const std::string& text) {
  std::vector<int64_t> widths;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    std::size_t used = 0;
    long long w = 0;
    try {
      w = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || w < 1) {
      throw Error("model '" + model + "': inner width '" + item +
                  "' is not a positive integer (expected @inner=W1,W2,...)");
    }
    widths.push_back(w);
    at = comma + 1;
  }
  return widths;
}

constexpr std::array<std::pair<const char*, ModelKind>, 6> kPlainNames = {{
    {"resnet8", ModelKind::kResnet8},
    {"resnet20", ModelKind::kResnet20},
    {"resnet32", ModelKind::kResnet32},
    {"vgg-small", ModelKind::kVggSmall},
    {"mobilenetv2-small", ModelKind::kMobilenetV2Small},
    {"vit-tiny", ModelKind::kVitTiny},
}};

std::string joined_names() {
  std::string s;
  for (const auto& n : model_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& [name, kind] : kPlainNames) names.emplace_back(name);
  names.emplace_back(std::string(kNb201Prefix) + "CODE");
  return names;
}

std::string ModelSpec::name() const {
  if (kind == ModelKind::kNasBench201) {
    return kNb201Prefix + cell.arch_string() +
           (cells_per_stage == kNb201CellsPerStage
                ? std::string()
                : kCellsSuffix + std::to_string(cells_per_stage));
  }
  std::string suffix;
  for (std::size_t i = 0; i < inner_widths.size(); ++i) {
    suffix += (i ? "," : kInnerSuffix) + std::to_string(inner_widths[i]);
  }
  for (const auto& [name, k] : kPlainNames) {
    if (k == kind) return name + suffix;
  }
  return "?";
}

ModelSpec parse_model_spec(const std::string& name) {
  if (const std::size_t at = name.find(kCellsSuffix); at != std::string::npos) {
    ModelSpec spec = parse_model_spec(name.substr(0, at));
    const std::string n = name.substr(at + std::string(kCellsSuffix).size());
    if (spec.kind != ModelKind::kNasBench201) {
      throw Error("model '" + name + "': @cells= applies to nasbench201:CODE only");
    }
    if (n.size() != 1 || n[0] < '1' || n[0] > '5') {
      throw Error("model '" + name + "': cells per stage '" + n + "'; expected 1 to 5");
    }
    spec.cells_per_stage = n[0] - '0';
    return spec;
  }
  if (const std::size_t at = name.find(kInnerSuffix); at != std::string::npos) {
    ModelSpec spec = parse_model_spec(name.substr(0, at));
    if (!is_widenable(spec.kind)) {
      throw Error("model '" + name +
                  "': widened variants (@inner=) exist for resnet8, resnet20, resnet32, "
                  "vit-tiny and mobilenetv2-small only");
    }
    spec.inner_widths = parse_widths(name, name.substr(at + std::string(kInnerSuffix).size()));
    return spec;
  }
  for (const auto& [n, kind] : kPlainNames) {
    if (name == n) return ModelSpec{kind, {}};
  }
  const std::string prefix = kNb201Prefix;
  if (name.rfind(prefix, 0) == 0) {
    return ModelSpec{ModelKind::kNasBench201, parse_nb201_code(name.substr(prefix.size()))};
  }
  throw Error("unknown model '" + name + "'; valid models: " + joined_names());
}

std::shared_ptr<ZooModel> make_model(const ModelSpec& spec) {
  std::shared_ptr<ZooModel> model;
  switch (spec.kind) {
    case ModelKind::kResnet8:
      model = make_resnet(1, spec.inner_widths);
      break;
    case ModelKind::kResnet20:
      model = make_resnet(3, spec.inner_widths);
      break;
    case ModelKind::kResnet32:
      model = make_resnet(5, spec.inner_widths);
      break;
    case ModelKind::kVggSmall:
      model = make_vgg_small();
      break;
    case ModelKind::kMobilenetV2Small:
      model = make_mobilenetv2_small(spec.inner_widths);
      break;
    case ModelKind::kVitTiny: {
      VitParams params;
      params.mlp_hidden_per_block = spec.inner_widths;
      model = make_vit(params);
      break;
    }
    case ModelKind::kNasBench201:
      model = make_nasbench201(spec.cell, spec.cells_per_stage);
      break;
  }
  model->set_name(spec.name());
  assign_layer_names(*model);
  return model;
}

std::shared_ptr<ZooModel> make_model(const std::string& name) {
  return make_model(parse_model_spec(name));
}

}  // namespace aimcsim::nn
