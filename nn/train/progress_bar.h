// A progress bar on stderr for long loops (training epochs, evaluation).
//
// Contract: update() redraws at most every 0.2 s on a terminal (carriage
// return, one line); when stderr is not a terminal (a log file) it writes a
// full line at each 10% step or after 60 s without a line, whichever is first. finish() always
// writes a final line. The line shows: label, bar, done/total, the caller's stats text, elapsed
// seconds and the ETA (linear extrapolation of the elapsed time).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace aimcsim::nn {

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total, bool enabled = true);
  void update(int64_t done, const std::string& stats);
  void finish(const std::string& stats);
  double elapsed_s() const;

 private:
  void draw(int64_t done, const std::string& stats, bool final_line);

  std::string label_;
  int64_t total_;
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  int64_t last_decile_ = -1;
};

}  // namespace aimcsim::nn
