#include "passes/infer_auto_precision.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_from_graph.h"
#include "passes/apply_config.h"
#include "passes/layer_types.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

// ApplyConfig then InferAutoPrecision; fails the test on an error.
ir::Graph Inferred(ir::Graph g, const std::string& yaml,
                   InferencePolicy policy = InferencePolicy::kExact) {
  Status s = ApplyConfig(g, ParseConfig(yaml));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  s = InferAutoPrecision(g, policy);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  for (const ir::Node& n : g.nodes()) EXPECT_TRUE(n.settings.auto_precisions.empty()) << n.name;
  return g;
}

std::string InferError(ir::Graph g, const std::string& yaml) {
  Status s = ApplyConfig(g, ParseConfig(yaml));
  EXPECT_TRUE(s.ok());
  s = InferAutoPrecision(g);
  EXPECT_FALSE(s.ok());
  return s.ok() ? "" : s.error().message();
}

ir::Graph DenseGraph(bool relu) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {0.5, -0.25, 1.0, 0.75}),
           MakeWeight("bias", {2}, {0.125, -2.0})},
          "Dense");
  if (relu) {
    AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kReLU}, {"fc"}, {}, "ReLU");
    AddNode(g, "sig", ir::ActivationAttrs{ir::ActivationFn::kSigmoid}, {"act"}, {}, "Activation");
  }
  Finish(g, relu ? "sig" : "fc");
  return g;
}

constexpr const char* kDenseConfig = R"(
Model:
  Precision: fixed<16,6>
LayerName:
  x:
    Precision:
      result: fixed<8,3>
  fc:
    Precision:
      weight: auto
      bias: fixed<8,4>
      accum: auto
      result: auto
  act:
    Precision:
      result: auto
  sig:
    Precision:
      result: auto
)";

TEST(InferAutoPrecisionTest, DenseAccumulatorIsExact) {
  // Kernel values in the Model default fixed<16,6>; see ExactAccumulatorTest.DenseByHand for
  // the arithmetic: [-6, 6.078125] by 2^-7.
  const ir::Graph g = Inferred(DenseGraph(true), kDenseConfig);
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<16,6>");
  EXPECT_EQ(WeightType(g, "fc", "bias"), "ap_fixed<8,4>");
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "ap_fixed<11,4>");
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<11,4>");
  // ReLU keeps the range without the negative half; a sigmoid falls back to the default.
  EXPECT_EQ(TensorType(g, "act"), "ap_ufixed<10,3>");
  EXPECT_EQ(TensorType(g, "sig"), "ap_fixed<16,6>");
  EXPECT_EQ(InternalTypeOf(g, "sig", "table"), "ap_fixed<18,8>");
}

TEST(InferAutoPrecisionTest, ModelMaximumCapsTheInferredTypes) {
  const std::string capped =
      std::string(kDenseConfig)
          .replace(std::string(kDenseConfig).find("  Precision: fixed<16,6>"), 24,
                   "  Precision:\n    default: fixed<16,6>\n    maximum: fixed<9,3>");
  const ir::Graph g = Inferred(DenseGraph(false), capped);
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "ap_fixed<9,3>");
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<9,3>");
  // An explicit result stays; the accumulator is still inferred.
  const std::string explicit_result =
      std::string(kDenseConfig)
          .replace(std::string(kDenseConfig).find("      result: auto"), 18,
                   "      result: fixed<6,2>");
  const ir::Graph e = Inferred(DenseGraph(false), explicit_result);
  EXPECT_EQ(InternalTypeOf(e, "fc", "accum"), "ap_fixed<11,4>");
  EXPECT_EQ(TensorType(e, "fc"), "ap_fixed<6,2>");
}

