// Reference CNN traces in traces/: each stored file must equal the graph the
// generator below builds, and its totals must match independently known figures
// (hand-counted MACs; torchvision / akamaster parameter counts).
// Regenerate the files with AIMCSIM_WRITE_TRACES=1 ./test_graph_zoo.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"

using namespace aimcsim;

namespace {

std::string trace_path(const std::string& file) {
  std::string path = AIMCSIM_SOURCE_DIR;  // appended, not concatenated: GCC 12 -Warray-bounds
  path.append("/traces/").append(file);
  return path;
}

// Reads traces/<file> (writing it first when AIMCSIM_WRITE_TRACES is set) and
// checks it equals `generated`.
Graph check_stored(const Graph& generated, const std::string& file) {
  if (std::getenv("AIMCSIM_WRITE_TRACES") != nullptr) write_trace_file(generated, trace_path(file));
  Graph stored = read_trace_file(trace_path(file));
  CHECK(stored == generated);
  return stored;
}

Tensor conv_bn(GraphBuilder& b, const std::string& p, const std::string& suffix, Tensor x,
               const Conv2dOptions& o) {
  Tensor c = b.conv2d(p + "conv" + suffix, x, o);
  return b.batchnorm(p + "bn" + suffix, c);
}

// CIFAR ResNet-(6n+2) (He et al. 2016, option A shortcuts: stride-2 subsampling
// and zero channel padding, as in akamaster/pytorch_resnet_cifar10).
Graph cifar_resnet(const std::string& name, int blocks_per_stage) {
  GraphBuilder b(name);
  Tensor x = b.input("x", {1, 3, 32, 32});
  x = b.relu("relu", conv_bn(b, "", "1", x, {.out_channels = 16, .kernel = 3, .padding = 1}));
  std::int64_t in_planes = 16;
  for (int stage = 0; stage < 3; ++stage) {
    const std::int64_t planes = 16 << stage;
    for (int blk = 0; blk < blocks_per_stage; ++blk) {
      const std::string p = "layer" + std::to_string(stage + 1) + "." + std::to_string(blk) + ".";
      const std::int64_t stride = (blk == 0 && stage > 0) ? 2 : 1;
      Tensor y = conv_bn(b, p, "1", x,
                         {.out_channels = planes, .kernel = 3, .stride = stride, .padding = 1});
      y = b.relu(p + "relu1", y);
      y = conv_bn(b, p, "2", y, {.out_channels = planes, .kernel = 3, .padding = 1});
      Tensor shortcut = x;
      if (stride != 1 || in_planes != planes) {
        shortcut = b.slice(p + "shortcut.subsample_h", x, 2, 0, b.shape(x)[2], 2);
        shortcut = b.slice(p + "shortcut.subsample_w", shortcut, 3, 0, b.shape(x)[3], 2);
        shortcut = b.pad(p + "shortcut.pad", shortcut, 1, planes / 4, planes / 4);
      }
      x = b.relu(p + "relu2", b.add(p + "add", {y, shortcut}));
      in_planes = planes;
    }
  }
  x = b.flatten("flatten", b.global_avgpool("avgpool", x));
  b.output("logits", b.linear("linear", x, 10, true));
  return std::move(b).build();
}

// torchvision resnet50 (v1.5: stride on the 3x3 conv), 224x224x3, 1000 classes.
Graph resnet50() {
  GraphBuilder b("resnet50_imagenet");
  Tensor x = b.input("x", {1, 3, 224, 224});
  x = conv_bn(b, "", "1", x, {.out_channels = 64, .kernel = 7, .stride = 2, .padding = 3});
  x = b.maxpool("maxpool", b.relu("relu", x), 3, 2, 1);
  const int blocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t width = 64 << stage;
    for (int blk = 0; blk < blocks[stage]; ++blk) {
      const std::string p = "layer" + std::to_string(stage + 1) + "." + std::to_string(blk) + ".";
      const std::int64_t stride = (blk == 0 && stage > 0) ? 2 : 1;
      Tensor y = b.relu(p + "relu1", conv_bn(b, p, "1", x, {.out_channels = width}));
      y = b.relu(p + "relu2",
                 conv_bn(b, p, "2", y,
                         {.out_channels = width, .kernel = 3, .stride = stride, .padding = 1}));
      y = conv_bn(b, p, "3", y, {.out_channels = 4 * width});
      Tensor shortcut = x;
      if (blk == 0) {
        shortcut = b.conv2d(p + "downsample.0", x, {.out_channels = 4 * width, .stride = stride});
        shortcut = b.batchnorm(p + "downsample.1", shortcut);
      }
      x = b.relu(p + "relu3", b.add(p + "add", {y, shortcut}));
    }
  }
  x = b.flatten("flatten", b.global_avgpool("avgpool", x));
  b.output("logits", b.linear("fc", x, 1000, true));
  return std::move(b).build();
}

