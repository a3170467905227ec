// A real QKeras fixture, loaded, configured end to end (as `fixnn` does without a project
// file: config::ConfigFromGraph by layer name, then passes::Configure) and estimated.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config_from_graph.h"
#include "estimate/estimate.h"
#include "frontends/keras/keras_frontend.h"
#include "passes/configure.h"

namespace fixnn::estimate {
namespace {

namespace fs = std::filesystem;
using backends::hls_reports::ResourceKind;

const LayerEstimate* Find(const ModelEstimate& e, const std::string& name) {
  for (const LayerEstimate& l : e.layers) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

int64_t Used(const backends::hls_reports::Resources& r, ResourceKind k) {
  return r[k].used.value_or(0);
}

// qk_jet_tagging_mlp: x[16] -> QDense fc1(16) -> quantized_relu(6) -> QDense fc2(8) ->
// quantized_relu(6) -> QDense output(5) -> softmax; weights quantized_bits(6,0).
TEST(EstimateFixtureTest, QKerasJetTaggingMlpEndToEnd) {
  const fs::path dir = fs::path(FIXNN_TEST_DATA_DIR) / "keras" / "qk_jet_tagging_mlp";
  ASSERT_TRUE(fs::exists(dir / "model.h5")) << dir;
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel((dir / "model.h5").string());
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  Result<config::HlsConfig> hls = config::ConfigFromGraph(*graph, config::Granularity::kName);
  ASSERT_TRUE(hls.ok()) << hls.error().message();
  ASSERT_TRUE(passes::Configure(*graph, *hls).ok());
  config::ProjectConfig project;
  project.hls = *hls;
  project.part = "xcvu13p-flga2577-2-e";
  Result<ModelEstimate> estimate = Estimate(*graph, project);
  ASSERT_TRUE(estimate.ok()) << estimate.error().message();
  const ModelEstimate& e = *estimate;

  int64_t dsp = 0;
  int64_t latency = 0;
  for (const auto& [name, n_in, units] :
       {std::tuple{"fc1", 16, 16}, std::tuple{"fc2", 16, 8}, std::tuple{"output", 8, 5}}) {
    SCOPED_TRACE(name);
    const LayerEstimate* l = Find(e, name);
    ASSERT_NE(l, nullptr);
    const ir::Node* node = graph->FindNode(name);
    ASSERT_NE(node, nullptr);
    ASSERT_FALSE(node->weight_classes.empty());
    const ir::WeightClassCounts& kernel = node->weight_classes[0];
    ASSERT_EQ(kernel.weight, "kernel");
    // Every product counted, split as the configuration classified the stored weights.
    EXPECT_EQ(l->multiplications.total, n_in * units);
    EXPECT_EQ(l->multiplications.zero, kernel.zeros);
    EXPECT_EQ(l->multiplications.power_of_two, kernel.powers_of_two);
    EXPECT_EQ(l->multiplications.real, n_in * units - kernel.zeros - kernel.powers_of_two);
    EXPECT_GT(l->multiplications.real, 0);
    // ReuseFactor 1, Latency: one multiplier per real product.
    EXPECT_EQ(l->multipliers, l->multiplications.real);
    // BOPs: weight bits x input bits per nonzero product, accumulator bits per addition
    // (n_in - 1 terms per sum, plus the bias).
    const int w = node->FindWeight("kernel")->precision.type->width;
    const int x = graph->FindTensor(node->inputs[0])->precision.type->width;
    const int acc = node->types.at("accum").width;
    const int64_t nonzero = n_in * units - kernel.zeros;
    EXPECT_EQ(l->bops, nonzero * w * x + nonzero * acc);
    dsp += Used(l->resources, ResourceKind::kDsp);
    latency += *l->latency.max_cycles;
  }
  // 6-bit weights: fc1 reads the 16-bit input (DSPs); fc2 and output read the 6-bit ReLU
  // outputs (LUT products).
  EXPECT_EQ(Find(e, "fc1")->dsp_multipliers, Find(e, "fc1")->multipliers);
  EXPECT_EQ(Find(e, "fc2")->dsp_multipliers, 0);
  EXPECT_EQ(Find(e, "output")->lut_multipliers, Find(e, "output")->multipliers);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), dsp);
  EXPECT_EQ(dsp, Find(e, "fc1")->multiplications.real);
  // Three products (L_mult 2), two ReLUs, the softmax: 3 x 2 + 2 + 4.
  EXPECT_EQ(latency, 6);
  EXPECT_EQ(e.latency.max_cycles, 12);
  EXPECT_EQ(e.latency.interval_max, 1);
  EXPECT_EQ(ToJson(e)["layers"].size(), e.layers.size());
}

}  // namespace
}  // namespace fixnn::estimate
