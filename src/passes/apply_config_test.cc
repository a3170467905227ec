#include "passes/apply_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

// x [2] -> fc (Dense 2) -> act (relu) -> sm (softmax), and a hard sigmoid beside.
ir::Graph SmallGraph() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {0.5, -0.25, 1.0, 0.75}),
           MakeWeight("bias", {2}, {0.125, -2.0})},
          "Dense");
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kReLU}, {"fc"}, {}, "ReLU");
  AddNode(g, "sm", ir::ActivationAttrs{ir::ActivationFn::kSoftmax}, {"act"}, {}, "Softmax");
  ir::ActivationAttrs hard{ir::ActivationFn::kHardSigmoid};
  hard.alpha = 0.2;
  AddNode(g, "hs", hard, {"sm"}, {}, "Activation");
  Finish(g, "hs");
  return g;
}

ir::Graph Configured(ir::Graph g, const std::string& yaml) {
  Status s = ApplyConfig(g, ParseConfig(yaml));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return g;
}

std::string ApplyError(ir::Graph g, const std::string& yaml) {
  Status s = ApplyConfig(g, ParseConfig(yaml));
  EXPECT_FALSE(s.ok());
  return s.ok() ? "" : s.error().message();
}

TEST(ApplyConfigTest, ModelDefaultReachesEveryTensorWeightAndAccumulator) {
  const ir::Graph g = Configured(SmallGraph(), R"(
Model:
  Precision: ap_fixed<10,4>
  ReuseFactor: 2
)");
  for (const char* t : {"x", "fc", "act", "sm", "hs"}) {
    EXPECT_EQ(TensorType(g, t), "ap_fixed<10,4>") << t;
  }
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<10,4>");
  EXPECT_EQ(WeightType(g, "fc", "bias"), "ap_fixed<10,4>");
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "ap_fixed<10,4>");
  // Tables keep hls4ml's attribute defaults; the Softmax accum resolves like any precision.
  EXPECT_EQ(InternalTypeOf(g, "act", "table"), "ap_fixed<18,8>");
  EXPECT_EQ(InternalTypeOf(g, "sm", "exp_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(g, "sm", "inv_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(g, "sm", "inv_inp"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(g, "sm", "accum"), "ap_fixed<10,4>");
  EXPECT_EQ(InternalTypeOf(g, "hs", "slope"), "ap_ufixed<16,0>");
  EXPECT_EQ(InternalTypeOf(g, "hs", "shift"), "ap_ufixed<2,0>");
  const ir::LayerSettings& s = g.FindNode("fc")->settings;
  EXPECT_EQ(s.reuse_factor, 2);
  EXPECT_EQ(s.strategy, ir::Strategy::kLatency);
  EXPECT_FALSE(s.trace);
  EXPECT_TRUE(s.auto_precisions.empty());
  EXPECT_EQ(s.auto_fallback, Type("ap_fixed<10,4>"));
  EXPECT_FALSE(s.auto_maximum.has_value());
  EXPECT_EQ(g.FindNode("sm")->settings.softmax_implementation, ir::SoftmaxImplementation::kStable);
  EXPECT_EQ(g.FindNode("sm")->settings.table_size, 1024);
}

TEST(ApplyConfigTest, NoModelPrecisionMeansHls4mlBuiltInDefault) {
  const ir::Graph g = Configured(SmallGraph(), "Model:\n  ReuseFactor: 1\n");
  EXPECT_EQ(TensorType(g, "x"), "ap_fixed<16,6>");
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<16,6>");
}

TEST(ApplyConfigTest, LayerEntriesOverrideKeyByKey) {
  const ir::Graph g = Configured(SmallGraph(), R"(
Model:
  Precision:
    default: fixed<16,6>
    maximum: fixed<24,12>
  ReuseFactor: 1
  Strategy: Latency
LayerType:
  Dense:
    Precision:
      bias: fixed<12,5>
LayerName:
  fc:
    Precision:
      weight: fixed<8,2>
      result: fixed<20,8>
      accum: fixed<24,10>
    ReuseFactor: 4
    Strategy: Resource
    Trace: true
  sm:
    Precision:
      exp_table: fixed<12,4>
    TableSize: 2048
    Implementation: latency
  act:
    table_t: fixed<10,2>
  hs:
    Precision:
      slope: ufixed<8,0>
)");
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<8,2>");
  EXPECT_EQ(WeightType(g, "fc", "bias"), "ap_fixed<12,5>");
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<20,8>");
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "ap_fixed<24,10>");
  EXPECT_EQ(TensorType(g, "act"), "ap_fixed<16,6>");
  EXPECT_EQ(InternalTypeOf(g, "act", "table"), "ap_fixed<10,2>");
  EXPECT_EQ(InternalTypeOf(g, "sm", "exp_table"), "ap_fixed<12,4>");
  EXPECT_EQ(InternalTypeOf(g, "sm", "inv_table"), "ap_fixed<18,8,AP_RND,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(g, "hs", "slope"), "ap_ufixed<8,0>");
  EXPECT_EQ(InternalTypeOf(g, "hs", "shift"), "ap_ufixed<2,0>");
  const ir::LayerSettings& fc = g.FindNode("fc")->settings;
  EXPECT_EQ(fc.reuse_factor, 4);
  EXPECT_EQ(fc.strategy, ir::Strategy::kResource);
  EXPECT_TRUE(fc.trace);
  EXPECT_EQ(fc.auto_maximum, Type("fixed<24,12>"));
  const ir::LayerSettings& sm = g.FindNode("sm")->settings;
  EXPECT_EQ(sm.table_size, 2048);
  EXPECT_EQ(sm.softmax_implementation, ir::SoftmaxImplementation::kLatency);
  EXPECT_EQ(sm.reuse_factor, 1);
  EXPECT_FALSE(sm.trace);
}

TEST(ApplyConfigTest, AutoIsLeftForInferenceAndListed) {
  const ir::Graph g = Configured(SmallGraph(), R"(
Model:
  Precision: fixed<12,4>
LayerName:
  x:
    Precision:
      result: auto
  fc:
    Precision:
      result: auto
      weight: auto
      accum: auto
  act:
    Precision: auto
)");
  // An input's "auto" is the Model default at once (hls4ml infers nothing for an Input).
  EXPECT_EQ(TensorType(g, "x"), "ap_fixed<12,4>");
  EXPECT_TRUE(g.FindNode("x")->settings.auto_precisions.empty());
  EXPECT_EQ(TensorType(g, "fc"), "unset");
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "unset");
  EXPECT_EQ(WeightType(g, "fc", "bias"), "ap_fixed<12,4>");
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "unset");
  EXPECT_THAT(g.FindNode("fc")->settings.auto_precisions, ElementsAre("result", "weight", "accum"));
  // `Precision: auto` is the layer's default: every key that is not a table default.
  EXPECT_THAT(g.FindNode("act")->settings.auto_precisions, ElementsAre("result"));
  EXPECT_EQ(InternalTypeOf(g, "act", "table"), "ap_fixed<18,8>");
}

