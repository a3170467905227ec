#include "tools/fixnn/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace fixnn::cli {

Progress::Progress(std::string what, int64_t total, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      total_(std::max<int64_t>(total, 1)),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()) {}

void Progress::Update(int64_t done) {
  const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double left = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
  if (tty_) {
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    fmt::print(stderr, "\r{} [{}{}] {:3.0f}% {}/{} {}, {:.0f} s left ", what_,
               std::string(static_cast<size_t>(filled), '#'),
               std::string(static_cast<size_t>(width - filled), '.'), fraction * 100, done, total_,
               unit_, left);
    std::fflush(stderr);
    return;
  }
  const int decile = static_cast<int>(fraction * 10);
  if (decile != last_decile_) {
    last_decile_ = decile;
    fmt::print(stderr, "{}: {:.0f}% ({}/{} {})\n", what_, fraction * 100, done, total_, unit_);
  }
}

void Progress::Done() {
  if (tty_) fmt::print(stderr, "\n");
}

}  // namespace fixnn::cli