TEST(InferAutoPrecisionTest, ConvAndDepthwiseSumPerOutputChannel) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {4, 1}).ok());
  ir::ConvAttrs conv;
  conv.filters = 2;
  conv.kernel = {2};
  conv.strides = {1};
  conv.dilation = {1};
  conv.use_bias = false;
  // kernel [2, 1, 2]: filter 0 sums 1 * x + 0.5 * x', filter 1 sums -1 * x + 0.5 * x'.
  AddNode(g, "conv", conv, {"x"}, {MakeWeight("kernel", {2, 1, 2}, {1, -1, 0.5, 0.5})}, "Conv1D");
  ir::DepthwiseConvAttrs dw;
  dw.kernel = {1};
  dw.strides = {1};
  dw.dilation = {1};
  dw.use_bias = false;
  AddNode(g, "dw", dw, {"conv"}, {MakeWeight("depthwise_kernel", {1, 2, 1}, {2, -3})},
          "DepthwiseConv1D");
  Finish(g, "dw");
  const ir::Graph c = Inferred(std::move(g), R"(
Model:
  Precision: fixed<8,4>
LayerName:
  x:
    Precision:
      result: ufixed<4,2>
  conv:
    Precision:
      result: auto
      accum: auto
  dw:
    Precision:
      result: auto
      accum: auto
)");
  // x in [0, 3.75] by 1/4. Filter 0: [0, 5.625]; filter 1: [-3.75, 1.875]. LSB 1/8: [-30, 45].
  EXPECT_EQ(TensorType(c, "conv"), "ap_fixed<7,4>");
  // conv in [-8, 7.875] by 1/8. Channel 0 (x2): [-16, 15.75]; channel 1 (x-3): [-23.625, 24].
  // The weights need no fractional bit: LSB 1/8, [-189, 192]: 9 bits.
  EXPECT_EQ(TensorType(c, "dw"), "ap_fixed<9,6>");
  EXPECT_EQ(InternalTypeOf(c, "dw", "accum"), "ap_fixed<9,6>");
}

TEST(InferAutoPrecisionTest, SeparableConvChainsItsTwoProducts) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3, 2}).ok());
  ir::SeparableConvAttrs a;
  a.filters = 1;
  a.kernel = {1};
  a.strides = {1};
  a.dilation = {1};
  AddNode(g, "sep", a, {"x"},
          {MakeWeight("depthwise_kernel", {1, 2, 1}, {0.5, 1}),
           MakeWeight("pointwise_kernel", {1, 2, 1}, {1, -1}), MakeWeight("bias", {1}, {0.25})},
          "SeparableConv1D");
  Finish(g, "sep");
  const ir::Graph c = Inferred(std::move(g), R"(
Model:
  Precision: fixed<8,4>
LayerName:
  x:
    Precision:
      result: ufixed<3,1>
  sep:
    Precision: auto
)");
  // x in [0, 1.75] by 1/4. Depthwise: [0, 0.875] and [0, 1.75] by 1/8: ap_ufixed<4,1>.
  EXPECT_EQ(InternalTypeOf(c, "sep", "depthwise_accum"), "ap_ufixed<4,1>");
  EXPECT_EQ(InternalTypeOf(c, "sep", "depthwise_result"), "ap_ufixed<4,1>");
  // Pointwise over [0, 1.875] by 1/8: d0 - d1 + 0.25 in [-1.625, 2.125], products alone
  // [-1.875, 1.875]: [-15, 17] by 1/8.
  EXPECT_EQ(InternalTypeOf(c, "sep", "pointwise_accum"), "ap_fixed<6,3>");
  EXPECT_EQ(TensorType(c, "sep"), "ap_fixed<6,3>");
  EXPECT_EQ(WeightType(c, "sep", "depthwise_kernel"), "ap_fixed<8,4>");
}

// Two inputs a (fixed<8,3>) and b (ufixed<6,2>) of shape [4], and `op` over them.
ir::Graph TwoInputs(ir::OpAttrs op, const std::string& source) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("a", {4}).ok());
  EXPECT_TRUE(g.AddInput("b", {4}).ok());
  AddNode(g, "op", std::move(op), {"a", "b"}, {}, source);
  Finish(g, "op");
  return g;
}

constexpr const char* kTwoInputConfig = R"(
Model:
  Precision: fixed<16,6>
LayerName:
  a:
    Precision:
      result: fixed<8,3>
  b:
    Precision:
      result: ufixed<6,2>
  op:
    Precision: auto
)";