TEST(ApplyConfigTest, InputLayerTypeEntrySetsTheInputPrecision) {
  const ir::Graph g = Configured(SmallGraph(), R"(
Model:
  Precision: fixed<16,6>
LayerType:
  InputLayer:
    Precision:
      result: ap_int<8>
)");
  EXPECT_EQ(TensorType(g, "x"), "ap_int<8>");
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<16,6>");
}

ir::Graph QuantizedDenseGraph() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  ir::Weight kernel = MakeWeight("kernel", {2, 1}, {0.3, -0.6});
  kernel.quantizer = FixedQuantizer("ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  AddNode(g, "fc", ir::DenseAttrs{1, true}, {"x"}, {kernel, MakeWeight("bias", {1}, {0.5})},
          "QDense");
  Finish(g, "fc");
  return g;
}

TEST(ApplyConfigTest, DenseWeightQuantizerWinsOverTheConfiguration) {
  // hls4ml stores a quantized weight in the quantizer's type whatever Precision.weight says.
  const ir::Graph g = Configured(QuantizedDenseGraph(), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  fc:
    Precision:
      weight: fixed<8,3>
      bias: fixed<9,3>
)");
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(WeightType(g, "fc", "bias"), "ap_fixed<9,3>");
  const ir::Graph auto_weight = Configured(QuantizedDenseGraph(), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  fc:
    Precision:
      weight: auto
)");
  EXPECT_EQ(WeightType(auto_weight, "fc", "kernel"), "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  EXPECT_TRUE(auto_weight.FindNode("fc")->settings.auto_precisions.empty());
}

ir::Graph LstmGraph(bool with_state_quantizer) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {3, 2}).ok());
  ir::RecurrentAttrs a;
  a.cell = ir::RecurrentCell::kLSTM;
  a.units = 2;
  if (with_state_quantizer) a.state_quantizer = FixedQuantizer("ap_fixed<12,5,AP_RND_CONV,AP_SAT>");
  ir::Weight kernel = MakeWeight("kernel", {2, 8}, std::vector<double>(16, 0.25));
  ir::Weight recurrent = MakeWeight("recurrent_kernel", {2, 8}, std::vector<double>(16, 0.5));
  ir::Weight bias = MakeWeight("bias", {8}, std::vector<double>(8, 1.0));
  kernel.quantizer = FixedQuantizer("ap_fixed<6,1,AP_RND_CONV,AP_SAT>");
  recurrent.quantizer = FixedQuantizer("ap_fixed<7,1,AP_RND_CONV,AP_SAT>");
  bias.quantizer = FixedQuantizer("ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
  AddNode(g, "lstm", a, {"x"}, {kernel, recurrent, bias}, "QLSTM");
  Finish(g, "lstm");
  return g;
}

