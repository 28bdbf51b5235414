// test-links: aimcsim_nn
// `aimcsim eval` numerics (nn/eval/): ideal analog equals FP, seeds are reproducible,
// drift lowers accuracy and compensation recovers it, digital targets, bad input.
#include <doctest/doctest.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/device/drift_time.h"
#include "models/error.h"
#include "nn/eval/evaluate_mapping.h"
#include "nn/eval/loaded_model.h"
#include "nn/train/trainer.h"
#include "nn/zoo/mappable.h"
#include "sim/mapping/mapping_io.h"

using namespace aimcsim;
using namespace aimcsim::nn;

namespace {

const std::string kResnet8 = std::string(AIMCSIM_SOURCE_DIR) + "/checkpoints/resnet8.pt";

Dataset test_head(int64_t n) {
  static const Dataset full = load_fmnist(Split::kTest);
  return Dataset{full.images.slice(0, 0, n), full.labels.slice(0, 0, n)};
}

// No programming/read noise, no drift, no DAC/ADC quantisation or clipping, no output noise.
AnalogSetup ideal_setup() {
  AnalogSetup s;
  s.pcm.kind = DeviceModelKind::kIdeal;
  s.numerics.dac_bits = 0;
  s.numerics.adc_bits = 0;
  s.numerics.inp_bound = 0.0;
  s.numerics.out_bound = 0.0;
  s.numerics.out_noise = 0.0;
  s.numerics.drift_compensation = false;
  return s;
}

// The "standard" HWA setting of FACTS.md s.2 on 256 x 256 tiles.
AnalogSetup standard_setup(bool compensation) {
  AnalogSetup s;
  s.numerics.drift_compensation = compensation;
  return s;
}

EvalOptions quiet(std::vector<double> times, int seeds, uint64_t seed = 7) {
  EvalOptions o;
  o.times_s = std::move(times);
  o.seeds = seeds;
  o.seed = seed;
  o.progress = false;
  return o;
}

}  // namespace

TEST_CASE("ideal all-analog evaluation equals the FP32 evaluation") {
  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const Mapping mapping = resolve_model_mapping("all-analog", m);
  const Dataset data = test_head(500);
  const torch::Tensor x = normalise_images(data.images);
  torch::NoGradGuard no_grad;
  const torch::Tensor fp_logits = m.model->forward(x);
  const double fp_acc = evaluate(*m.model, data);
  {
    MappedModel mapped(*m.model, mapping, ideal_setup(), {});
    mapped.program(1);
    mapped.read_at(86400.0, 1);
    const torch::Tensor analog_logits = m.model->forward(x);
    CHECK(torch::allclose(analog_logits, fp_logits, 1e-4, 1e-4));
    CHECK(evaluate(*m.model, data) == doctest::Approx(fp_acc).epsilon(0.004));
  }
  // Executors are gone after the MappedModel: plain FP32 again, bit for bit.
  CHECK(torch::equal(m.model->forward(x), fp_logits));
}

TEST_CASE("noisy evaluation is reproducible per seed and differs across seeds") {
  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const Mapping mapping = resolve_model_mapping("all-analog", m);
  const Dataset data = test_head(200);
  const auto run = [&](uint64_t seed) {
    return evaluate_mapping(*m.model, m.graph, mapping, standard_setup(true), {}, data,
                            quiet({1.0, 86400.0}, 2, seed));
  };
  const EvalResult a = run(3);
  const EvalResult b = run(3);
  const EvalResult c = run(4);
  REQUIRE(a.times.size() == 2);
  CHECK(a.times[0].per_seed == b.times[0].per_seed);
  CHECK(a.times[1].per_seed == b.times[1].per_seed);
  CHECK(a.times[0].per_seed != c.times[0].per_seed);
  CHECK(a.analog_mac_ratio == 1.0);
  CHECK(a.digital_weight_bytes == 0);
  CHECK(a.analog_layers == 8);  // resnet8: stem, 3 blocks x 2 convs, head (option-A shortcuts)
}

TEST_CASE("drift lowers accuracy over time and global compensation recovers it") {
  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const Mapping mapping = resolve_model_mapping("all-analog", m);
  const Dataset data = test_head(500);
  const double fp = evaluate(*m.model, data);
  const std::vector<double> times{1.0, kSecondsPerYear};
  const EvalResult off = evaluate_mapping(*m.model, m.graph, mapping, standard_setup(false), {},
                                          data, quiet(times, 1));
  const EvalResult on =
      evaluate_mapping(*m.model, m.graph, mapping, standard_setup(true), {}, data, quiet(times, 1));
  MESSAGE("fp " << fp << " off 1s " << off.times[0].mean << " 1y " << off.times[1].mean << " on 1s "
                << on.times[0].mean << " 1y " << on.times[1].mean);
  CHECK(on.times[0].mean < fp);                        // analog noise costs accuracy
  CHECK(off.times[1].mean < off.times[0].mean - 0.3);  // a year of drift, uncompensated
  CHECK(on.times[1].mean > off.times[1].mean + 0.2);   // compensation recovers much of it
}