TEST(InferAutoPrecisionTest, MergeConcatenateAndDotFollowHls4ml) {
  EXPECT_EQ(
      TensorType(Inferred(TwoInputs(ir::MergeAttrs{ir::MergeKind::kAdd}, "Add"), kTwoInputConfig),
                 "op"),
      "ap_fixed<9,4>");
  EXPECT_EQ(TensorType(Inferred(TwoInputs(ir::MergeAttrs{ir::MergeKind::kMultiply}, "Multiply"),
                                kTwoInputConfig),
                       "op"),
            "ap_fixed<14,5>");
  EXPECT_EQ(TensorType(Inferred(TwoInputs(ir::MergeAttrs{ir::MergeKind::kMaximum}, "Maximum"),
                                kTwoInputConfig),
                       "op"),
            "ap_fixed<8,3>");
  EXPECT_EQ(
      TensorType(Inferred(TwoInputs(ir::ConcatenateAttrs{-1}, "Concatenate"), kTwoInputConfig),
                 "op"),
      "ap_fixed<8,3>");
  const ir::Graph dot = Inferred(TwoInputs(ir::DotAttrs{{1, 1}, false}, "Dot"), kTwoInputConfig);
  EXPECT_EQ(TensorType(dot, "op"), "ap_fixed<16,7>");  // 4 products: 2 more bits
  EXPECT_EQ(InternalTypeOf(dot, "op", "accum"), "ap_fixed<16,7>");
}

TEST(InferAutoPrecisionTest, Hls4mlPolicyFollowsHls4mlsBitGrowth) {
  // Input fixed<8,3>, kernel in the default fixed<16,6>, bias fixed<8,4>, 2 inputs:
  // W = 8 + 16 + 1 = 25, I = 3 + 6 + 1 = 10; the bias: I = 11, W = 11 + 15 = 26.
  const ir::Graph g = Inferred(DenseGraph(true), kDenseConfig, InferencePolicy::kHls4ml);
  EXPECT_EQ(InternalTypeOf(g, "fc", "accum"), "ap_fixed<26,11>");
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<26,11>");
  // hls4ml gives every Activation's result the Model default, ReLU included.
  EXPECT_EQ(TensorType(g, "act"), "ap_fixed<16,6>");
  EXPECT_EQ(TensorType(g, "sig"), "ap_fixed<16,6>");
  // The Model maximum caps width and integer bits separately.
  const std::string capped =
      std::string(kDenseConfig)
          .replace(std::string(kDenseConfig).find("  Precision: fixed<16,6>"), 24,
                   "  Precision:\n    default: fixed<16,6>\n    maximum: fixed<20,8>");
  const ir::Graph c = Inferred(DenseGraph(false), capped, InferencePolicy::kHls4ml);
  EXPECT_EQ(TensorType(c, "fc"), "ap_fixed<20,8>");
  // A Dot grows by its first input's first dimension and leaves accum to the default.
  const ir::Graph dot = Inferred(TwoInputs(ir::DotAttrs{{1, 1}, false}, "Dot"), kTwoInputConfig,
                                 InferencePolicy::kHls4ml);
  EXPECT_EQ(TensorType(dot, "op"), "ap_fixed<16,7>");
  EXPECT_EQ(InternalTypeOf(dot, "op", "accum"), "ap_fixed<16,6>");
}

TEST(InferAutoPrecisionTest, MergeOfThreeInputsFoldsAndCaps) {
  ir::Graph g;
  for (const char* n : {"a", "b", "c"}) ASSERT_TRUE(g.AddInput(n, {4}).ok());
  AddNode(g, "sum", ir::MergeAttrs{ir::MergeKind::kAdd}, {"a", "b", "c"}, {}, "Add");
  Finish(g, "sum");
  const std::string yaml = R"(
Model:
  Precision:
    default: fixed<8,3>
    maximum: fixed<32,MAXINT>
LayerName:
  sum:
    Precision: auto
)";
  std::string uncapped = yaml;
  uncapped.replace(uncapped.find("MAXINT"), 6, "16");
  EXPECT_EQ(TensorType(Inferred(g, uncapped), "sum"), "ap_fixed<10,5>");
  std::string capped = yaml;
  capped.replace(capped.find("MAXINT"), 6, "4");
  // (a + b) is fixed<9,4> (within the cap), then + c: W = 10, I = 5 capped to 4.
  EXPECT_EQ(TensorType(Inferred(g, capped), "sum"), "ap_fixed<10,4>");
}