TEST(ApplyConfigTest, Hls4mlGivesEveryRecurrentProductTheReuseFactor) {
  const char* yaml = R"(
Model:
  Precision: fixed<16,6>
  ReuseFactor: 2
LayerName:
  lstm:
    RecurrentReuseFactor: 4
)";
  ir::Graph g = LstmGraph(false);
  ASSERT_TRUE(ApplyConfig(g, ParseConfig(yaml), /*hls4ml_recurrent_reuse=*/true).ok());
  EXPECT_EQ(g.FindNode("lstm")->settings.reuse_factor, 2);
  EXPECT_EQ(g.FindNode("lstm")->settings.recurrent_reuse_factor, 2);
}

TEST(ApplyConfigTest, RecurrentQuantizersYieldOnlyToAnExplicitKey) {
  const ir::Graph g = Configured(LstmGraph(false), R"(
Model:
  Precision: fixed<16,6>
  ReuseFactor: 2
LayerName:
  lstm:
    Precision:
      weight: fixed<10,3>
      recurrent_weight: auto
    RecurrentReuseFactor: 4
)");
  EXPECT_EQ(WeightType(g, "lstm", "kernel"), "ap_fixed<10,3>");
  EXPECT_EQ(WeightType(g, "lstm", "recurrent_kernel"), "ap_fixed<7,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(WeightType(g, "lstm", "bias"), "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(g, "lstm", "recurrent_bias"), "ap_fixed<8,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(g, "lstm", "accum"), "ap_fixed<16,6>");
  EXPECT_EQ(InternalTypeOf(g, "lstm", "table"), "ap_fixed<18,8>");
  EXPECT_EQ(InternalTypeOf(g, "lstm", "state"), "ap_fixed<16,6>");  // the result type
  EXPECT_EQ(g.FindNode("lstm")->settings.reuse_factor, 2);
  EXPECT_EQ(g.FindNode("lstm")->settings.recurrent_reuse_factor, 4);

  const ir::Graph q = Configured(LstmGraph(true), "Model:\n  Precision: fixed<16,6>\n");
  EXPECT_EQ(InternalTypeOf(q, "lstm", "state"), "ap_fixed<12,5,AP_RND_CONV,AP_SAT>");
  const ir::Graph named = Configured(LstmGraph(true), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  lstm:
    Precision:
      state: fixed<20,8>
)");
  EXPECT_EQ(InternalTypeOf(named, "lstm", "state"), "ap_fixed<20,8>");
}

// QKeras' binary sign as the state quantizer (a 1-bit quantized_bits, or binary without alpha):
// the state in ap_fixed<2,2,AP_TRN,AP_SAT> with binary_state; a named state type replaces it.
// A binary quantizer with 0/1 values or an alpha is refused.
TEST(ApplyConfigTest, BinaryStateQuantizerHoldsTheSign) {
  auto with_state = [](auto edit) {
    ir::Graph g = LstmGraph(true);
    ir::Quantizer& q = *g.FindNode("lstm")->as<ir::RecurrentAttrs>().state_quantizer;
    q.kind = ir::QuantizerKind::kBinary;
    q.type = fixed::FixedType::Fixed(2, 2, fixed::Rounding::kTrn, fixed::Overflow::kSat);
    q.spelling = "quantized_bits(1, 0)";
    edit(q);
    return g;
  };
  const char* plain = "Model:\n  Precision: fixed<16,6>\n";
  const ir::Graph g = Configured(with_state([](ir::Quantizer&) {}), plain);
  EXPECT_EQ(InternalTypeOf(g, "lstm", "state"), "ap_fixed<2,2,AP_TRN,AP_SAT>");
  EXPECT_TRUE(g.FindNode("lstm")->settings.binary_state);
  const ir::Graph named = Configured(with_state([](ir::Quantizer&) {}), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  lstm:
    Precision:
      state: fixed<8,2>
)");
  EXPECT_EQ(InternalTypeOf(named, "lstm", "state"), "ap_fixed<8,2>");
  EXPECT_FALSE(named.FindNode("lstm")->settings.binary_state);
  EXPECT_FALSE(Configured(LstmGraph(true), plain).FindNode("lstm")->settings.binary_state);
  EXPECT_THAT(ApplyError(with_state([](ir::Quantizer& q) { q.binary_use_01 = true; }), plain),
              HasSubstr("layer 'lstm': state_quantizer 'quantized_bits(1, 0)' is neither a plain "
                        "fixed-point quantizer nor a binary sign without alpha"));
  EXPECT_THAT(ApplyError(with_state([](ir::Quantizer& q) { q.scale = {0.5}; }), plain),
              HasSubstr("nor a binary sign without alpha"));
}

TEST(ApplyConfigTest, BatchNormStoresFoldedScaleAndBiasOnly) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3}).ok());
  ir::Weight gamma = MakeWeight("gamma", {3}, {1, 2, 4});
  gamma.quantizer = FixedQuantizer("ap_fixed<6,3,AP_RND_CONV,AP_SAT>");
  AddNode(g, "bn", ir::BatchNormAttrs{}, {"x"},
          {gamma, MakeWeight("beta", {3}, {0, 0, 0}), MakeWeight("moving_mean", {3}, {0, 0, 0}),
           MakeWeight("moving_variance", {3}, {1, 1, 1})},
          "QBatchNormalization");
  Finish(g, "bn");
  const ir::Graph c = Configured(std::move(g), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  bn:
    Precision:
      scale: fixed<10,2>
      beta: fixed<4,2>
)");
  EXPECT_EQ(InternalTypeOf(c, "bn", "scale"), "ap_fixed<10,2>");
  EXPECT_EQ(InternalTypeOf(c, "bn", "bias"), "ap_fixed<16,6>");
  EXPECT_EQ(WeightType(c, "bn", "gamma"), "ap_fixed<6,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(WeightType(c, "bn", "beta"), "unset");
  EXPECT_EQ(WeightType(c, "bn", "moving_variance"), "unset");
}

