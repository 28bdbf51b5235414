// test-links: aimcsim_sim
// `aimcsim compare`: its rows agree with `aimcsim eval` (accuracy) and `aimcsim run`
// (simulated latency, energy, tiles) for the same mapping, seed and time; a second run
// is served from the cache; file:PATH@REPORT entries; bad input gives one clear line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.h"

using aimcsim::test::read_json;
using aimcsim::test::run_cli;

namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_cli_compare_tests";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

const std::string kCommon =
    " --model resnet8 --ckpt checkpoints/resnet8.pt --seeds 1 --seed 5 --test-limit 200"
    " --hw configs/default.toml";

}  // namespace

TEST_CASE("compare rows agree with eval and run, the second compare hits the cache") {
  const std::string cache = temp_path("cache");
  std::filesystem::remove_all(cache);
  const std::string json = temp_path("compare.json");
  const std::string csv = temp_path("compare.csv");
  const auto cmp = run_cli("compare" + kCommon +
                           " --methods first-last-digital,all-digital-int8 --time 1d --json " +
                           json + " --csv " + csv + " --cache-dir " + cache);
  INFO(cmp.output);
  REQUIRE(cmp.exit_code == 0);
  CHECK(cmp.output.find("2 simulation(s) run, 0 from the cache") != std::string::npos);
  CHECK(cmp.output.find("eval resnet8 [") != std::string::npos);  // a progress bar per row
  const auto c = read_json(json);
  REQUIRE(c.at("rows").size() == 2);
  const auto& fld = c.at("rows").at(0);
  CHECK(fld.at("method") == "first-last-digital");

  const std::string eval_json = temp_path("eval.json");
  const auto eval =
      run_cli("eval" + kCommon + " --mapping first-last-digital --times 1d --json " + eval_json);
  INFO(eval.output);
  REQUIRE(eval.exit_code == 0);
  const auto e = read_json(eval_json);
  CHECK(fld.at("accuracy_per_seed") == e.at("times").at(0).at("accuracy_per_seed"));
  CHECK(fld.at("analog_mac_ratio").get<double>() ==
        doctest::Approx(e.at("analog_mac_ratio").get<double>()));
  CHECK(fld.at("digital_weight_bytes") == e.at("digital_weight_bytes"));
  const auto int8 =
      run_cli("eval" + kCommon + " --mapping all-int8 --times 1d --json " + eval_json);
  REQUIRE(int8.exit_code == 0);
  CHECK(c.at("rows").at(1).at("accuracy_per_seed") ==
        read_json(eval_json).at("times").at(0).at("accuracy_per_seed"));

  const std::string run_json = temp_path("run.json");
  const std::string map_file = temp_path("fld.toml");
  const auto run =
      run_cli("run --hw configs/default.toml --model resnet8 --mapping first-last-digital --json " +
              run_json + " --write-mapping " + map_file);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const auto r = read_json(run_json);
  CHECK(fld.at("latency_ns") == r.at("latency_ns"));
  CHECK(fld.at("energy_pj") == r.at("energy_pj"));
  CHECK(fld.at("tiles_used") == r.at("tiles_used"));

  std::ifstream csv_in(csv);
  std::string header, line1, line2;
  std::getline(csv_in, header);
  std::getline(csv_in, line1);
  std::getline(csv_in, line2);
  CHECK(header.rfind("method,accuracy_mean", 0) == 0);
  CHECK(line1.rfind("\"first-last-digital\",", 0) == 0);
  CHECK(line2.rfind("\"all-digital-int8\",", 0) == 0);

  // The same mappings from a file, with and without a search report, from the cache.
  const std::string report = temp_path("map_report.json");
  std::ofstream(report) << "{\"search_wall_s\": 12.5}\n";
  const std::string json2 = temp_path("compare2.json");
  const auto again = run_cli("compare" + kCommon + " --time 1d --cache-dir " + cache +
                             " --methods file:" + map_file + "@" + report + ",file:" + map_file +
                             " --json " + json2);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find("0 simulation(s) run, 1 from the cache") != std::string::npos);
  CHECK(again.output.find("n/a") != std::string::npos);
  const auto c2 = read_json(json2);
  CHECK(c2.at("rows").at(0).at("search_wall_s") == 12.5);
  CHECK(c2.at("rows").at(1).at("search_wall_s").is_null());
  for (const char* key : {"latency_ns", "energy_pj", "accuracy_per_seed", "tiles_used"}) {
    CHECK(c2.at("rows").at(0).at(key) == fld.at(key));
    CHECK(c2.at("rows").at(1).at(key) == fld.at(key));
  }
  // A fine-tuning search's report names its weights: the row is evaluated with them.
  const std::string tuned = temp_path("tuned_report.json");
  std::ofstream(tuned) << "{\"search_wall_s\": 3, \"method\": \"laft\", "
                          "\"checkpoint_out\": \"checkpoints/resnet8-hwa.pt\"}\n";
  const auto with_ckpt = run_cli("compare" + kCommon + " --time 1d --cache-dir " + cache +
                                 " --methods file:" + map_file + "@" + tuned);
  INFO(with_ckpt.output);
  REQUIRE(with_ckpt.exit_code == 0);
  CHECK(with_ckpt.output.find("laft (") != std::string::npos);  // label: method (file stem)
  // A relative checkpoint_out is found beside the report (shipped reports), not only in
  // the working directory: here only the report's folder holds "beside-weights.pt".
  const auto shipped_dir = std::filesystem::path(temp_path("shipped"));
  std::filesystem::create_directories(shipped_dir);
  std::filesystem::copy_file(std::string(AIMCSIM_SOURCE_DIR) + "/checkpoints/resnet8-hwa.pt",
                             shipped_dir / "beside-weights.pt",
                             std::filesystem::copy_options::overwrite_existing);
  const std::string shipped = (shipped_dir / "shipped_report.json").string();
  std::ofstream(shipped) << "{\"search_wall_s\": 3, \"method\": \"laft\", "
                            "\"checkpoint_out\": \"beside-weights.pt\"}\n";
  const auto beside = run_cli("compare" + kCommon + " --time 1d --cache-dir " + cache +
                              " --methods file:" + map_file + "@" + shipped);
  INFO(beside.output);
  CHECK(beside.exit_code == 0);
  std::filesystem::remove(shipped_dir / "beside-weights.pt");
  const auto missing = run_cli("compare" + kCommon + " --time 1d --cache-dir " + cache +
                               " --methods file:" + map_file + "@" + shipped);
  CHECK(missing.exit_code == 1);
  CHECK(missing.output.find("beside-weights.pt") != std::string::npos);
  const auto bad_ckpt =
      run_cli("compare" + kCommon + " --methods file:" + map_file + "@" + report + "x");
  CHECK(bad_ckpt.exit_code == 1);
}

