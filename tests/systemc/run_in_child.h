// Test helper: SystemC elaborates once per process, so a scenario that
// compares two runs simulates the reference in a forked child. The child
// runs `run` (which calls simulate() once), writes the returned numbers into
// a pipe and exits without returning to doctest; the parent reads them.
// Call it before the parent's own simulate(). Throws std::runtime_error if
// the child fails.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>
#include <vector>

namespace aimcsim::test {

inline std::vector<double> run_in_child(const std::function<std::vector<double>()>& run) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("run_in_child: pipe failed");
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("run_in_child: fork failed");
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    try {
      const std::vector<double> out = run();
      const auto bytes = static_cast<ssize_t>(out.size() * sizeof(double));
      if (write(fds[1], out.data(), out.size() * sizeof(double)) != bytes) code = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "run_in_child: %s\n", e.what());
      code = 1;
    }
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  std::vector<double> out;
  double v = 0.0;
  while (read(fds[0], &v, sizeof v) == static_cast<ssize_t>(sizeof v)) out.push_back(v);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("run_in_child: the child simulation failed");
  }
  return out;
}

}  // namespace aimcsim::test