TEST(ApplyConfigTest, PerProductReuseFactorsFallBackToReuseFactor) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {8, 2}).ok());
  ir::SeparableConvAttrs a;
  a.filters = 4;
  a.kernel = {3};
  a.strides = {1};
  a.dilation = {1};
  AddNode(g, "sep", a, {"x"},
          {MakeWeight("depthwise_kernel", {3, 2, 1}, std::vector<double>(6, 0.5)),
           MakeWeight("pointwise_kernel", {1, 2, 4}, std::vector<double>(8, 0.25)),
           MakeWeight("bias", {4}, std::vector<double>(4, 0))},
          "SeparableConv1D");
  Finish(g, "sep");
  const ir::Graph c = Configured(std::move(g), R"(
Model:
  Precision: fixed<16,6>
  ReuseFactor: 3
LayerName:
  sep:
    PointwiseReuseFactor: 2
)");
  const ir::LayerSettings& s = c.FindNode("sep")->settings;
  EXPECT_EQ(s.reuse_factor, 3);
  EXPECT_EQ(s.depthwise_reuse_factor, 3);
  EXPECT_EQ(s.pointwise_reuse_factor, 2);
  EXPECT_EQ(WeightType(c, "sep", "depthwise_kernel"), "ap_fixed<16,6>");
  EXPECT_EQ(InternalTypeOf(c, "sep", "depthwise_result"), "ap_fixed<16,6>");
}

TEST(ApplyConfigTest, ErrorsNameTheKey) {
  // The YAML reader refuses these two already; a configuration built in code reaches here.
  config::HlsConfig auto_default;
  auto_default.model.precision["default"] = config::PrecisionSpec::Auto();
  ir::Graph g = SmallGraph();
  Status s = ApplyConfig(g, auto_default);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(), HasSubstr("HLSConfig.Model.Precision.default: 'auto' cannot"));
  config::HlsConfig auto_maximum;
  auto_maximum.model.precision["maximum"] = config::PrecisionSpec::Auto();
  s = ApplyConfig(g, auto_maximum);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "HLSConfig.Model.Precision.maximum: 'auto' is not a bound; give a type such as "
            "fixed<32,16>");
  EXPECT_THAT(ApplyError(SmallGraph(), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  sm:
    Implementation: im2col
)"),
              HasSubstr("config.yml:6: layer 'sm': Implementation 'im2col' is not a Softmax "
                        "implementation"));
}

TEST(ApplyConfigTest, RunningAgainReplacesEarlierResults) {
  ir::Graph g = Configured(SmallGraph(), "Model:\n  Precision: fixed<10,4>\n");
  ASSERT_TRUE(ApplyConfig(g, ParseConfig(R"(
Model:
  Precision: fixed<12,4>
LayerName:
  fc:
    Precision:
      accum: auto
)"))
                  .ok());
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<12,4>");
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "unset");
  EXPECT_THAT(g.FindNode("fc")->settings.auto_precisions, ElementsAre("accum"));
}

}  // namespace
}  // namespace fixnn::passes
