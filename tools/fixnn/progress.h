// A progress line on standard error for long work: a bar redrawn in place on a terminal, a line
// every 10 % otherwise (logs stay readable).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace fixnn::cli {

class Progress {
 public:
  Progress(std::string what, int64_t total, std::string unit);
  void Update(int64_t done);
  void Done();

 private:
  std::string what_, unit_;
  int64_t total_;
  int last_decile_ = -1;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace fixnn::cli
