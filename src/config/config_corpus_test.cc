// Every hls4ml configuration file under the shared model folder loads.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <vector>

#include "config/config_to_yaml.h"
#include "config/project_config.h"

namespace fixnn::config {
namespace {

namespace fs = std::filesystem;

TEST(ConfigCorpusTest, EveryYamlFileLoads) {
  const fs::path root = FIXNN_SHARED_MODELS_DIR;
  if (!fs::is_directory(root)) GTEST_SKIP() << root << " is absent";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) GTEST_SKIP() << "no .yml files under " << root;
  int failed = 0;
  for (const fs::path& file : files) {
    const std::string name = fs::relative(file, root).string();
    Result<ProjectConfig> c = LoadProjectConfig(file);
    if (!c.ok()) {
      ++failed;
      std::cout << "FAIL " << name << ": " << c.error().message() << "\n";
      continue;
    }
    // What fixnn writes must read back the same.
    Result<ProjectConfig> back = ParseProjectConfig(ToYaml(*c), name + " (rewritten)", ".");
    if (!back.ok() || !(*back == *c)) {
      ++failed;
      std::cout << "FAIL " << name << ": does not read back the same after ToYaml"
                << (back.ok() ? "" : ": " + back.error().message()) << "\n";
      continue;
    }
    // Model files that are not there are reported, not failed: the corpus need not hold them.
    std::string missing;
    for (const std::string* path :
         {&c->keras_json, &c->keras_h5, &c->keras_model, &c->onnx_model, &c->pytorch_model}) {
      if (!path->empty() && !fs::exists(*path)) missing += " " + *path;
    }
    std::cout << "PASS " << name
              << (missing.empty() ? "" : " (model files not found:" + missing + ")") << "\n";
  }
  EXPECT_EQ(failed, 0) << failed << " of " << files.size() << " files failed";
}

}  // namespace
}  // namespace fixnn::config