TEST_CASE("digital mappings: INT8 close to FP, FP16 equal, evaluated once") {
  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const Dataset data = test_head(1000);
  const Dataset train = test_head(1000);  // calibration images: any representative set
  const double fp = evaluate(*m.model, data);
  const Mapping int8 = resolve_model_mapping("all-int8", m);
  const EvalResult r8 =
      evaluate_mapping(*m.model, m.graph, int8, AnalogSetup{}, calibrate_int8(m, int8, train), data,
                       quiet({1.0, 86400.0}, 3));
  CHECK(r8.times[0].mean == doctest::Approx(fp).epsilon(0.01));
  CHECK(r8.times[0].std == 0.0);
  CHECK(r8.times[1].per_seed == r8.times[0].per_seed);
  CHECK(r8.analog_mac_ratio == 0.0);
  const Mapping fp16 = resolve_model_mapping("all-digital", m);
  const EvalResult r16 =
      evaluate_mapping(*m.model, m.graph, fp16, AnalogSetup{}, {}, data, quiet({1.0}, 1));
  CHECK(r16.times[0].mean == doctest::Approx(fp).epsilon(0.002));
  CHECK(r16.digital_weight_bytes == 2 * r8.digital_weight_bytes);
}

TEST_CASE("an INT8 layer without a calibrated scale is an error naming it") {
  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const Mapping int8 = resolve_model_mapping("all-int8", m);
  CHECK_THROWS_WITH_AS(MappedModel(*m.model, int8, AnalogSetup{}, {}),
                       doctest::Contains("no calibrated input scale"), Error);
  // The failed construction left no executor behind.
  for (const auto& layer : mappable_layers(*m.model)) CHECK(!layer->executor());
}

TEST_CASE("bad input: other model's checkpoint, corrupt file, bad mapping, unknown model") {
  CHECK_THROWS_WITH_AS(load_trained_model("resnet20", kResnet8), doctest::Contains("resnet8.pt"),
                       Error);
  CHECK_THROWS_WITH_AS(load_trained_model("resnet99", kResnet8), doctest::Contains("resnet20"),
                       Error);
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_test_eval";
  std::filesystem::create_directories(dir);
  const auto corrupt = dir / "corrupt.pt";
  std::ofstream(corrupt) << "not a checkpoint";
  CHECK_THROWS_WITH_AS(load_trained_model("resnet8", corrupt.string()),
                       doctest::Contains("corrupt.pt"), Error);

  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const auto extra = dir / "extra.toml";
  std::ofstream out(extra);
  for (const auto& layer : mappable_layers(*m.model)) {
    out << '"' << layer->name() << "\" = \"analog\"\n";
  }
  out << "\"layer9.conv\" = \"analog\"\n";
  out.close();
  CHECK_THROWS_WITH_AS(resolve_model_mapping(extra.string(), m), doctest::Contains("layer9.conv"),
                       MappingError);
  const auto missing = dir / "missing.toml";
  std::ofstream(missing) << "\"stem.conv\" = \"analog\"\n";
  CHECK_THROWS_WITH_AS(resolve_model_mapping(missing.string(), m), doctest::Contains("head"),
                       MappingError);
}

TEST_CASE("INT8 calibration of an MPS subnet runs its skipped layers skipped") {
  LoadedModel m = load_trained_model("resnet8", kResnet8);
  const at::Tensor images = normalise_images(test_head(256).images);
  Mapping subnet = resolve_model_mapping("all-int8", m);
  const std::vector<std::string> int8 = layers_mapped_to(*m.model, subnet, Target::kInt8);
  // Without skips: the same scales as calibrating the int8 layers by name.
  CHECK(calibrate_int8_inputs(*m.model, subnet, images) ==
        calibrate_int8_inputs(*m.model, int8, images));
  // Skip layer1.0.conv1 (16 -> 16 channels, stride 1: the identity). Its successor's input
  // scale, observed by hand with that layer replaced by the identity, is what calibration
  // must give; the FP network's scale differs.
  subnet.set("layer1.0.conv1", Target::kSkip);
  const auto layers = mappable_layers(*m.model);
  double expected_max = 0.0;
  for (const auto& layer : layers) {
    if (layer->name() == "layer1.0.conv1") {
      layer->set_executor([](const MappableLayer&, const torch::Tensor& x) { return x; });
    } else if (layer->name() == "layer1.0.conv2") {
      layer->set_executor([&](const MappableLayer& l, const torch::Tensor& x) {
        expected_max = std::max(expected_max, x.abs().max().item<double>());
        return l.forward_fp(x);
      });
    }
  }
  {
    torch::NoGradGuard no_grad;
    m.model->eval();
    m.model->forward(images);
  }
  for (const auto& layer : layers) layer->reset_executor();
  const Int8Scales scales = calibrate_int8_inputs(*m.model, subnet, images);
  CHECK(scales.count("layer1.0.conv1") == 0);
  CHECK(scales.at("layer1.0.conv2") == doctest::Approx(expected_max / 127.0).epsilon(1e-12));
  CHECK(scales.at("layer1.0.conv2") !=
        calibrate_int8_inputs(*m.model, int8, images).at("layer1.0.conv2"));
  for (const auto& layer : layers) CHECK(!layer->executor());  // nothing left installed
  // A layer that cannot be skipped (the classifier) is a MappingError, nothing left behind.
  subnet.set("head", Target::kSkip);
  CHECK_THROWS_AS(calibrate_int8_inputs(*m.model, subnet, images), MappingError);
  for (const auto& layer : layers) CHECK(!layer->executor());
}
