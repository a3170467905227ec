#include "config/config_from_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/config_to_yaml.h"
#include "config/layer_classes.h"
#include "config/project_config.h"

namespace fixnn::config {
namespace {

using fixed::FixedType;
using ::testing::HasSubstr;

ir::Quantizer Quant(const FixedType& t) {
  ir::Quantizer q;
  q.type = t;
  return q;
}

// fc1_input -> fc1 (QDense, quantized kernel and bias) -> act1 (QActivation) -> fc2 (Dense)
//   -> sm (Activation softmax) -> rnn (SimpleRNN, go_backwards)
ir::Graph QuantizedGraph() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("fc1_input", {16}).ok());
  ir::Node fc1;
  fc1.name = "fc1";
  fc1.source = "QDense";
  fc1.attrs = ir::DenseAttrs{8, true};
  fc1.inputs = {"fc1_input"};
  fc1.outputs = {"fc1"};
  fc1.weights.push_back(
      {"kernel", {16, 8}, std::vector<double>(128, 0.0), Quant(FixedType::Fixed(6, 1)), {}});
  fc1.weights.push_back(
      {"bias", {8}, std::vector<double>(8, 0.0), Quant(FixedType::Fixed(4, 1)), {}});
  EXPECT_TRUE(g.AddNode(fc1).ok());
  ir::Node act;
  act.name = "act1";
  act.source = "QActivation";
  act.attrs = ir::QuantizeAttrs{};
  act.inputs = {"fc1"};
  act.outputs = {"act1"};
  act.output_quantizer = Quant(FixedType::UFixed(7, 1));
  EXPECT_TRUE(g.AddNode(act).ok());
  ir::Node fc2;
  fc2.name = "fc2";
  fc2.source = "Dense";
  fc2.attrs = ir::DenseAttrs{4, true};
  fc2.inputs = {"act1"};
  fc2.outputs = {"fc2"};
  EXPECT_TRUE(g.AddNode(fc2).ok());
  ir::Node sm;
  sm.name = "sm";
  sm.source = "Activation";
  sm.attrs = ir::ActivationAttrs{ir::ActivationFn::kSoftmax};
  sm.inputs = {"fc2"};
  sm.outputs = {"sm"};
  EXPECT_TRUE(g.AddNode(sm).ok());
  ir::Node rnn;
  rnn.name = "rnn";
  rnn.source = "SimpleRNN";
  ir::RecurrentAttrs ra;
  ra.cell = ir::RecurrentCell::kSimpleRNN;
  ra.units = 4;
  ra.go_backwards = true;
  rnn.attrs = ra;
  rnn.inputs = {"sm"};
  rnn.outputs = {"rnn"};
  EXPECT_TRUE(g.AddNode(rnn).ok());
  return g;
}

TEST(ConfigFromGraphTest, ModelGranularity) {
  Result<HlsConfig> c = ConfigFromGraph(QuantizedGraph(), Granularity::kModel);
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->model.precision.size(), 1u);
  EXPECT_EQ(c->model.precision.at("default").type, FixedType::Fixed(16, 6));
  EXPECT_EQ(c->model.reuse_factor, 1);
  EXPECT_EQ(c->model.strategy, Strategy::kLatency);
  EXPECT_EQ(c->model.bram_factor, 1000000000);
  EXPECT_EQ(c->options.trace_output, false);
  EXPECT_TRUE(c->by_type.empty());
  EXPECT_TRUE(c->by_name.empty());

  Result<HlsConfig> capped =
      ConfigFromGraph(QuantizedGraph(), Granularity::kModel, "ap_fixed<8,3>", 4, "fixed<24,12>");
  ASSERT_TRUE(capped.ok()) << capped.error().message();
  EXPECT_EQ(capped->model.precision.at("default").type, FixedType::Fixed(8, 3));
  EXPECT_EQ(capped->model.precision.at("maximum").type, FixedType::Fixed(24, 12));
  EXPECT_EQ(capped->model.reuse_factor, 4);
}

TEST(ConfigFromGraphTest, TypeGranularityUsesSourceClasses) {
  Result<HlsConfig> c = ConfigFromGraph(QuantizedGraph(), Granularity::kType, "fixed<16,6>", 2);
  ASSERT_TRUE(c.ok()) << c.error().message();
  std::vector<std::string> keys;
  for (const auto& [k, v] : c->by_type) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"Dense", "InputLayer", "QActivation", "QDense",
                                            "SimpleRNN", "Softmax"}));
  const LayerConfig& qdense = c->by_type.at("QDense");
  EXPECT_EQ(qdense.precision.at("weight").type, FixedType::Fixed(6, 1));
  EXPECT_EQ(qdense.precision.at("bias").type, FixedType::Fixed(4, 1));
  EXPECT_TRUE(qdense.precision.at("result").is_auto());
  EXPECT_TRUE(qdense.precision.at("accum").is_auto());
  EXPECT_EQ(qdense.reuse_factor, 2);
  EXPECT_EQ(qdense.trace, false);
  EXPECT_TRUE(c->by_type.at("Dense").precision.at("weight").is_auto());
  const LayerConfig& softmax = c->by_type.at("Softmax");
  EXPECT_EQ(softmax.implementation, Implementation::kStable);
  EXPECT_EQ(softmax.table_size, 1024);
  EXPECT_EQ(softmax.skip, false);
  EXPECT_EQ(softmax.precision.at("exp_table").type,
            FixedType::Fixed(18, 8, fixed::Rounding::kRnd, fixed::Overflow::kSat));
  EXPECT_EQ(softmax.precision.at("table").type, FixedType::Fixed(18, 8));
  const LayerConfig& input = c->by_type.at("InputLayer");
  EXPECT_EQ(input.precision.size(), 1u);
  EXPECT_FALSE(input.reuse_factor.has_value());
}

