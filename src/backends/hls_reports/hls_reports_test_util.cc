#include "backends/hls_reports/hls_reports_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace fixnn::backends::hls_reports::testing {

namespace fs = std::filesystem;

fs::path Fixture(std::string_view relative) {
  return fs::path(FIXNN_HLS_REPORTS_DIR) / std::string(relative);
}

fs::path ScratchDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      std::string("fixnn_hls_reports_") + info->test_suite_name() + "_" + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  const fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out) << "cannot write " << path;
}

void CopyFixture(std::string_view relative, const fs::path& to) {
  WriteFile(to, ReadFile(Fixture(relative)));
}

}  // namespace fixnn::backends::hls_reports::testing
