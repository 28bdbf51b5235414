// test-links: aimcsim_sim
// `aimcsim map`: bad input gives one clear line and a non-zero exit; a small
// `map hilal --no-laft` on resnet8 writes a mapping that `eval` accepts and a report.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "cli_support.h"

using aimcsim::test::read_json;
using aimcsim::test::run_cli;

namespace {

std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "aimcsim_cli_tests";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

int line_count(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

// Analog entries of a TOML mapping file written by `map`.
int read_json_or_toml_count_analog(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);)
    n += line.find("= \"analog\"") != std::string::npos;
  return n;
}

const std::string kCommon =
    " --hw configs/default.toml --model resnet8 --ckpt checkpoints/resnet8.pt";

}  // namespace

TEST_CASE("map: unknown method, another model's checkpoint, LAFT with int8 digital layers") {
  const auto unknown = run_cli("map hilal-fast" + kCommon + " --out " + temp_path("x.toml"));
  INFO(unknown.output);
  CHECK(unknown.exit_code == 1);
  CHECK(line_count(unknown.output) == 1);
  CHECK(unknown.output.find("'hilal-fast'") != std::string::npos);
  CHECK(unknown.output.find("first-last-digital") != std::string::npos);  // lists the valid ones

  const auto other = run_cli(
      "map all-analog --hw configs/default.toml --model resnet20 --ckpt checkpoints/resnet8.pt"
      " --out " +
      temp_path("x.toml"));
  INFO(other.output);
  CHECK(other.exit_code == 1);
  CHECK(line_count(other.output) == 1);
  CHECK(other.output.find("resnet8.pt") != std::string::npos);

  const auto laft = run_cli("map hilal" + kCommon + " --digital int8 --out " + temp_path("x.toml"));
  INFO(laft.output);
  CHECK(laft.exit_code == 1);
  CHECK(laft.output.find("LAFT keeps digital layers at fp16") != std::string::npos);

  const auto ext = run_cli("map hilal" + kCommon + " --no-laft --out " + temp_path("x.txt"));
  INFO(ext.output);
  CHECK(ext.exit_code == 1);
  CHECK(ext.output.find("x.txt") != std::string::npos);
  CHECK(ext.output.find("HILAL sensitivity") == std::string::npos);  // failed before the work
}

TEST_CASE("map hilal --no-laft on resnet8: a mapping eval accepts, and its report") {
  const std::string out = temp_path("resnet8_hilal.toml");
  const std::string json = temp_path("resnet8_hilal.json");
  std::filesystem::remove(out);
  const auto map = run_cli("map hilal" + kCommon +
                           " --no-laft --no-progress --batches 1"
                           " --batch-size 32 --probes 2 --power-steps 2 --seed 3 --out " +
                           out + " --json " + json);
  INFO(map.output);
  REQUIRE(map.exit_code == 0);
  const auto r = read_json(json);
  const auto& layers = r.at("layers");
  REQUIRE(layers.size() >= 2);
  std::size_t analog = 0;
  for (const auto& l : layers) {
    CHECK(l.at("params").get<int>() > 0);
    CHECK(l.at("sigma").get<double>() > 0.0);
    analog += l.at("target") == "analog" ? 1 : 0;
  }
  CHECK(analog == r.at("laft_order").size());
  CHECK(analog >= 1);
  CHECK(analog < layers.size());  // a real split, not all one cluster
  CHECK(r.at("analog_mac_ratio").get<double>() > 0.0);
  CHECK(r.at("phase_seconds").at("sensitivity_s").get<double>() > 0.0);

  const auto eval = run_cli("eval --model resnet8 --ckpt checkpoints/resnet8.pt --mapping " + out +
                            " --seeds 1 --test-limit 64 --hw configs/default.toml");
  INFO(eval.output);
  CHECK(eval.exit_code == 0);

  const auto base = run_cli("map first-last-digital" + kCommon + " --digital int8 --out " +
                            temp_path("fld.json"));
  INFO(base.output);
  CHECK(base.exit_code == 0);
  const auto m = read_json(temp_path("fld.json"));
  CHECK(m.at("stem.conv") == "int8");
  CHECK(m.at("head") == "int8");
}