TEST(ConfigFromGraphTest, NameGranularityTakesQuantizerTypes) {
  const ir::Graph g = QuantizedGraph();
  Result<HlsConfig> c = ConfigFromGraph(g, Granularity::kName);
  ASSERT_TRUE(c.ok()) << c.error().message();
  ASSERT_EQ(c->by_name.size(), 6u);
  EXPECT_EQ(c->by_name.at("act1").precision.at("result").type, FixedType::UFixed(7, 1));
  EXPECT_EQ(c->by_name.at("act1").table_size, 1024);
  EXPECT_EQ(c->by_name.at("fc1").precision.at("weight").type, FixedType::Fixed(6, 1));
  EXPECT_EQ(c->by_name.at("rnn").direction, RecurrentDirection::kBackward);
  EXPECT_EQ(c->by_name.at("rnn").recurrent_reuse_factor, 1);
  EXPECT_EQ(c->by_name.at("rnn").recurrent_static, true);
  EXPECT_TRUE(c->by_name.at("rnn").precision.at("recurrent_weight").is_auto());
  EXPECT_EQ(c->by_name.at("rnn").precision.count("recurrent_bias"), 0u);

  // The generated config names the model's layers and resolves to the quantizers' types.
  Status s = CheckAgainstGraph(*c, g);
  EXPECT_TRUE(s.ok()) << s.error().message();
  const ResolvedLayerConfig fc1 = Resolve(*c, *g.FindNode("fc1"));
  EXPECT_EQ(fc1.Precision("bias").spec.type, FixedType::Fixed(4, 1));
  EXPECT_TRUE(fc1.Precision("accum").spec.is_auto());
  EXPECT_EQ(fc1.Precision("nonexistent").spec.type, FixedType::Fixed(16, 6));
}

TEST(ConfigFromGraphTest, RoundTripsThroughYaml) {
  for (Granularity gr : {Granularity::kModel, Granularity::kType, Granularity::kName}) {
    Result<HlsConfig> c =
        ConfigFromGraph(QuantizedGraph(), gr, "ap_fixed<12,4>", 3, "fixed<32,16>");
    ASSERT_TRUE(c.ok()) << c.error().message();
    const std::string text = ToYaml(*c);
    Result<HlsConfig> back = ParseHlsConfig(YAML::Load(text), "generated.yml");
    ASSERT_TRUE(back.ok()) << back.error().message() << "\n" << text;
    EXPECT_TRUE(*c == *back) << text;
  }
}

TEST(ConfigFromGraphTest, Errors) {
  const ir::Graph g = QuantizedGraph();
  Result<HlsConfig> bad = ConfigFromGraph(g, Granularity::kModel, "fixed<16;6>");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("default precision: invalid type 'fixed<16;6>'"));
  Result<HlsConfig> autod = ConfigFromGraph(g, Granularity::kModel, "auto");
  ASSERT_FALSE(autod.ok());
  EXPECT_THAT(autod.error().message(), HasSubstr("'auto' is not allowed"));
  Result<HlsConfig> rf = ConfigFromGraph(g, Granularity::kModel, "fixed<16,6>", 0);
  ASSERT_FALSE(rf.ok());
  EXPECT_THAT(rf.error().message(), HasSubstr("must be at least 1, found 0"));
  EXPECT_FALSE(ConfigFromGraph(g, Granularity::kModel, "fixed<16,6>", 1, "float").ok());
}

TEST(DefaultLayerEntryTest, MatchesHls4mlVitisEntries) {
  const LayerConfig conv = DefaultLayerEntry("Conv2D", 5);
  EXPECT_EQ(conv.reuse_factor, 5);
  EXPECT_EQ(conv.parallelization_factor, 1);
  EXPECT_EQ(conv.conv_implementation, ConvImplementation::kLineBuffer);
  EXPECT_EQ(conv.precision.size(), 4u);  // result, weight, bias, accum
  const LayerConfig sep = DefaultLayerEntry("SeparableConv2D", 2);
  EXPECT_EQ(sep.depthwise_reuse_factor, 2);
  EXPECT_FALSE(sep.reuse_factor.has_value());
  EXPECT_EQ(sep.precision.size(), 7u);
  const LayerConfig bidir = DefaultLayerEntry("Bidirectional", 1);
  EXPECT_EQ(bidir.precision.size(), 11u);
  EXPECT_EQ(bidir.backward_recurrent_reuse_factor, 1);
  const LayerConfig reshape = DefaultLayerEntry("Reshape", 1);
  EXPECT_EQ(reshape.precision.size(), 1u);
  EXPECT_FALSE(reshape.reuse_factor.has_value());
  EXPECT_EQ(reshape.trace, false);
}

}  // namespace
}  // namespace fixnn::config
