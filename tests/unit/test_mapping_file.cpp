// test-links: aimcsim_sim
// Mapping type: presets, TOML/JSON round trips, graph disagreement errors,
// analog MAC ratio and digital weight bytes (FACTS.md s.7).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "sim/mapping/mapping.h"
#include "sim/mapping/mapping_io.h"

using namespace aimcsim;

namespace {

// x -> conv "block.0.conv" (3->8, 3x3) -> relu -> conv "block.1.conv" (8->8, 1x1)
//   -> gap -> flatten -> linear "head.fc" (8->10)
Graph small_net() {
  GraphBuilder b("small");
  Tensor x = b.input("x", {1, 3, 8, 8});
  Tensor c0 = b.conv2d("block.0.conv", x, {.out_channels = 8, .kernel = 3, .padding = 1});
  Tensor r = b.relu("relu", c0);
  Tensor c1 = b.conv2d("block.1.conv", r, {.out_channels = 8, .kernel = 1});
  Tensor f = b.flatten("flat", b.global_avgpool("gap", c1));
  b.output("out", b.linear("head.fc", f, 10));
  return std::move(b).build();
}

std::string error_of(const Mapping& m, const Graph& g) {
  try {
    check_mapping(m, g);
  } catch (const MappingError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("presets resolve against the graph's mappable ops in topological order") {
  const Graph g = small_net();
  const Mapping fl = make_preset_mapping(MappingPreset::kFirstLastDigital, g);
  CHECK(fl.size() == 3);
  CHECK(fl.at("block.0.conv") == Target::kFp16);
  CHECK(fl.at("block.1.conv") == Target::kAnalog);
  CHECK(fl.at("head.fc") == Target::kFp16);
  CHECK(make_preset_mapping(MappingPreset::kAllDigital, g).at("block.1.conv") == Target::kFp16);
  CHECK(make_preset_mapping(MappingPreset::kAllInt8, g).at("head.fc") == Target::kInt8);
  CHECK(make_preset_mapping(MappingPreset::kAllAnalog, g).at("head.fc") == Target::kAnalog);
  CHECK(parse_mapping_preset("first-last-digital") == MappingPreset::kFirstLastDigital);
  CHECK_FALSE(parse_mapping_preset("all-analogue"));
  CHECK_NOTHROW(check_mapping(fl, g));
}

TEST_CASE("TOML and JSON round-trip dotted op names, bare dotted keys read back") {
  const Graph g = small_net();
  Mapping m = make_preset_mapping(MappingPreset::kFirstLastDigital, g);
  m.set("block.1.conv", Target::kSkip);
  std::ostringstream toml;
  write_mapping_toml(m, toml);
  CHECK(toml.str().find("\"block.1.conv\" = \"skip\"") != std::string::npos);
  CHECK(parse_mapping_toml(toml.str(), "m.toml") == m);
  std::ostringstream json;
  write_mapping_json(m, json);
  CHECK(parse_mapping_json(json.str(), "m.json") == m);
  const Mapping bare = parse_mapping_toml(
      "block.0.conv = \"int8\"\nblock.1.conv = \"analog\"\nhead.fc = \"fp16\"\n", "bare.toml");
  CHECK(bare.at("block.0.conv") == Target::kInt8);
  CHECK(bare.at("block.1.conv") == Target::kAnalog);
  CHECK_NOTHROW(check_mapping(bare, g));
}

TEST_CASE("bad values name the file, line and key") {
  try {
    parse_mapping_toml("\"head.fc\" = \"analogue\"\n", "bad.toml");
    FAIL("expected an error");
  } catch (const MappingError& e) {
    const std::string what = e.what();
    CHECK(what.find("bad.toml:1") != std::string::npos);
    CHECK(what.find("'head.fc'") != std::string::npos);
    CHECK(what.find("analogue") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_mapping_toml("conv = 3\n", "n.toml"), MappingError);
  CHECK_THROWS_AS(parse_mapping_json("{\"conv\": 3}", "n.json"), MappingError);
  CHECK_THROWS_AS(parse_mapping_json("[1, 2]", "n.json"), MappingError);
  CHECK_THROWS_AS(read_mapping_file("mapping.yaml"), MappingError);
}

TEST_CASE("graph disagreement: unknown layer, non-mappable op, missing layer") {
  const Graph g = small_net();
  Mapping unknown = parse_mapping_toml(
      "\"block.0.conv\" = \"analog\"\n\"block.1.conv\" = \"analog\"\n\"head.fc\" = \"analog\"\n"
      "\"block.2.conv\" = \"analog\"\n",
      "u.toml");
  std::string what = error_of(unknown, g);
  CHECK(what.find("u.toml") != std::string::npos);
  CHECK(what.find("key 'block.2.conv'") != std::string::npos);
  CHECK(what.find("no op named") != std::string::npos);

  Mapping relu = make_preset_mapping(MappingPreset::kAllAnalog, g);
  relu.set("relu", Target::kAnalog);
  what = error_of(relu, g);
  CHECK(what.find("key 'relu'") != std::string::npos);
  CHECK(what.find("not mappable") != std::string::npos);

  const Mapping missing = parse_mapping_json("{\"block.0.conv\": \"analog\"}", "m.json");
  what = error_of(missing, g);
  CHECK(what.find("m.json") != std::string::npos);
  CHECK(what.find("2 of 3 mappable ops") != std::string::npos);
  CHECK(what.find("block.1.conv") != std::string::npos);
  CHECK(what.find("head.fc") != std::string::npos);
}

TEST_CASE("analog MAC ratio and digital weight bytes (FACTS.md s.7)") {
  const Graph g = small_net();
  // MACs: conv0 = 9*3*8*64 = 13824; conv1 = 8*8*64 = 4096; fc = 80.
  Mapping m = make_preset_mapping(MappingPreset::kAllAnalog, g);
  CHECK(analog_mac_ratio(g, m) == doctest::Approx(1.0));
  m.set("block.0.conv", Target::kInt8);  // 216 weights x 1 byte
  m.set("head.fc", Target::kFp16);       // 80 weights x 2 bytes
  CHECK(analog_macs(g, m) == 4096);
  CHECK(analog_mac_ratio(g, m) == doctest::Approx(4096.0 / (13824 + 4096 + 80)));
  CHECK(digital_weight_bytes(g, m) == 216 + 160);
  m.set("block.1.conv", Target::kSkip);
  CHECK(analog_mac_ratio(g, m) == 0.0);
}

TEST_CASE("shipped mappings fit their model's graph and name weights that exist") {
  // Each mappings/NAME.json report: its model's graph (traces/fmnist_MODEL.trace), its
  // mapping file, and for fine-tuning searches the checkpoint `compare` evaluates with.
  const std::filesystem::path src = AIMCSIM_SOURCE_DIR;
  int reports = 0;
  for (const auto& entry : std::filesystem::directory_iterator(src / "mappings")) {
    if (entry.path().extension() != ".json") continue;
    CAPTURE(entry.path());
    std::ifstream in(entry.path());
    const nlohmann::json report = nlohmann::json::parse(in);
    const std::string model = report.at("model").get<std::string>();
    std::string trace_name = "fmnist_" + model + ".trace";
    // A widened model (MPAAS, resnet20@inner=28,...): fmnist_resnet20_inner_28_....trace.
    for (char& c : trace_name) c = c == '-' || c == '@' || c == '=' || c == ',' ? '_' : c;
    const Graph graph = read_trace_file(src / "traces" / trace_name);
    const std::filesystem::path map_file = src / report.at("mapping_file").get<std::string>();
    CHECK(map_file.stem() == entry.path().stem());
    const Mapping mapping = read_mapping_file(map_file);
    CHECK_NOTHROW(check_mapping(mapping, graph));
    CHECK(analog_mac_ratio(graph, mapping) ==
          doctest::Approx(report.at("analog_mac_ratio").get<double>()));
    CHECK(report.at("search_wall_s").get<double>() > 0.0);
    if (report.contains("checkpoint_out")) {
      const std::filesystem::path ckpt =
          entry.path().parent_path() / report.at("checkpoint_out").get<std::string>();
      CHECK(std::filesystem::exists(ckpt));
    }
    ++reports;
  }
  CHECK(reports >= 5);
}