TEST_CASE("map hilal with LAFT on resnet8: fine-tuned weights named in the report, resumable") {
  const std::string out = temp_path("resnet8_laft.toml");
  const std::string json = temp_path("resnet8_laft.json");
  const std::string run_dir = temp_path("resnet8_laft.run");
  std::filesystem::remove_all(run_dir);
  const std::string cmd = "map hilal" + kCommon +
                          " --no-progress --batches 1 --batch-size 32 --probes 2 --power-steps 2"
                          " --seed 3 --images-per-epoch 64 --max-epochs 1 --patience 1"
                          " --validation 128 --run-dir " +
                          run_dir + " --out " + out + " --json " + json;
  // Interrupted after one stage: a clear message, then the same command resumes.
  const auto first = run_cli(cmd + " --stop-after 1");
  INFO(first.output);
  CHECK(first.exit_code == 1);
  CHECK(first.output.find("run the same command again to resume") != std::string::npos);
  const auto map = run_cli(cmd);
  INFO(map.output);
  REQUIRE(map.exit_code == 0);
  const auto r = read_json(json);
  const std::string ckpt = r.at("checkpoint_out").get<std::string>();
  CHECK(std::filesystem::exists(ckpt));
  CHECK(r.at("search_wall_s").get<double>() > 0.0);
  const auto& stages = r.at("laft").at("stages");
  CHECK(stages.size() == r.at("laft_order").size());
  const auto mapping = read_json_or_toml_count_analog(out);
  CHECK(mapping == static_cast<int>(r.at("laft_order").size()));

  const auto eval = run_cli("eval --model resnet8 --ckpt " + ckpt + " --mapping " + out +
                            " --seeds 1 --test-limit 64 --hw configs/default.toml");
  INFO(eval.output);
  CHECK(eval.exit_code == 0);
}

TEST_CASE("map mpaas on resnet8, tiny budget: widened weights that eval loads, and its report") {
  const std::string out = temp_path("mpaas8.toml"), json = temp_path("mpaas8.json");
  const std::string run_dir = temp_path("mpaas8.run");
  std::filesystem::remove_all(run_dir);
  const std::string tiny =
      " --phase1-epochs 1 --phase2-epochs 1 --mps-images-per-epoch 64 --samples 2 --max-steps 1"
      " --phase3-validation 32 --validation 100 --no-progress --run-dir " +
      run_dir + " --cache-dir " + temp_path("mpaas8.cache");
  const auto r = run_cli("map mpaas" + kCommon + " --widen-tolerance 0.1 --out " + out +
                         " --json " + json + tiny);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("mpaas widening (tolerance 0.1)") != std::string::npos);
  const auto report = read_json(json);
  const auto& w = report.at("widening");
  CHECK(w.at("parameters_after").get<long>() > w.at("parameters_before").get<long>());
  CHECK(w.at("all_analog_after").at("energy_pj").get<double>() <=
        1.1 * w.at("all_analog_before").at("energy_pj").get<double>());
  // Where the seconds went: the supernet phases and the ranking, adding up to the total.
  const auto& t = report.at("time_breakdown_s");
  double parts = 0.0;
  for (const char* part : {"supernet_phase1_s", "supernet_phase2_s", "ranking_s"}) {
    CHECK(t.at(part).get<double>() > 0.0);
  }
  for (const auto& [name, seconds] : t.items()) {
    if (name != "total_s") parts += seconds.get<double>();
  }
  CHECK(t.at("other_s").get<double>() >= 0.0);
  CHECK(parts == doctest::Approx(t.at("total_s").get<double>()).epsilon(1e-9));
  CHECK(t.at("total_s").get<double>() == doctest::Approx(report.at("search_wall_s").get<double>()));
  const std::string ckpt = report.at("checkpoint_out").get<std::string>();
  CHECK(ckpt.find("finetuned.pt") != std::string::npos);
  // eval takes the base model's name with the widened checkpoint.
  const auto e = run_cli("eval --hw configs/default.toml --model resnet8 --ckpt " + ckpt +
                         " --mapping " + out + " --test-limit 50 --seeds 1");
  INFO(e.output);
  CHECK(e.exit_code == 0);
  // Each front point has a report naming its own weights; compare evaluates it with them.
  const std::string front = temp_path("mpaas8.front-0.toml");
  const auto point = read_json(temp_path("mpaas8.front-0.json"));
  CHECK(point.at("method") == "mpaas front");
  CHECK(point.at("checkpoint_out").get<std::string>().find("front-0.pt") != std::string::npos);
  const auto c = run_cli(
      "compare --hw configs/default.toml --model resnet8 --ckpt "
      "checkpoints/resnet8.pt --test-limit 50 --seeds 1 --methods all-digital,"
      "file:" +
      front + "@" + temp_path("mpaas8.front-0.json"));
  INFO(c.output);
  CHECK(c.exit_code == 0);
  CHECK(c.output.find("mpaas front (mpaas8.front-0)") != std::string::npos);
  CHECK(c.output.find("hypervolume per method, (test error, latency, energy) / all-digital's, "
                      "reference (2, 1, 1): all-digital 0.0000; mpaas ") != std::string::npos);
  // The same command again finds the finished run and gives the same mapping.
  std::ifstream first(out);
  const std::string before((std::istreambuf_iterator<char>(first)), {});
  const auto again = run_cli("map mpaas" + kCommon + " --widen-tolerance 0.1 --out " + out +
                             " --json " + json + tiny);
  CHECK(again.exit_code == 0);
  std::ifstream second(out);
  CHECK(std::string((std::istreambuf_iterator<char>(second)), {}) == before);
}

