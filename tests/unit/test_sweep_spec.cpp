// test-links: aimcsim_explore
// Sweep specs (explore/sweep_spec.h, spec_validation.h, sweep_points.h): the whole spec is
// validated before any point, every error at FILE:LINE; points expand as documented.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "explore/spec_validation.h"
#include "explore/sweep_points.h"

using namespace aimcsim;
using namespace aimcsim::explore;

namespace {

const std::string kSrc = AIMCSIM_SOURCE_DIR;

std::string write_spec(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_sweep_spec_tests";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string header() {
  return "schema_version = 1\nbase_config = \"" + kSrc + "/configs/hermes.toml\"\n";
}

std::string workload() {
  return "[[workload]]\ntrace = \"" + kSrc +
         "/traces/tiny_cnn.trace\"\nmappings = [\"all-analog\"]\n";
}

// Every diagnostic line of loading the spec ("" if it loads).
std::string errors_of(const std::string& path) {
  try {
    load_sweep_spec(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("spec validation reports every problem at its file:line before any point runs") {
  const std::string path = write_spec("bad.toml", header() +                            // lines 1-2
                                                      "combin = \"grid\"\n"             // 3
                                                      "[[axis]]\n"                      // 4
                                                      "key = \"tile.adc_bit\"\n"        // 5
                                                      "values = [4, 6]\n"               // 6
                                                      "[[axis]]\n"                      // 7
                                                      "key = \"tile.count\"\n"          // 8
                                                      "values = [16,\n"                 // 9
                                                      "  0]\n"                          // 10
                                                      "[[workload]]\n"                  // 11
                                                      "model = \"resnet21\"\n"          // 12
                                                      "mappings = [\"nope.toml\"]\n");  // 13
  const std::string e = errors_of(path);
  CHECK(e.find(path + ":3: combin: unknown key (did you mean combine?)") != std::string::npos);
  CHECK(e.find(path + ":5: tile.adc_bit: unknown key (did you mean tile.adc_bits?)") !=
        std::string::npos);
  CHECK(e.find(path + ":10: tile.count: expected integer [tiles], >= 1") != std::string::npos);
  CHECK(e.find(path + ":11: model:") != std::string::npos);
  CHECK(e.find(path + ":13: mappings: mapping file") != std::string::npos);
}

TEST_CASE("spec validation: zip lengths, axis forms, mapping layers, accuracy checkpoint") {
  const std::string path = write_spec(
      "bad2.toml",
      header() +
          "combine = \"zip\"\n"                                                             // 3
          "[[axis]]\nkey = \"tile.adc_bits\"\nvalues = [4, 6]\n"                            // 4-6
          "[[axis]]\nkey = \"tile.out_noise\"\nrange = [0.0, 0.1, 0.05]\n"                  // 7-9
          "[[axis]]\nkey = \"tile.input_encoding\"\nlhs = {min = 0, max = 1, count = 2}\n"  // 10-12
          "[accuracy]\ntimes = [\"1d\", \"soon\"]\n" +                                      // 13-14
          workload() +                                                                      // 15-17
          "[[workload]]\nmodel = \"resnet8\"\nmappings = [\"" +
          kSrc + "/mappings/resnet20-hilal.toml\"]\n");  // 18-20
  const std::string e = errors_of(path);
  CHECK(e.find(path + ":7: combine: combine = \"zip\" needs axes of equal length") !=
        std::string::npos);
  CHECK(e.find(path + ":10: tile.input_encoding: random and lhs axes need") != std::string::npos);
  CHECK(e.find(path + ":14: accuracy.times:") != std::string::npos);
  CHECK(e.find(path + ":15: model: [accuracy] needs a zoo model workload") != std::string::npos);
  CHECK(e.find(path + ":18: ckpt: [accuracy] needs ckpt") != std::string::npos);
  CHECK(e.find(path + ":20: mappings: mapping '") != std::string::npos);  // resnet20 layers
}

TEST_CASE("grid, zip, ranges and Latin-hypercube axes expand deterministically") {
  const std::string grid = write_spec(
      "grid.toml",
      header() +
          "[[axis]]\nname = \"tile_size\"\nkeys = [\"tile.rows\", \"tile.cols\"]\n"
          "values = [128, 256, 512]\n"
          "[[axis]]\nkey = \"tile.adc_bits\"\nrange = [4, 8, 2]\n"
          "[[axis]]\nkey = \"tile.out_noise\"\nlhs = {min = 0.0, max = 0.1, count = 5, seed = 3}\n"
          "[[axis]]\nkey = \"device.g_max_us\"\nlhs = {min = 10.0, max = 30.0, count = 5, seed = "
          "4}\n" +
          workload());
  const SweepSpec spec = load_sweep_spec(grid);
  const auto points = expand_sweep_points(spec);
  REQUIRE(points.size() == 3 * 3 * 5);  // the two LHS axes form one dimension
  CHECK(points[0].overrides.size() == 5);
  CHECK(points[0].overrides[0].key == "tile.rows");
  CHECK(points[0].overrides[1].key == "tile.cols");
  CHECK(std::get<std::int64_t>(points[5].axis_values[1].value) == 6);  // last axes fastest
  // LHS: each of the 5 strata of each LHS axis is hit exactly once.
  for (std::size_t axis : {2u, 3u}) {
    const auto values = expand_axis_values(spec, axis);
    const double lo = spec.axes[axis].min, hi = spec.axes[axis].max;
    std::set<int> strata;
    for (const auto& v : values)
      strata.insert(static_cast<int>((std::get<double>(v.value) - lo) / (hi - lo) * 5));
    CHECK(strata.size() == 5);
  }
  // Same spec, same values and keys; distinct points, distinct keys.
  const auto again = expand_sweep_points(load_sweep_spec(grid));
  std::set<std::string> keys;
  for (std::size_t i = 0; i < points.size(); ++i) {
    CHECK(point_key(spec, points[i]) == point_key(spec, again[i]));
    keys.insert(point_key(spec, points[i]));
  }
  CHECK(keys.size() == points.size());

  const std::string zip = write_spec(
      "zip.toml",
      header() +
          "combine = \"zip\"\n"
          "[[axis]]\nkey = \"tile.count\"\nvalues = [16, 32]\n"
          "[[axis]]\nkey = \"tile.adc_bits\"\nrandom = {min = 4, max = 8, count = 2, seed = 1}\n" +
          workload());
  const auto zipped = expand_sweep_points(load_sweep_spec(zip));
  REQUIRE(zipped.size() == 2);
  CHECK(std::holds_alternative<std::int64_t>(zipped[1].axis_values[1].value));  // integer key
}

TEST_CASE("onnx and csv workloads: loaded and checked like traces, keyed by file content") {
  const std::string csv = write_spec("net.csv", "32,32,3,3,3,16,1,1\n16,16,16,3,3,32,0,1\n");
  const std::string path = write_spec(
      "files.toml", header() + "[[workload]]\nonnx = \"" + kSrc +
                        "/tests/data/onnx/dynamic_batch.onnx\"\ninput_shapes = [\"x=2x3x8x8\"]\n"
                        "mappings = [\"all-analog\"]\n"
                        "[[workload]]\ncsv = \"" +
                        csv + "\"\nmappings = [\"all-digital\"]\n");
  const SweepSpec spec = load_sweep_spec(path);
  REQUIRE(spec.workloads.size() == 2);
  CHECK(spec.workloads[0].label == "dynamic_batch");
  CHECK(spec.workloads[1].label == "net");
  CHECK(load_workload(workload_files(spec.workloads[0])).graph.totals().mappable_macs ==
        3 * 3 * 3 * 4 * 6 * 6 * 2);
  const std::string text = point_inputs_text(spec, expand_sweep_points(spec).at(0));
  CHECK(text.find("input_shapes=x=2x3x8x8\nunknown_ops=error\n") != std::string::npos);

  const std::string bad =
      write_spec("files_bad.toml", header() + "[[workload]]\nonnx = \"" + kSrc +  // lines 1-4
                                       "/tests/data/onnx/dynamic_batch.onnx\"\n"  //
                                       "mappings = [\"all-analog\"]\n"            // 5
                                       "[[workload]]\ntrace = \"" +
                                       kSrc +  // 6-7
                                       "/traces/tiny_cnn.trace\"\ninput_shapes = [\"x=1x3x8x8\"]\n"
                                       "mappings = [\"all-analog\"]\n");
  const std::string e = errors_of(bad);
  CHECK(e.find(bad + ":3: workload: ") != std::string::npos);
  CHECK(e.find("input 'x' dimension 0 ('N') is dynamic") != std::string::npos);
  CHECK(e.find(bad + ":6: workload[1].input_shapes: input_shapes and unknown_ops apply to onnx "
                     "only") != std::string::npos);
}
