// Every Keras / QKeras fixture under tests/data/keras (made by scripts/fixtures/ with the real
// frameworks): each saved format reads into the same IR, and the float reference executor
// reproduces the framework's own predictions.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "frontends/keras/keras_frontend.h"
#include "io/npy.h"
#include "ir/print.h"
#include "reference/reference_executor.h"

namespace fixnn {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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

json ReadMeta(const fs::path& dir) {
  std::ifstream in(dir / "meta.json");
  return json::parse(in);
}

// Format name -> (model file, weights file or "").
std::vector<std::tuple<std::string, std::string, std::string>> Formats(const fs::path& dir,
                                                                       const json& meta) {
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& [format, files] : meta["formats"].items()) {
    std::string model = (dir / files[0].get<std::string>()).string();
    std::string weights = files.size() > 1 ? (dir / files[1].get<std::string>()).string() : "";
    out.emplace_back(format, model, weights);
  }
  return out;
}

std::string WeightsText(const ir::Graph& g) {
  std::string s;
  for (const ir::Node& n : g.nodes()) {
    for (const ir::Weight& w : n.weights) {
      s += n.name + "/" + w.name + ":";
      for (double v : w.values) s += fmt::format(" {:a}", v);
      s += "\n";
    }
  }
  return s;
}

class KerasFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasFixtureTest, EveryFormatReadsAndMatchesTheFramework) {
  const fs::path dir = kDataDir / GetParam();
  const json meta = ReadMeta(dir);
  const bool expect_error = meta.value("expect_error", false);
  std::string first_text, first_weights, first_format;
  for (const auto& [format, model, weights] : Formats(dir, meta)) {
    SCOPED_TRACE(format + ": " + model);
    frontends::keras::KerasLoadOptions options;
    options.weights_path = weights;
    Result<ir::Graph> graph = frontends::keras::LoadKerasModel(model, options);
    if (expect_error) {
      ASSERT_FALSE(graph.ok()) << "the model should be refused";
      EXPECT_NE(graph.error().message().find("stochastic"), std::string::npos)
          << graph.error().message();
      continue;
    }
    ASSERT_TRUE(graph.ok()) << graph.error().message();
    // The same IR from every format.
    std::string text = ir::ToText(*graph);
    std::string weight_text = WeightsText(*graph);
    if (first_text.empty()) {
      first_text = text;
      first_weights = weight_text;
      first_format = format;
    } else {
      EXPECT_EQ(text, first_text) << "IR differs from the " << first_format << " format";
      EXPECT_TRUE(weight_text == first_weights)
          << "weights differ from the " << first_format << " format";
    }
    // The float reference against the framework's outputs.
    std::vector<reference::Batch> inputs;
    for (const json& in : meta["inputs"]) {
      Result<io::Array> a = io::ReadNpy((dir / in["file"].get<std::string>()).string());
      ASSERT_TRUE(a.ok()) << a.error().message();
      inputs.push_back({a->shape, a->values});
    }
    Result<std::vector<reference::Batch>> outputs = reference::RunReference(*graph, inputs);
    ASSERT_TRUE(outputs.ok()) << outputs.error().message();
    ASSERT_EQ(outputs->size(), meta["outputs"].size());
    for (size_t k = 0; k < outputs->size(); ++k) {
      const json& out_meta = meta["outputs"][k];
      Result<io::Array> expected =
          io::ReadNpy((dir / out_meta["file"].get<std::string>()).string());
      ASSERT_TRUE(expected.ok()) << expected.error().message();
      const reference::Batch& got = (*outputs)[k];
      ASSERT_EQ(got.shape, expected->shape) << "output " << k;
      int64_t bad = 0;
      double worst = 0;
      size_t worst_at = 0;
      for (size_t i = 0; i < got.values.size(); ++i) {
        double want = expected->values[i];
        // Relative for |values| >= 1, absolute below: Keras computes in float32, so outputs near
        // zero that come from sums of larger terms carry absolute, not relative, rounding.
        double err = std::abs(got.values[i] - want) / std::max(std::abs(want), 1.0);
        if (err > 1e-5) ++bad;
        if (err > worst) {
          worst = err;
          worst_at = i;
        }
      }
      EXPECT_EQ(bad, 0)
          << "output " << k << " (" << out_meta["name"].get<std::string>() << "): " << bad << " of "
          << got.values.size()
          << " values off by more than 1e-5 (relative above 1, absolute below); worst " << worst
          << " at " << worst_at << ": got " << got.values[worst_at] << ", Keras says "
          << expected->values[worst_at] << "\n"
          << text;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, KerasFixtureTest, ::testing::ValuesIn(FixtureNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fixnn