// torchvision mobilenet_v2 (width 1.0), 224x224x3, 1000 classes.
Graph mobilenet_v2() {
  GraphBuilder b("mobilenet_v2_imagenet");
  auto cbr = [&](const std::string& p, Tensor x, const Conv2dOptions& o, bool act) {
    Tensor y = b.batchnorm(p + ".1", b.conv2d(p + ".0", x, o));
    return act ? b.relu6(p + ".2", y) : y;
  };
  Tensor x = b.input("x", {1, 3, 224, 224});
  x = cbr("features.0", x, {.out_channels = 32, .kernel = 3, .stride = 2, .padding = 1}, true);
  const int settings[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                              {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int index = 1;
  for (const auto& s : settings) {
    for (int i = 0; i < s[2]; ++i, ++index) {
      const std::string p = "features." + std::to_string(index) + ".conv.";
      const std::int64_t in_c = b.shape(x)[1];
      const std::int64_t hidden = in_c * s[0];
      const std::int64_t stride = i == 0 ? s[3] : 1;
      Tensor y = x;
      int layer = 0;
      if (s[0] != 1) y = cbr(p + std::to_string(layer++), y, {.out_channels = hidden}, true);
      y = cbr(
          p + std::to_string(layer++), y,
          {.out_channels = hidden, .kernel = 3, .stride = stride, .padding = 1, .groups = hidden},
          true);
      y = b.batchnorm(p + std::to_string(layer + 1),
                      b.conv2d(p + std::to_string(layer), y, {.out_channels = s[1]}));
      const bool residual = stride == 1 && in_c == s[1];
      x = residual ? b.add("features." + std::to_string(index) + ".add", {x, y}) : y;
    }
  }
  x = cbr("features.18", x, {.out_channels = 1280}, true);
  x = b.flatten("flatten", b.global_avgpool("avgpool", x));
  b.output("logits", b.linear("classifier.1", x, 1000, true));
  return std::move(b).build();
}

// Two mappable layers, for golden tests.
Graph tiny_cnn() {
  GraphBuilder b("tiny_cnn");
  Tensor x = b.input("x", {1, 3, 8, 8});
  x = b.relu("relu1", conv_bn(b, "", "1", x, {.out_channels = 8, .kernel = 3, .padding = 1}));
  x = b.flatten("flatten", b.global_avgpool("pool", x));
  b.output("logits", b.linear("fc", x, 10, true));
  return std::move(b).build();
}

}  // namespace

TEST_CASE("resnet20_cifar.trace: 40,551,040 conv+linear MACs, 269,722 params") {
  const Graph g = check_stored(cifar_resnet("resnet20_cifar", 3), "resnet20_cifar.trace");
  const GraphTotals t = g.totals();
  CHECK(t.mappable_macs == 40'551'040);
  CHECK(t.macs == 40'551'040);
  CHECK(t.mappable_ops == 20);
  CHECK(t.params == 269'722);
  CHECK(g.op(*g.find("layer3.2.conv2")).output_shape == Shape{1, 64, 8, 8});
  CHECK(g.op(*g.find("layer2.0.shortcut.pad")).output_shape == Shape{1, 32, 16, 16});
}

TEST_CASE("resnet8_cifar.trace: 12,239,488 conv+linear MACs") {
  const Graph g = check_stored(cifar_resnet("resnet8_cifar", 1), "resnet8_cifar.trace");
  CHECK(g.totals().mappable_macs == 12'239'488);
  CHECK(g.totals().mappable_ops == 8);
}

TEST_CASE("resnet50_imagenet.trace: torchvision parameter count and 4.09 G MACs") {
  const Graph g = check_stored(resnet50(), "resnet50_imagenet.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 25'557'032);  // torchvision resnet50
  CHECK(t.mappable_macs == 4'089'184'256);
  CHECK(t.mappable_ops == 54);
  CHECK(g.op(*g.find("layer4.2.add")).output_shape == Shape{1, 2048, 7, 7});
}

TEST_CASE("mobilenet_v2_imagenet.trace: torchvision parameter count") {
  const Graph g = check_stored(mobilenet_v2(), "mobilenet_v2_imagenet.trace");
  const GraphTotals t = g.totals();
  CHECK(t.params == 3'504'872);  // torchvision mobilenet_v2
  CHECK(g.op(*g.find("features.18.0")).output_shape == Shape{1, 1280, 7, 7});
  CHECK(t.mappable_macs == 300'774'272);  // hand count: conv (incl. depthwise) + classifier
  CHECK(g.op(*g.find("features.2.conv.1.0")).attrs.groups == 96);
}

TEST_CASE("tiny_cnn.trace: two mappable layers") {
  const Graph g = check_stored(tiny_cnn(), "tiny_cnn.trace");
  const GraphTotals t = g.totals();
  CHECK(t.mappable_ops == 2);
  CHECK(t.mappable_macs == 3 * 3 * 3 * 8 * 8 * 8 + 8 * 10);
}
