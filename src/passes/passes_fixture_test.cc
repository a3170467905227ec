// Every Keras / QKeras fixture under tests/data/keras, configured as hls4ml's
// config_from_keras_model would (per layer and per class, every inferable precision "auto"):
// ApplyConfig, InferAutoPrecision, ValidateReuseFactors and ClassifyWeights leave every tensor,
// stored weight and internal type with a concrete type, and so does the whole of Configure with
// either policy. Also: split activations carry hls4ml's names.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "config/config_from_graph.h"
#include "frontends/keras/keras_frontend.h"
#include "passes/apply_config.h"
#include "passes/classify_weights.h"
#include "passes/configure.h"
#include "passes/infer_auto_precision.h"
#include "passes/layer_types.h"
#include "passes/validate_reuse_factors.h"

namespace fixnn::passes {
namespace {

namespace fs = std::filesystem;

const fs::path kDataDir = fs::path(FIXNN_TEST_DATA_DIR) / "keras";

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  if (!fs::exists(kDataDir)) return names;
  for (const auto& entry : fs::directory_iterator(kDataDir)) {
    if (entry.is_directory() && fs::exists(entry.path() / "meta.json")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The fixture's first saved format, or nullopt for fixtures the frontend must refuse.
std::optional<std::pair<std::string, std::string>> ModelFiles(const fs::path& dir) {
  std::ifstream in(dir / "meta.json");
  const nlohmann::json meta = nlohmann::json::parse(in);
  if (meta.value("expect_error", false)) return std::nullopt;
  for (const auto& [format, files] : meta["formats"].items()) {
    return std::make_pair((dir / files[0].get<std::string>()).string(),
                          files.size() > 1 ? (dir / files[1].get<std::string>()).string() : "");
  }
  return std::nullopt;
}

// Every precision concrete: returns the first thing left unset, or "".
std::string FirstUnset(const ir::Graph& g) {
  for (const ir::Node& n : g.nodes()) {
    if (!n.settings.auto_precisions.empty()) {
      return fmt::format("layer '{}': '{}' still auto", n.name, n.settings.auto_precisions[0]);
    }
    for (const std::string& out : n.outputs) {
      const ir::Tensor* t = g.FindTensor(out);
      if (t == nullptr || !t->precision.is_set()) {
        return fmt::format("layer '{}': tensor '{}' has no precision", n.name, out);
      }
    }
    for (const ir::Weight& w : n.weights) {
      if (IsStoredWeight(n, w) && !w.precision.is_set()) {
        return fmt::format("layer '{}': weight '{}' has no precision", n.name, w.name);
      }
    }
    for (const InternalType& t : InternalTypes(n)) {
      if (n.types.count(t.key) == 0) {
        return fmt::format("layer '{}': internal type '{}' is unset", n.name, t.key);
      }
    }
  }
  return "";
}

class PassesFixtureTest
    : public ::testing::TestWithParam<std::tuple<std::string, config::Granularity>> {};

TEST_P(PassesFixtureTest, EveryPrecisionEndsConcrete) {
  const auto& [name, granularity] = GetParam();
  const std::optional<std::pair<std::string, std::string>> files = ModelFiles(kDataDir / name);
  if (!files) GTEST_SKIP() << "a fixture the frontend refuses";
  frontends::keras::KerasLoadOptions options;
  options.weights_path = files->second;
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel(files->first, options);
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  Result<config::HlsConfig> cfg = config::ConfigFromGraph(*graph, granularity);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();

  Status applied = ApplyConfig(*graph, *cfg);
  ASSERT_TRUE(applied.ok()) << applied.error().message();
  Status inferred = InferAutoPrecision(*graph);
  ASSERT_TRUE(inferred.ok()) << inferred.error().message();
  EXPECT_EQ(FirstUnset(*graph), "");
  Status valid = ValidateReuseFactors(*graph);
  EXPECT_TRUE(valid.ok()) << valid.error().message();
  Status classified = ClassifyWeights(*graph);
  ASSERT_TRUE(classified.ok()) << classified.error().message();
  for (const ir::Node& n : graph->nodes()) {
    for (const ir::WeightClassCounts& c : n.weight_classes) {
      EXPECT_LE(c.zeros + c.powers_of_two, c.total) << n.name << "/" << c.weight;
    }
  }
}

// Every fixture configures end to end with both pass policies (alpha split, folding, linear
// removal included), and the configured graph validates.
TEST_P(PassesFixtureTest, ConfigureWithBothPolicies) {
  const auto& [name, granularity] = GetParam();
  const std::optional<std::pair<std::string, std::string>> files = ModelFiles(kDataDir / name);
  if (!files) GTEST_SKIP() << "a fixture the frontend refuses";
  frontends::keras::KerasLoadOptions options;
  options.weights_path = files->second;
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel(files->first, options);
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  Result<config::HlsConfig> cfg = config::ConfigFromGraph(*graph, granularity);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message();
  for (const ConfigureOptions& o : {ConfigureOptions{}, ConfigureOptions::Hls4ml()}) {
    ir::Graph g = *graph;
    Status s = Configure(g, *cfg, o);
    if (!s.ok() && s.error().message().find("depth multiplier") != std::string::npos) {
      continue;  // hls4ml cannot fold into a depthwise layer with a depth multiplier > 1
    }
    // What hls4ml turns into another model is refused in its mode only
    // (refuse_hls4ml_rewrites.h): these fixtures hold one each (the recurrent ones: a
    // SimpleRNN, a GRU with reset_after=False, go_backwards, a state quantizer or a
    // Bidirectional merge other than concat, a cell activation hls4ml does not compile or an
    // activation quantizer in a cell).
    static const std::set<std::string> kRewritten = {"k3_reshape_permute_flatten",
                                                     "qk_qdense_activation_arg",
                                                     "k2_lstm_gru",
                                                     "k2_simplernn_bidirectional",
                                                     "k3_bidirectional",
                                                     "k3_bidirectional_modes",
                                                     "k3_gru_reset_before",
                                                     "k3_lstm_go_backwards",
                                                     "k3_lstm_options",
                                                     "qk_qbidirectional",
                                                     "k3_simplernn",
                                                     "qk_qgru",
                                                     "qk_qlstm",
                                                     "qk_qsimplernn"};
    const bool hls4ml_rewrite = kRewritten.count(name) > 0 && o.refuse_hls4ml_rewrites;
    if (hls4ml_rewrite) {
      ASSERT_FALSE(s.ok());
      EXPECT_NE(s.error().message().find("fixnn refuses to reproduce this"), std::string::npos)
          << s.error().message();
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.error().message();
    EXPECT_EQ(FirstUnset(g), "");
    EXPECT_TRUE(g.Validate().ok());
    for (const ir::Node& n : g.nodes()) {
      // Linear activations are removed whenever hls4ml removes them: in generated
      // configurations every one of them is "auto" like its parent, or has its parent's type.
      if (n.is<ir::ActivationAttrs>()) {
        EXPECT_NE(n.as<ir::ActivationAttrs>().fn, ir::ActivationFn::kLinear) << n.name;
      }
    }
  }
}

std::string ParamName(
    const ::testing::TestParamInfo<std::tuple<std::string, config::Granularity>>& info) {
  const auto& [name, granularity] = info.param;
  return name + (granularity == config::Granularity::kName ? "_by_name" : "_by_type");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PassesFixtureTest,
                         ::testing::Combine(::testing::ValuesIn(FixtureNames()),
                                            ::testing::Values(config::Granularity::kName,
                                                              config::Granularity::kType)),
                         ParamName);

// Split activations are named as hls4ml names them: "<layer>_<name as the config writes it>"
// (Keras 2, 'linear' included), "<layer>_<function name>" (Keras 3), "<layer>_<quantizer
// class>" (QKeras).
TEST(PassesFixtureNamesTest, SplitActivationsAreNamedAsHls4ml) {
  auto names = [](const std::string& fixture) {
    std::set<std::string> out;
    const std::optional<std::pair<std::string, std::string>> files = ModelFiles(kDataDir / fixture);
    if (!files) return out;
    frontends::keras::KerasLoadOptions options;
    options.weights_path = files->second;
    Result<ir::Graph> g = frontends::keras::LoadKerasModel(files->first, options);
    EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().message());
    if (g.ok()) {
      for (const ir::Node& n : g->nodes()) out.insert(n.name);
    }
    return out;
  };
  if (!fs::exists(kDataDir)) GTEST_SKIP() << "no fixtures";
  const std::set<std::string> k3 = names("k3_dense_activation_args");
  for (const char* n : {"dense_elu", "dense_1_hard_sigmoid", "dense_2_softsign", "dense_3_selu",
                        "dense_4_relu6", "dense_5_leaky_relu", "dense_6_silu"}) {
    EXPECT_TRUE(k3.count(n)) << n;
  }
  const std::set<std::string> k2 = names("k2_activations");
  EXPECT_TRUE(k2.count("pre_linear"));
  const std::set<std::string> qk = names("qk_qdense_activation_arg");
  EXPECT_TRUE(qk.count("qdense_act_quantized_relu"));
  EXPECT_TRUE(qk.count("plain_dense_linear"));
}

}  // namespace
}  // namespace fixnn::passes
