// simulate() in a forked child, the Report back through a pipe (isolated_simulation.h).
#include "sim/engine/isolated_simulation.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sim/config/config_error.h"
#include "sim/graph/graph_error.h"
#include "sim/placement/placement.h"
#include "sim/report/report_io.h"
#include "sim/report/report_json_reader.h"

namespace aimcsim {
namespace {

// Child -> parent message: {"report": {...}} or {"error": {"type": T, "message": M}}.
std::string child_message(const std::function<Report()>& work) {
  nlohmann::ordered_json msg;
  auto error = [&](const char* type, const char* what) {
    msg["error"] = {{"type", type}, {"message", what}};
  };
  try {
    const Report r = work();
    nlohmann::ordered_json j = report_to_json(r);
    add_unit_utilisation_json(r, j);
    msg["report"] = std::move(j);
  } catch (const MappingError& e) {
    error("MappingError", e.what());
  } catch (const PlacementError& e) {
    error("PlacementError", e.what());
  } catch (const GraphError& e) {
    error("GraphError", e.what());
  } catch (const Error& e) {
    error("Error", e.what());
  } catch (const std::exception& e) {
    error("internal", e.what());
  } catch (...) {
    error("internal", "unknown exception");
  }
  return msg.dump();
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void child_main(int write_fd, const std::function<Report()>& work) {
  ::dup2(STDERR_FILENO, STDOUT_FILENO);  // keep the parent's stdout (tables) clean
  // A crash must kill the child, not run a crash handler inherited from the parent.
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
  int status = 0;
  try {
    status = write_all(write_fd, child_message(work)) ? 0 : 2;
  } catch (...) {
    status = 3;
  }
  ::close(write_fd);
  ::_exit(status);
}

std::string read_all(int fd) {
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(std::string("simulation process: waitpid: ") + strerror(errno));
  }
  return status;
}

[[noreturn]] void rethrow(const nlohmann::json& e) {
  const std::string type = e.value("type", "internal");
  const std::string message = e.value("message", "");
  if (type == "MappingError") throw MappingError(message);
  if (type == "PlacementError") throw PlacementError(message);
  if (type == "GraphError") throw GraphError(message);
  if (type == "Error") throw Error(message);
  throw Error("simulation process: internal error: " + message);
}

}  // namespace

Report run_report_in_child(const std::function<Report()>& work, const std::string& what) {
  if (simulation_ran_in_process()) {
    throw Error("simulate_isolated: this process already ran simulate() directly; a forked " +
                std::string("child would inherit the elaborated SystemC kernel (") + what + ")");
  }
  int fds[2];
  if (::pipe(fds) != 0) throw Error(std::string("simulation process: pipe: ") + strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(std::string("simulation process: fork: ") + strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child_main(fds[1], work);
  }
  ::close(fds[1]);
  const std::string text = read_all(fds[0]);
  ::close(fds[0]);
  const int status = wait_child(pid);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    throw Error("simulation process killed by signal " + std::to_string(sig) + " (" +
                strsignal(sig) + ") while simulating " + what);
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  nlohmann::json msg = nlohmann::json::parse(text, nullptr, false);
  if (code != 0 || msg.is_discarded() || !msg.is_object()) {
    throw Error("simulation process exited with status " + std::to_string(code) +
                " without a result while simulating " + what);
  }
  if (msg.contains("error")) rethrow(msg["error"]);
  return report_from_json(msg.at("report"), "simulation process (" + what + ")");
}

Report simulate_isolated(const Graph& graph, const Mapping& mapping, const HardwareConfig& config,
                         const SimulationOptions& options) {
  if (options.listener != nullptr) {
    throw Error(
        "simulate_isolated: listeners (trace writers) are not supported in isolated "
        "runs; trace with a direct simulate() (`aimcsim run --trace-out`)");
  }
  const std::string what = "network '" + graph.name() + "' with mapping '" + mapping.source() +
                           "' on '" + config.source_file + "'";
  return run_report_in_child([&] { return simulate(graph, mapping, config, options); }, what);
}

}  // namespace aimcsim
