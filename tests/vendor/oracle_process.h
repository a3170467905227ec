// Running an oracle executable and reading its result stream (spec.h) block by block.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "compare.h"
#include "spec.h"

namespace fixnn::vendor_diff {

// Prints "vendor_ap_types_diff: error: <message>" and exits 1: for anything that makes the
// comparison itself impossible (an oracle that crashed, streams out of step).
[[noreturn]] void Fail(const std::string& message);

struct Block {
  BlockHeader h;
  std::vector<std::uint8_t> payload;
  Column column(std::size_t offset = 0) const { return {payload.data(), h.record_bytes, offset}; }
};

// One oracle process, started by the constructor, read through a pipe while it runs.
class OracleProcess {
 public:
  // Fails unless the process writes a stream header of this very plan.
  OracleProcess(std::string name, const std::string& path);
  ~OracleProcess();
  OracleProcess(const OracleProcess&) = delete;
  OracleProcess& operator=(const OracleProcess&) = delete;

  const std::string& name() const { return name_; }
  // Reads the next block; fails if the stream ends or is corrupt.
  void Next(Block* b);
  // Waits for the process and prints what it wrote to stderr (each distinct line once, with
  // its count). Returns "" when it exited 0, else how it ended.
  std::string Finish();

 private:
  bool Read(void* p, std::size_t n);
  void PrintStderr() const;

  std::string name_;
  std::string stderr_path_;
  std::FILE* pipe_ = nullptr;
};

}  // namespace fixnn::vendor_diff
