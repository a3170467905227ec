// Node names of graphs read from the fixtures: the names hls4ml 1.3.0 gives the same models
// (printed from hls_model.get_layers() with the real hls4ml; hls4ml later drops the Keras 2
// '<layer>_linear' nodes, which fixnn keeps until its own pass removes them).
#include "frontends/keras/node_names.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "frontends/keras/keras_frontend.h"

namespace fixnn::frontends::keras {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Names = std::vector<std::string>;

const fs::path kDataDir = fs::path(FIXNN_TEST_DATA_DIR) / "keras";

Names NodeNamesOf(const std::string& model, const std::string& weights = "") {
  KerasLoadOptions options;
  options.weights_path = weights;
  Result<ir::Graph> graph = LoadKerasModel(model, options);
  EXPECT_TRUE(graph.ok()) << (graph.ok() ? "" : graph.error().message());
  if (!graph.ok()) return {};
  Names names;
  for (const ir::Node& node : graph->nodes()) names.push_back(node.name);
  return names;
}

// Every saved format of a fixture gives `expected`.
void ExpectEveryFormat(const std::string& fixture, const Names& expected) {
  const fs::path dir = kDataDir / fixture;
  std::ifstream in(dir / "meta.json");
  ASSERT_TRUE(in.good()) << dir;
  const json meta = json::parse(in);
  for (const auto& [format, files] : meta.at("formats").items()) {
    SCOPED_TRACE(fixture + " " + format);
    std::string weights = files.size() > 1 ? (dir / files[1].get<std::string>()).string() : "";
    EXPECT_EQ(NodeNamesOf((dir / files[0].get<std::string>()).string(), weights), expected);
  }
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

// Renames a layer everywhere a Keras model JSON names it: "name" fields and the first entry of
// [layer, node, tensor] references.
void Rename(json& j, const std::string& from, const std::string& to) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if (key == "name" && value == from) {
        value = to;
      } else {
        Rename(value, from, to);
      }
    }
  } else if (j.is_array()) {
    if (j.size() >= 3 && j[0] == from && j[1].is_number_integer()) j[0] = to;
    for (json& v : j) Rename(v, from, to);
  }
}

std::string LayerNameOf(const json& layer) { return layer["config"]["name"].get<std::string>(); }

// Writes `model` as a JSON architecture in the test's temporary folder.
std::string WriteModel(const json& model, const std::string& name) {
  const fs::path path = fs::path(::testing::TempDir()) / ("node_names_" + name + ".json");
  std::ofstream(path) << model.dump();
  return path.string();
}

TEST(NodeNames, FreeNamesAreKeptTakenOnesGetTheFirstFreeSuffix) {
  NodeNames names(2);
  EXPECT_EQ(names.Claim("dense"), "dense");
  EXPECT_EQ(names.Claim("dense"), "dense_0");
  EXPECT_EQ(names.Claim("dense_1"), "dense_1");
  EXPECT_EQ(names.Claim("dense"), "dense_2");
  EXPECT_EQ(names.Claim("dense_0"), "dense_0_0");
  EXPECT_EQ(names.Claim("n"), "n");
}

TEST(NodeNames, Keras3TakesTheLettersOfInput) {
  NodeNames names(3);
  for (const char* letter : {"i", "n", "p", "u", "t"}) {
    EXPECT_EQ(names.Claim(letter), std::string(letter) + "_0");
  }
  EXPECT_EQ(names.Claim("input"), "input");
  EXPECT_EQ(names.Claim("a"), "a");
}

// Shared layer: hls4ml's config keys shared, shared_tanh, shared_0, shared_tanh_0.
TEST(KerasNodeNames, SharedLayerCallsAreSuffixedLikeHls4ml) {
  ExpectEveryFormat("k3_shared_layer", {"a", "b", "shared", "shared_tanh", "shared_0",
                                        "shared_tanh_0", "concatenate"});
}

// The suffix skips names already taken, and a later layer whose own name was taken by a call
// gets a suffix itself. hls4ml (the same model renamed): n_0, b, shared, shared_tanh, shared_0,
// shared_tanh_0, shared_tanh_0_0.
TEST(KerasNodeNames, TakenNamesFollowHls4mlsOrder) {
  const fs::path dir = kDataDir / "k3_shared_layer";
  json model = ReadJson(dir / "model.json");
  Rename(model, "a", "n");
  Rename(model, "concatenate", "shared_tanh_0");
  EXPECT_EQ(
      NodeNamesOf(WriteModel(model, "k3_taken"), (dir / "model.weights.h5").string()),
      (Names{"n_0", "b", "shared", "shared_tanh", "shared_0", "shared_tanh_0", "shared_tanh_0_0"}));
}

