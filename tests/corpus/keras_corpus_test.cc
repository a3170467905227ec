// Corpus tier: every Keras, QKeras and HGQ model under ../shared/models (third-party files,
// see its README) reads into the IR, or is refused for the reason written below. Prints one
// line per file. Where the same weights exist in several formats, the IRs are equal.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "frontends/keras/keras_frontend.h"
#include "ir/print.h"
#include "passes/graph_edit.h"
#include "passes/remove_linear.h"
#include "reference/reference_executor.h"

namespace fixnn {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(FIXNN_SHARED_MODELS_DIR);

// Files fixnn refuses on purpose, with the reason its message must give. Paths are relative
// to the models folder.
const std::map<std::string, std::string> kExpectedRefusals = {
    // Custom layers from the authors' own code, not Keras, QKeras or HGQ.
    {"example-models/keras/KERAS_3layer_binary_smaller.json", "'BinaryDense' is not supported"},
    {"example-models/keras/KERAS_3layer_binarydense_relu_max.json",
     "'BinaryDense' is not supported"},
    {"example-models/keras/KERAS_3layer_ternary_small.json", "'TernaryDense' is not supported"},
    {"example-models/keras/keras_bnn.json", "'BinaryDense' is not supported"},
    {"example-models/keras/garnet_1layer.json", "'GarNet' is not supported"},
    {"example-models/keras/garnet_1layer_weights.h5", "'GarNet' is not supported"},
    {"example-models/keras/garnet_3layer.json", "'GarNetStack' is not supported"},
    {"example-models/keras/garnet_3layer_weights.h5", "'GarNetStack' is not supported"},
};

// Architectures whose weights file is not named after them.
const std::map<std::string, std::string> kWeightsOf = {
    {"hls4ml/example-models/keras/KERAS_model.json", "KERAS_check_best_model_weights.h5"},
    {"hls4ml/example-prjs/fashion/qkeras/fashionmnist_model.json", "FashionMNIST_weights.h5"},
    {"hls4ml/example-prjs/fashion/qkeras/fashionmnist_model2.json", "FashionMNIST_weights.h5"},
};

// The same trained weights in two formats (checked tensor by tensor in the models' README).
const std::vector<std::pair<std::string, std::string>> kSameModel = {
    {"example-models/keras/KERAS_3layer.json", "example-models/keras/keras_3layer.h5"},
    {"example-models/keras/qkeras_3layer.json", "example-models/keras/qkeras-v3_3layer.keras"},
};

std::string Relative(const fs::path& p) { return fs::relative(p, kModels).generic_string(); }

std::vector<fs::path> KerasFiles() {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kModels)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (ext == ".h5" || ext == ".keras" || ext == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A weights-only file "<stem>_..._weights.h5" belongs to the longest "<stem>.json" beside it.
// Architectures named in kWeightsOf come first.
fs::path ArchitectureOf(const fs::path& weights) {
  for (const auto& [arch, w] : kWeightsOf) {
    fs::path candidate = kModels / arch;
    if (candidate.parent_path() / w == weights) return candidate;
  }
  std::string stem = weights.stem().string();
  while (true) {
    fs::path json = weights.parent_path() / (stem + ".json");
    if (fs::exists(json)) return json;
    size_t cut = stem.rfind('_');
    if (cut == std::string::npos) return {};
    stem = stem.substr(0, cut);
  }
}

Result<ir::Graph> Load(const fs::path& file) {
  frontends::keras::KerasLoadOptions options;
  auto it = kWeightsOf.find(Relative(file));
  if (it != kWeightsOf.end()) options.weights_path = (file.parent_path() / it->second).string();
  return frontends::keras::LoadKerasModel(file.string(), options);
}

TEST(KerasCorpus, EveryModelReadsOrIsRefusedForItsReason) {
  if (!fs::exists(kModels)) GTEST_SKIP() << "no third-party models at " << kModels;
  int pass = 0, refused = 0, weights_only = 0;
  std::vector<std::string> failures;
  for (const fs::path& file : KerasFiles()) {
    const std::string rel = Relative(file);
    Result<ir::Graph> graph = Load(file);
    auto refusal = kExpectedRefusals.find(rel);
    std::string line;
    if (graph.ok()) {
      line = fmt::format("PASS    {} ({} nodes)", rel, graph->nodes().size());
      ++pass;
      if (refusal != kExpectedRefusals.end()) failures.push_back(rel + ": read, expected refused");
    } else if (refusal != kExpectedRefusals.end() &&
               graph.error().message().find(refusal->second) != std::string::npos) {
      line = fmt::format("REFUSED {}: {}", rel, graph.error().message());
      ++refused;
    } else if (graph.error().message().find("weights-only") != std::string::npos &&
               !ArchitectureOf(file).empty()) {
      // Read as the weights of its architecture JSON.
      Result<ir::Graph> with_json = Load(ArchitectureOf(file));
      std::string arch = Relative(ArchitectureOf(file));
      if (with_json.ok()) {
        line = fmt::format("PASS    {} (weights of {})", rel, arch);
        ++weights_only;
      } else if (kExpectedRefusals.count(arch) != 0) {
        line =
            fmt::format("REFUSED {} (weights of {}): {}", rel, arch, with_json.error().message());
        ++refused;
      } else {
        line =
            fmt::format("FAIL    {} (weights of {}): {}", rel, arch, with_json.error().message());
        failures.push_back(line);
      }
    } else {
      line = fmt::format("FAIL    {}: {}", rel, graph.error().message());
      failures.push_back(line);
    }
    std::cout << line << "\n";
  }
  std::cout << fmt::format(
      "{} models read, {} weights files read with their architecture, {} "
      "refused for the reasons listed, {} failures\n",
      pass, weights_only, refused, failures.size());
  EXPECT_TRUE(failures.empty()) << fmt::format("{}", fmt::join(failures, "\n"));
  EXPECT_GT(pass, 100);
}

// Keras 2 QDense/QConv layers split their `linear` activation into a `<layer>_linear` node (as
// hls4ml's Keras 2 reader does); Keras 3 files do not. Compared without those nodes.
Result<ir::Graph> WithoutLinearActivations(Result<ir::Graph> graph) {
  if (!graph.ok()) return graph;
  std::vector<std::pair<std::string, std::string>> linear;
  for (const ir::Node& node : graph->nodes()) {
    if (passes::IsLinearActivation(node)) linear.emplace_back(node.name, node.inputs[0]);
  }
  for (const auto& [name, input] : linear) {
    if (Status s = passes::RemoveNode(*graph, name, input); !s.ok()) return s.error();
  }
  return graph;
}

TEST(KerasCorpus, SameWeightsInTwoFormatsGiveTheSameIR) {
  if (!fs::exists(kModels)) GTEST_SKIP() << "no third-party models at " << kModels;
  ir::PrintOptions print;
  print.weights = true;
  for (const auto& [a, b] : kSameModel) {
    Result<ir::Graph> ga = WithoutLinearActivations(Load(kModels / a));
    Result<ir::Graph> gb = WithoutLinearActivations(Load(kModels / b));
    ASSERT_TRUE(ga.ok()) << ga.error().message();
    ASSERT_TRUE(gb.ok()) << gb.error().message();
    // Everything but the model's name line.
    std::string ta = ir::ToText(*ga, print), tb = ir::ToText(*gb, print);
    EXPECT_EQ(ta.substr(ta.find('\n')), tb.substr(tb.find('\n'))) << a << " vs " << b;
    ASSERT_EQ(ga->nodes().size(), gb->nodes().size());
    for (size_t i = 0; i < ga->nodes().size(); ++i) {
      const ir::Node& na = ga->nodes()[i];
      const ir::Node& nb = gb->nodes()[i];
      ASSERT_EQ(na.weights.size(), nb.weights.size()) << na.name;
      for (size_t w = 0; w < na.weights.size(); ++w) {
        EXPECT_TRUE(na.weights[w].values == nb.weights[w].values)
            << a << " vs " << b << ": " << na.name << "/" << na.weights[w].name;
      }
    }
    std::cout << "SAME    " << a << " == " << b << "\n";
  }
}

// Whitespace-separated numbers, one sample per line; blank lines skipped.
std::vector<std::vector<double>> ReadDat(const fs::path& file) {
  std::vector<std::vector<double>> rows;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::vector<double> row;
    double v;
    while (ss >> v) row.push_back(v);
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

// Reference data the models' README found inconsistent with the stored weights.
const std::map<std::string, std::string> kBadReferenceData = {
    {"conv2d_1layer", "its outputs were computed with other weights than conv2d_1layer.h5 holds"},
    {"ternary_tanh", "its outputs are pre-activation values"},
};

// The single-layer hls4ml test projects carry inputs and float Keras outputs: the reference
// executor reproduces them.
TEST(KerasCorpus, ReferenceExecutorMatchesTheProjectsTestbenchData) {
  const fs::path prjs = kModels / "hls4ml/example-prjs";
  if (!fs::exists(prjs)) GTEST_SKIP() << "no third-party models at " << kModels;
  int compared = 0;
  for (const auto& dir : fs::directory_iterator(prjs)) {
    const fs::path in_file = dir.path() / "tb_input_features.dat";
    const fs::path out_file = dir.path() / "tb_output_predictions.dat";
    if (!fs::exists(in_file) || !fs::exists(out_file)) continue;
    const std::string name = dir.path().filename().string();
    if (auto bad = kBadReferenceData.find(name); bad != kBadReferenceData.end()) {
      std::cout << "SKIP    " << name << ": " << bad->second << "\n";
      continue;
    }
    fs::path model;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::string stem = f.path().stem().string();
      if (f.path().extension() == ".h5" && stem.find("_weights") == std::string::npos) {
        model = f.path();
      }
    }
    ASSERT_FALSE(model.empty()) << name;
    Result<ir::Graph> graph = Load(model);
    ASSERT_TRUE(graph.ok()) << graph.error().message();
    const std::vector<std::vector<double>> x = ReadDat(in_file), y = ReadDat(out_file);
    ASSERT_EQ(x.size(), y.size()) << name;
    const ir::Tensor* input = graph->FindTensor(graph->inputs().front());
    reference::Batch batch;
    batch.shape = {static_cast<int64_t>(x.size())};
    batch.shape.insert(batch.shape.end(), input->shape.begin(), input->shape.end());
    for (const auto& row : x) batch.values.insert(batch.values.end(), row.begin(), row.end());
    ASSERT_EQ(static_cast<int64_t>(batch.values.size()), ir::NumElements(batch.shape)) << name;
    Result<std::vector<reference::Batch>> out = reference::RunReference(*graph, {batch});
    ASSERT_TRUE(out.ok()) << out.error().message();
    double worst = 0;
    size_t k = 0;
    for (const auto& row : y) {
      for (double want : row) {
        worst =
            std::max(worst, std::abs((*out)[0].values[k++] - want) / std::max(1.0, std::abs(want)));
      }
    }
    EXPECT_EQ(k, (*out)[0].values.size()) << name;
    EXPECT_LT(worst, 1e-5) << name;
    std::cout << fmt::format("MATCH   {}: {} samples, worst difference {:.2g}\n", name, x.size(),
                             worst);
    ++compared;
  }
  EXPECT_GT(compared, 15);
}

}  // namespace
}  // namespace fixnn
