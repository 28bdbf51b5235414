// Running the aimcsim executable from tests: exit code and combined output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace aimcsim::test {

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `aimcsim ARGS` in the source tree (paths relative to it), stderr merged into stdout.
inline CliResult run_cli(const std::string& args) {
  const std::string command =
      std::string("cd ") + AIMCSIM_SOURCE_DIR + " && " + AIMCSIM_CLI_PATH + " " + args + " 2>&1";
  CliResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace aimcsim::test