TEST_CASE("compare runs the searches it names, back to back, and a rerun resumes them") {
  const std::string dir = temp_path("searches");
  std::filesystem::remove_all(dir);
  const std::string json = temp_path("searches.json");
  const std::string cmd = "compare" + kCommon + " --no-cache --no-progress --search-dir " + dir +
                          " --json " + json +
                          " --methods all-digital,hilal,lionheart --batches 1"
                          " --calib-batch-size 32 --probes 2 --power-steps 2"
                          " --images-per-epoch 64 --max-epochs 1 --patience 1 --validation 128"
                          " --eval-seeds 1";
  const auto first = run_cli(cmd);
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.find("eval resnet8 [") == std::string::npos);  // --no-progress: no bars
  // Each search wrote what `aimcsim map` writes; its row is evaluated with its weights.
  for (const char* m : {"hilal", "lionheart"}) {
    const std::string stem = dir + "/resnet8-" + m;
    CHECK(std::filesystem::exists(stem + ".toml"));
    const auto report = read_json(stem + ".json");
    CHECK(report.at("search_wall_s").get<double>() > 0.0);
    CHECK(std::filesystem::exists(report.at("checkpoint_out").get<std::string>()));
  }
  const auto rows = read_json(json).at("rows");
  REQUIRE(rows.size() == 3);
  CHECK(rows.at(1).at("method").get<std::string>().rfind("hilal", 0) == 0);
  CHECK(rows.at(2).at("method").get<std::string>().rfind("lionheart", 0) == 0);
  const double lionheart_s = rows.at(2).at("search_wall_s").get<double>();
  CHECK(lionheart_s > 0.0);

  // The rerun resumes both finished searches (no stage runs again) and still reports each
  // search's whole cost: wall time >= the fine-tuning time summed over both sessions.
  const auto again = run_cli(cmd);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(again.output.find("stage 1/") == std::string::npos);
  for (const char* m : {"hilal", "lionheart"}) {
    const auto report = read_json(dir + "/resnet8-" + m + ".json");
    CHECK(report.at("search_wall_s").get<double>() >= report.at("finetune_search_s").get<double>());
    CHECK(report.at("wall_s").get<double>() < report.at("search_wall_s").get<double>());
  }
  const auto rows2 = read_json(json).at("rows");
  CHECK(rows2.at(1).at("accuracy_per_seed") == rows.at(1).at("accuracy_per_seed"));
  CHECK(rows2.at(2).at("accuracy_per_seed") == rows.at(2).at("accuracy_per_seed"));
}

TEST_CASE("bad input to compare: one clear line, non-zero exit") {
  const auto unknown = run_cli("compare" + kCommon + " --methods all-digital,hilal-magic");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.output.find("unknown mapping method 'hilal-magic'") != std::string::npos);
  CHECK(unknown.output.find("all-digital-int8") != std::string::npos);  // lists the valid ones
  CHECK(unknown.output.find("file:PATH") != std::string::npos);
  CHECK(unknown.output.find("lionheart") != std::string::npos);  // searches are listed too

  const std::string tiny = temp_path("tiny_chip.toml");
  std::ofstream(tiny) << "schema_version = 1\ninclude = [\"" << AIMCSIM_SOURCE_DIR
                      << "/configs/default.toml\"]\n[tile]\ncount = 2\n";
  const auto fit = run_cli(
      "compare --model resnet8 --ckpt checkpoints/resnet8.pt --test-limit 50 --no-cache --hw " +
      tiny + " --methods all-digital,all-analog");
  CHECK(fit.exit_code == 1);
  CHECK(fit.output.find("method 'all-analog' does not fit") != std::string::npos);
  CHECK(fit.output.find("need") != std::string::npos);
  CHECK(fit.output.find("tile.count = 2") != std::string::npos);

  const auto other = run_cli(
      "compare --model resnet20 --ckpt checkpoints/resnet8.pt --hw configs/default.toml "
      "--methods all-digital");
  CHECK(other.exit_code == 1);
  CHECK(other.output.find("resnet8.pt") != std::string::npos);

  const auto bad_report = run_cli("compare" + kCommon + " --methods file:nofile.toml@x.json");
  CHECK(bad_report.exit_code == 1);
  CHECK(bad_report.output.find("nofile.toml") != std::string::npos);
}