// An input listed after other layers is named in its turn, and the graph still starts with the
// inputs in the model's input order.
TEST(KerasNodeNames, InputsStayFirstInTheModelsOrder) {
  const fs::path dir = kDataDir / "k3_shared_layer";
  json model = ReadJson(dir / "model.json");
  json& layers = model["config"]["layers"];
  ASSERT_EQ(LayerNameOf(layers[1]), "b");
  json b = layers[1];
  layers.erase(layers.begin() + 1);
  layers.insert(layers.begin() + 2, b);  // a, shared, b, concatenate
  json& inputs = model["config"]["input_layers"];
  std::swap(inputs[0], inputs[1]);
  KerasLoadOptions options;
  options.weights_path = (dir / "model.weights.h5").string();
  Result<ir::Graph> graph = LoadKerasModel(WriteModel(model, "k3_input_order"), options);
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  EXPECT_EQ(graph->inputs(), (Names{"b", "a"}));
  Names names;
  for (const ir::Node& node : graph->nodes()) names.push_back(node.name);
  EXPECT_EQ(names,
            (Names{"b", "a", "shared", "shared_tanh", "shared_0", "shared_tanh_0", "concatenate"}));
}

// hls4ml's Keras 2 reader makes no names unique: an input named 'n' stays 'n'.
TEST(KerasNodeNames, Keras2KeepsSingleLetterNames) {
  const fs::path dir = kDataDir / "k2_seq_dense";
  json model = ReadJson(dir / "model.json");
  Rename(model, "input_1", "n");
  EXPECT_EQ(
      NodeNamesOf(WriteModel(model, "k2_n"), (dir / "model_weights.h5").string()),
      (Names{"n", "dense", "dense_relu", "dense_1", "dense_1_tanh", "dense_2", "dense_2_softmax"}));
}

// Nested models: their layers keep their own names (hls4ml, Keras 2: input_1, pre, inner_d1,
// inner_d1_relu, inner_d2, head, head_softmax, after dropping the linear nodes).
TEST(KerasNodeNames, NestedLayersKeepTheirOwnNames) {
  ExpectEveryFormat("k2_nested_model", {"input_1", "pre", "pre_linear", "inner_d1", "inner_d1_relu",
                                        "inner_d2", "inner_d2_linear", "head", "head_softmax"});
  ExpectEveryFormat(
      "k3_nested_functional_in_sequential",
      {"input_layer", "pre", "inner_d1", "inner_d1_relu", "inner_d2", "head", "head_softmax"});
}

// The nested model's own name is kept aside: hls4ml's configuration lists it.
TEST(KerasNodeNames, NestedModelNamesAreRecorded) {
  const fs::path dir = kDataDir / "k2_nested_model";
  KerasLoadOptions options;
  options.weights_path = (dir / "model_weights.h5").string();
  Result<ir::Graph> graph = LoadKerasModel((dir / "model.json").string(), options);
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  EXPECT_EQ(graph->container_names, (Names{"inner"}));
}

// A nested layer named like an outer one (hls4ml's Keras 2 reader refuses the model: "Layer
// names must be unique") gets the first free suffix, in the order the graph is built.
TEST(KerasNodeNames, NestedNameClashGetsASuffix) {
  const fs::path dir = kDataDir / "k3_nested_functional_in_sequential";
  json model = ReadJson(dir / "model.json");
  Rename(model, "pre", "inner_d1");
  EXPECT_EQ(NodeNamesOf(WriteModel(model, "k3_clash"), (dir / "model.weights.h5").string()),
            (Names{"input_layer", "inner_d1", "inner_d1_0", "inner_d1_relu", "inner_d2", "head",
                   "head_softmax"}));
}

// A nested model called twice: the second call's layers are suffixed like a shared layer's.
TEST(KerasNodeNames, SharedNestedModelIsSuffixedPerLayer) {
  ExpectEveryFormat("k3_nested_sequential_shared", {"a", "b", "ic", "ic_relu", "igap", "ic_0",
                                                    "ic_relu_0", "igap_0", "subtract", "head"});
}

// A Keras 2 Sequential without an InputLayer: Keras 2 names the input "<first layer>_input"
// (hls4ml: dense_input, dense, dense_relu, ...).
TEST(KerasNodeNames, SequentialWithoutInputLayerNamesTheInputAfterTheFirstLayer) {
  const fs::path dir = kDataDir / "k2_seq_dense";
  json model = ReadJson(dir / "model.json");
  json& layers = model["config"]["layers"];
  ASSERT_EQ(layers[0]["class_name"], "InputLayer");
  layers[1]["config"]["batch_input_shape"] = layers[0]["config"]["batch_input_shape"];
  layers.erase(layers.begin());
  EXPECT_EQ(NodeNamesOf(WriteModel(model, "k2_no_input"), (dir / "model_weights.h5").string()),
            (Names{"dense_input", "dense", "dense_relu", "dense_1", "dense_1_tanh", "dense_2",
                   "dense_2_softmax"}));
}

}  // namespace
}  // namespace fixnn::frontends::keras
