// Node names of third-party models (../shared/models) against the names hls4ml 1.3.0 gives them
// (hls_model.get_layers() of convert_from_keras_model, Keras 2.14).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "frontends/keras/keras_frontend.h"

namespace fixnn::frontends::keras {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(FIXNN_SHARED_MODELS_DIR);

// A Sequential written by Keras 2.0 (no InputLayer, the input shape on the first layer): the
// input is "<first layer>_input", as Keras 2 names the input it makes when it loads the model.
TEST(KerasNodeNamesCorpus, OldSequentialNamesTheInputAfterTheFirstLayer) {
  const fs::path model = kModels / "example-models/keras/KERAS_conv2d_model.json";
  if (!fs::exists(model)) GTEST_SKIP() << "no third-party models at " << kModels;
  Result<ir::Graph> graph = LoadKerasModel(model.string());
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  std::vector<std::string> names;
  for (const ir::Node& node : graph->nodes()) names.push_back(node.name);
  EXPECT_EQ(names, (std::vector<std::string>{"conv2d_1_input", "conv2d_1", "conv2d_1_relu",
                                             "flatten_1", "dense_1", "dense_1_softmax"}));
}

}  // namespace
}  // namespace fixnn::frontends::keras