TEST(InferAutoPrecisionTest, PoolingBatchNormAndShapeOps) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {9, 2}).ok());
  ir::PoolAttrs avg;
  avg.kind = ir::PoolKind::kAverage;
  avg.pool = {3};
  avg.strides = {3};
  AddNode(g, "avg", avg, {"x"}, {}, "AveragePooling1D");
  ir::PoolAttrs max = avg;
  max.kind = ir::PoolKind::kMax;
  AddNode(g, "max", max, {"x"}, {}, "MaxPooling1D");
  AddNode(g, "bn", ir::BatchNormAttrs{}, {"max"},
          {MakeWeight("gamma", {2}, {1, 1}), MakeWeight("beta", {2}, {0, 0}),
           MakeWeight("moving_mean", {2}, {0, 0}), MakeWeight("moving_variance", {2}, {1, 1})},
          "BatchNormalization");
  AddNode(g, "flat", ir::FlattenAttrs{}, {"bn"}, {}, "Flatten");
  AddNode(g, "crop", ir::CroppingAttrs{{{1, 1}}}, {"avg"}, {}, "Cropping1D");
  AddNode(g, "cat", ir::ConcatenateAttrs{-1}, {"flat", "flat"}, {}, "Concatenate");
  Finish(g, "cat");
  const ir::Graph c = Inferred(std::move(g), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  x:
    Precision:
      result: fixed<8,3>
  avg:
    Precision: auto
  max:
    Precision: auto
  bn:
    Precision:
      result: auto
      scale: fixed<10,2>
      bias: fixed<12,4>
  flat:
    Precision: auto
  crop:
    Precision: auto
  cat:
    Precision: auto
)");
  EXPECT_EQ(InternalTypeOf(c, "avg", "accum"), "ap_fixed<12,5>");  // 2 bits for 3 elements
  EXPECT_EQ(TensorType(c, "avg"), "ap_fixed<8,3>");
  EXPECT_EQ(InternalTypeOf(c, "max", "accum"), "ap_fixed<8,3>");
  EXPECT_EQ(TensorType(c, "max"), "ap_fixed<8,3>");
  EXPECT_EQ(TensorType(c, "bn"), "ap_fixed<19,6>");
  EXPECT_EQ(TensorType(c, "flat"), "ap_fixed<19,6>");
  EXPECT_EQ(TensorType(c, "cat"), "ap_fixed<19,6>");
  // hls4ml infers nothing for a Cropping: the Model default.
  EXPECT_EQ(TensorType(c, "crop"), "ap_fixed<16,6>");
}

TEST(InferAutoPrecisionTest, ActivationParametersAndQuantizers) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3}).ok());
  ir::ActivationAttrs leaky{ir::ActivationFn::kLeakyReLU};
  leaky.alpha = 0.3;
  AddNode(g, "leaky", leaky, {"x"}, {}, "LeakyReLU");
  ir::ActivationAttrs elu{ir::ActivationFn::kELU};
  elu.alpha = 1.0;
  AddNode(g, "elu", elu, {"leaky"}, {}, "ELU");
  ir::ActivationAttrs thr{ir::ActivationFn::kThresholdedReLU};
  thr.threshold = 1.0;
  AddNode(g, "thr", thr, {"x"}, {}, "ThresholdedReLU");
  AddNode(g, "prelu", ir::PReLUAttrs{}, {"x"}, {MakeWeight("alpha", {3}, {0.1, 0.2, 0.3})},
          "PReLU");
  ir::Node q;
  q.name = "q";
  q.source = "QActivation";
  q.attrs = ir::QuantizeAttrs{};
  q.inputs = {"prelu"};
  q.outputs = {"q"};
  q.output_quantizer = FixedQuantizer("ap_ufixed<6,2,AP_RND_CONV,AP_SAT>");
  ASSERT_TRUE(g.AddNode(std::move(q)).ok());
  ir::ActivationAttrs hard{ir::ActivationFn::kHardSigmoid};
  hard.alpha = 0.2;
  AddNode(g, "hard", hard, {"q"}, {}, "Activation");
  Finish(g, "hard");
  const ir::Graph c = Inferred(std::move(g), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  x:
    Precision:
      result: fixed<8,3>
  leaky:
    Precision: auto
  elu:
    Precision: auto
  thr:
    Precision: auto
  prelu:
    Precision: auto
  q:
    Precision:
      result: auto
  hard:
    Precision:
      slope: auto
      shift: auto
)");
  EXPECT_EQ(InternalTypeOf(c, "leaky", "param"), "ap_ufixed<8,-1>");
  EXPECT_EQ(InternalTypeOf(c, "elu", "param"), "ap_ufixed<1,1>");
  EXPECT_EQ(InternalTypeOf(c, "thr", "param"), "ap_fixed<8,3>");
  EXPECT_EQ(TensorType(c, "leaky"), "ap_fixed<16,6>");
  // A level's default does not reach the tables: they keep hls4ml's attribute default.
  EXPECT_EQ(InternalTypeOf(c, "leaky", "table"), "ap_fixed<18,8>");
  EXPECT_EQ(WeightType(c, "prelu", "alpha"), "ap_fixed<8,3>");
  EXPECT_EQ(TensorType(c, "q"), "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(InternalTypeOf(c, "hard", "slope"), "ap_ufixed<16,0>");
  EXPECT_EQ(InternalTypeOf(c, "hard", "shift"), "ap_ufixed<2,0>");
}