TEST_CASE("map mps and mpaas bad input: one clear line, non-zero exit") {
  const std::string out = " --out " + temp_path("bad.toml");
  const auto candidate = run_cli("map mps" + kCommon + out + " --candidates analog,bogus");
  INFO(candidate.output);
  CHECK(candidate.exit_code == 1);
  CHECK(line_count(candidate.output) == 1);
  CHECK(candidate.output.find("bogus") != std::string::npos);

  const auto budget = run_cli("map mps" + kCommon + out + " --max-steps 0");
  INFO(budget.output);
  CHECK(budget.exit_code == 1);
  CHECK(line_count(budget.output) == 1);
  CHECK(budget.output.find("max-steps") != std::string::npos);

  const auto no_hni = run_cli("map mps" + kCommon + out + " --noise hni");
  INFO(no_hni.output);
  CHECK(no_hni.exit_code == 1);
  CHECK(line_count(no_hni.output) == 1);
  CHECK(no_hni.output.find("--hni-from") != std::string::npos);

  const auto bad_hni =
      run_cli("map mps" + kCommon + out + " --noise hni --hni-from " + temp_path("absent.json"));
  INFO(bad_hni.output);
  CHECK(bad_hni.exit_code == 1);
  CHECK(line_count(bad_hni.output) == 1);
  CHECK(bad_hni.output.find("absent.json") != std::string::npos);

  // A model without inner layers to widen (vgg-small; a 1-epoch checkpoint on 64 images).
  const std::string vgg_ckpt = temp_path("vgg-small.pt");
  const auto trained =
      run_cli("train --model vgg-small --epochs 1 --train-limit 64 --out " + vgg_ckpt);
  INFO(trained.output);
  REQUIRE(trained.exit_code == 0);
  const auto vgg =
      run_cli("map mpaas --hw configs/default.toml --model vgg-small --ckpt " + vgg_ckpt + out);
  INFO(vgg.output);
  CHECK(vgg.exit_code == 1);
  CHECK(line_count(vgg.output) == 1);
  CHECK(vgg.output.find("no inner layers to widen") != std::string::npos);

  const auto nothing_fits = run_cli("map mpaas" + kCommon + out + " --set tile.count=1 --no-cache");
  INFO(nothing_fits.output);
  CHECK(nothing_fits.exit_code == 1);
  CHECK(line_count(nothing_fits.output) == 1);
  CHECK(nothing_fits.output.find("does not fit the chip") != std::string::npos);
}
