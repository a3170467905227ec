// Fixture paths and scratch folders for the report-reader tests.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace fixnn::backends::hls_reports::testing {

// tests/data/hls_reports/<relative>.
std::filesystem::path Fixture(std::string_view relative);

// A fresh empty folder under the test temp dir, named after the running test.
std::filesystem::path ScratchDir();

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, std::string_view text);

// Copies a fixture to `to`, creating its parent folders.
void CopyFixture(std::string_view relative, const std::filesystem::path& to);

}  // namespace fixnn::backends::hls_reports::testing
