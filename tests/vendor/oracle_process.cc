#include "oracle_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace fixnn::vendor_diff {

void Fail(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "vendor_ap_types_diff: error: %s\n", message.c_str());
  std::exit(1);
}

OracleProcess::OracleProcess(std::string name, const std::string& path) : name_(std::move(name)) {
  // Its stderr goes to a file, summarized at the end: the vendor's headers print a line for
  // every saturation of some wide types.
  const char* tmp = std::getenv("TMPDIR");
  std::string stderr_path = std::string(tmp != nullptr ? tmp : "/tmp") + "/vendor_diff_XXXXXX";
  const int fd = mkstemp(stderr_path.data());
  if (fd < 0) Fail("cannot create a file like " + stderr_path);
  close(fd);
  stderr_path_ = stderr_path;
  pipe_ = popen(("exec '" + path + "' 2>'" + stderr_path_ + "'").c_str(), "r");
  if (pipe_ == nullptr) Fail("cannot start the " + name_ + " oracle " + path);
  // A deep pipe lets the oracle run ahead while the driver computes.
  fcntl(fileno(pipe_), F_SETPIPE_SZ, 1 << 20);
  std::setvbuf(pipe_, nullptr, _IOFBF, 1 << 20);
  StreamHeader h;
  if (!Read(&h, sizeof h) || h.magic != kStreamMagic || h.version != kProtocolVersion) {
    Fail("the " + name_ + " oracle (" + path + ") wrote no result stream" + Finish());
  }
  if (h.plan != PlanFingerprint()) {
    Fail("the " + name_ + " oracle (" + path + ") was built from another revision of spec.h");
  }
}

OracleProcess::~OracleProcess() {
  if (pipe_ != nullptr) pclose(pipe_);
  std::remove(stderr_path_.c_str());
}

void OracleProcess::Next(Block* b) {
  if (!Read(&b->h, sizeof b->h) || b->h.magic != kBlockMagic) {
    Fail("the " + name_ + " oracle's stream ended early or is corrupt" + Finish());
  }
  b->payload.resize(b->h.record_bytes * b->h.count);
  if (!Read(b->payload.data(), b->payload.size())) {
    Fail("the " + name_ + " oracle's stream ended inside a block" + Finish());
  }
}

std::string OracleProcess::Finish() {
  if (pipe_ == nullptr) return "";
  const int status = pclose(pipe_);
  pipe_ = nullptr;
  PrintStderr();
  std::remove(stderr_path_.c_str());
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (status != -1 && WIFSIGNALED(status)) {
    return " (killed by signal " + std::to_string(WTERMSIG(status)) + ")";
  }
  return " (exit status " + std::to_string(status == -1 ? -1 : WEXITSTATUS(status)) + ")";
}

bool OracleProcess::Read(void* p, std::size_t n) {
  return n == 0 || std::fread(p, 1, n, pipe_) == n;
}

void OracleProcess::PrintStderr() const {
  std::FILE* f = std::fopen(stderr_path_.c_str(), "r");
  if (f == nullptr) return;
  std::vector<std::pair<std::string, std::uint64_t>> lines;  // in order of appearance
  std::uint64_t total = 0;
  char buf[512];
  while (std::fgets(buf, sizeof buf, f) != nullptr) {
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    ++total;
    auto it =
        std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.first == line; });
    if (it != lines.end()) {
      ++it->second;
    } else if (lines.size() < 10) {
      lines.emplace_back(line, 1);
    }
  }
  std::fclose(f);
  if (total == 0) return;
  std::printf("the %s oracle wrote %llu lines to stderr:\n", name_.c_str(),
              static_cast<unsigned long long>(total));
  for (const auto& [line, count] : lines) {
    std::printf("  %8llu x %s\n", static_cast<unsigned long long>(count), line.c_str());
  }
}

}  // namespace fixnn::vendor_diff
