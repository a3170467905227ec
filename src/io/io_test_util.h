// Helpers for the io tests: TempDir, a fresh directory under the system temp folder removed
// with its contents when the object goes away, and small file writers.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace fixnn::io::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fixnn_io_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::perror("mkdtemp");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  const std::string& path() const { return path_; }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

  // Writes `bytes` to the named file and returns its path.
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string p = Path(name);
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
    return p;
  }

 private:
  std::string path_;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Builds a zip archive with libzip from entry names and contents (names ending in '/' are
// directories), stored or deflated, and returns its path.
inline std::string WriteZip(const TempDir& dir, const std::string& name,
                            const std::vector<std::pair<std::string, std::string>>& entries,
                            bool deflate) {
  std::string path = dir.Path(name);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  if (z == nullptr) return path;
  for (const auto& [entry, content] : entries) {
    if (entry.back() == '/') {
      EXPECT_GE(zip_dir_add(z, entry.c_str(), 0), 0);
      continue;
    }
    zip_source_t* src = zip_source_buffer(z, content.data(), content.size(), 0);
    zip_int64_t idx = zip_file_add(z, entry.c_str(), src, ZIP_FL_OVERWRITE);
    EXPECT_GE(idx, 0);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx),
                             deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  return path;
}

}  // namespace fixnn::io::testing
