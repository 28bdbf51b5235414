#include "nn/train/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace aimcsim::nn {
namespace {

constexpr int kBarWidth = 24;       // characters
constexpr double kRedrawS = 0.2;    // minimum seconds between terminal redraws
constexpr double kLogLineS = 60.0;  // maximum seconds between lines in a log file

std::string format_seconds(double s) {
  char buf[32];
  const int total = static_cast<int>(s + 0.5);
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%dh%02dm", total / 3600, (total / 60) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%dm%02ds", total / 60, total % 60);
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

double ProgressBar::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(int64_t done, const std::string& stats) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (std::chrono::duration<double>(now - last_draw_).count() < kRedrawS) return;
  } else {
    const int64_t decile = done * 10 / total_;
    const bool new_decile = decile != last_decile_ && decile > 0;
    const bool overdue = std::chrono::duration<double>(now - last_draw_).count() >= kLogLineS;
    if (done >= total_ || !(new_decile || overdue)) return;
    last_decile_ = decile;
  }
  last_draw_ = now;
  draw(done, stats, false);
}

void ProgressBar::finish(const std::string& stats) {
  if (enabled_) draw(total_, stats, true);
}

void ProgressBar::draw(int64_t done, const std::string& stats, bool final_line) {
  const double elapsed = elapsed_s();
  const double eta = done > 0 ? elapsed * static_cast<double>(total_ - done) / done : 0.0;
  const int filled = static_cast<int>(kBarWidth * done / total_);
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < kBarWidth)
    bar += '>' + std::string(static_cast<size_t>(kBarWidth - filled - 1), ' ');
  std::fprintf(stderr, "%s%s [%s] %lld/%lld %s %s ETA %s%s", tty_ ? "\r\033[K" : "", label_.c_str(),
               bar.c_str(), static_cast<long long>(done), static_cast<long long>(total_),
               stats.c_str(), format_seconds(elapsed).c_str(),
               final_line ? "0m00s" : format_seconds(eta).c_str(),
               (final_line || !tty_) ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace aimcsim::nn