TEST(InferAutoPrecisionTest, RecurrentStateFollowsTheResult) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3, 2}).ok());
  ir::RecurrentAttrs a;
  a.cell = ir::RecurrentCell::kGRU;
  a.units = 1;
  AddNode(g, "gru", a, {"x"},
          {MakeWeight("kernel", {2, 3}, std::vector<double>(6, 0.5)),
           MakeWeight("recurrent_kernel", {1, 3}, std::vector<double>(3, 0.5)),
           MakeWeight("bias", {2, 3}, std::vector<double>(6, 0))},
          "GRU");
  Finish(g, "gru");
  const ir::Graph c = Inferred(std::move(g), R"(
Model:
  Precision: fixed<12,5>
LayerName:
  gru:
    Precision: auto
)");
  EXPECT_EQ(TensorType(c, "gru"), "ap_fixed<12,5>");
  EXPECT_EQ(InternalTypeOf(c, "gru", "state"), "ap_fixed<12,5>");
  EXPECT_EQ(InternalTypeOf(c, "gru", "accum"), "ap_fixed<12,5>");
  EXPECT_EQ(InternalTypeOf(c, "gru", "recurrent_bias"), "ap_fixed<12,5>");
  EXPECT_EQ(WeightType(c, "gru", "recurrent_kernel"), "ap_fixed<12,5>");
}

TEST(InferAutoPrecisionTest, GeneratedConfigurationLeavesNothingUnset) {
  ir::Graph g = DenseGraph(true);
  Result<config::HlsConfig> cfg = config::ConfigFromGraph(g, config::Granularity::kName);
  ASSERT_TRUE(cfg.ok());
  ASSERT_TRUE(ApplyConfig(g, *cfg).ok());
  ASSERT_TRUE(InferAutoPrecision(g).ok());
  // x: fixed<16,6> by 2^-10 in [-32, 32). Kernel needs 2 fractional bits, bias (fixed<16,6>)
  // 3: LSB 2^-12; the sums lie in [-48, 48.125): 19 bits, 7 integer.
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<19,7>");
  for (const ir::Node& n : g.nodes()) {
    for (const std::string& out : n.outputs) EXPECT_NE(TensorType(g, out), "unset") << out;
    for (const ir::Weight& w : n.weights) EXPECT_TRUE(w.precision.is_set()) << n.name;
    for (const InternalType& t : InternalTypes(n)) EXPECT_EQ(n.types.count(t.key), 1u) << t.key;
  }
}

TEST(InferAutoPrecisionTest, ErrorsNameTheLayer) {
  ir::Graph g = DenseGraph(false);
  g.FindNode("fc")->settings.auto_precisions = {"result"};
  g.FindNode("fc")->settings.auto_fallback = Type("fixed<16,6>");
  Status s = InferAutoPrecision(g);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(), HasSubstr("layer 'fc': input 'x' has no precision"));

  EXPECT_THAT(InferError(TwoInputs(ir::MergeAttrs{ir::MergeKind::kMultiply}, "Multiply"), R"(
Model:
  Precision: fixed<16,6>
LayerName:
  a:
    Precision:
      result: fixed<200,100>
  b:
    Precision:
      result: fixed<100,50>
  op:
    Precision: auto
)"),
              HasSubstr("layer 'op': the inferred 'result' type is out of range"));
}

}  // namespace
}  // namespace fixnn::passes
