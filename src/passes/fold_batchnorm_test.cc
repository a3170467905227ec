#include "passes/fold_batchnorm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/apply_config.h"
#include "passes/configure.h"
#include "passes/infer_auto_precision.h"
#include "passes/merge_batchnorms.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

double F(double v) { return static_cast<float>(v); }

struct Bn {
  std::vector<double> gamma, beta, mean, var;
  double epsilon = 1e-3;
};

// The float32 numbers of the tests below, as numpy 2.4 computes them (printed with
// float.hex): bn1 = {gamma 1.5, 0.8; beta 0.1, -0.2; mean 0.3, -0.1; var 1.2, 0.7; eps 1e-3},
// bn2 = {0.9, 1.1; 0.05, 0.3; -0.2, 0.4; 0.5, 2.0}; kernel [[0.5, -0.25], [1, 0.75]], bias
// [0.125, -2].
const Bn kBn1 = {{F(1.5), F(0.8)}, {F(0.1), F(-0.2)}, {F(0.3), F(-0.1)}, {F(1.2), F(0.7)}};
const Bn kBn2 = {{F(0.9), F(1.1)}, {F(0.05), F(0.3)}, {F(-0.2), F(0.4)}, {F(0.5), F(2.0)}};

ir::Node BatchNormNode(const std::string& name, const std::string& input, const Bn& bn) {
  ir::Node n;
  n.name = name;
  n.source = "BatchNormalization";
  ir::BatchNormAttrs a;
  a.epsilon = bn.epsilon;
  n.attrs = a;
  n.inputs = {input};
  n.outputs = {name};
  n.weights = {MakeWeight("gamma", {2}, bn.gamma), MakeWeight("beta", {2}, bn.beta),
               MakeWeight("moving_mean", {2}, bn.mean), MakeWeight("moving_variance", {2}, bn.var)};
  return n;
}

// x[2] -> fc (Dense 2 -> 2) -> the given normalizations -> act (relu).
ir::Graph DenseBn(const std::vector<Bn>& bns, std::vector<double> kernel = {0.5, -0.25, 1, 0.75},
                  std::vector<double> bias = {0.125, -2}) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, kernel), MakeWeight("bias", {2}, bias)}, "Dense");
  std::string last = "fc";
  for (size_t i = 0; i < bns.size(); ++i) {
    const std::string name = "bn" + std::to_string(i + 1);
    EXPECT_TRUE(g.AddNode(BatchNormNode(name, last, bns[i])).ok());
    last = name;
  }
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kReLU}, {last}, {}, "Activation");
  Finish(g, "act");
  return g;
}

constexpr const char* kAutoConfig = R"(
Model:
  Precision: fixed<16,6>
LayerType:
  Dense:
    Precision: auto
  DepthwiseConv2D:
    Precision: auto
  BatchNormalization:
    Precision: auto
LayerName:
  x:
    Precision:
      result: fixed<8,4>
  act:
    Precision:
      result: fixed<24,8>
)";

std::string ConfigureError(ir::Graph& g, const std::string& yaml, const ConfigureOptions& o) {
  Status s = Configure(g, ParseConfig(yaml), o);
  return s.ok() ? "" : s.error().message();
}

// --- kHls4ml -------------------------------------------------------------------------------

TEST(FoldBatchNormHls4mlTest, FoldsInFloat32AndKeepsTheDenseName) {
  ir::Graph g = DenseBn({kBn1});
  ASSERT_EQ(ConfigureError(g, kAutoConfig, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "act"));
  EXPECT_THAT(g.FindNode("act")->inputs, ElementsAre("fc"));
  const ir::Node& fc = *g.FindNode("fc");
  EXPECT_THAT(fc.FindWeight("kernel")->values,
              ElementsAre(0x1.5e657ep-1, -0x1.e93764p-3, 0x1.5e657ep+0, 0x1.6ee98cp-1));
  EXPECT_THAT(fc.FindWeight("bias")->values, ElementsAre(-0x1.1dc14ep-3, -0x1.01fa5p+1));
  // The Dense's own (auto) types: the Model default for the weights, the result inferred
  // from the folded weights.
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<16,6>");
  EXPECT_EQ(WeightType(g, "fc", "bias"), "ap_fixed<16,6>");
  EXPECT_NE(TensorType(g, "fc"), "unset");
}

TEST(FoldBatchNormHls4mlTest, NotWhenTheDenseResultIsConfigured) {
  ir::Graph g = DenseBn({kBn1});
  const std::string config =
      std::string(kAutoConfig) + "  fc:\n    Precision:\n      result: fixed<20,8>\n";
  ASSERT_EQ(ConfigureError(g, config, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "bn1", "act"));
}

TEST(FoldBatchNormHls4mlTest, NotIntoAQuantizedKernelUnlessTheScaleIsOne) {
  ir::Graph g = DenseBn({kBn1});
  g.FindNode("fc")->FindWeight("kernel")->quantizer = FixedQuantizer("ap_fixed<6,2>");
  ASSERT_EQ(ConfigureError(g, kAutoConfig, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "bn1", "act"));

  // gamma 1, variance 1, epsilon 0: the scale is exactly 1, so hls4ml folds, keeping the
  // kernel's quantizer and its type.
  Bn one = {{1, 1}, {F(0.5), F(-0.25)}, {0, 0}, {1, 1}, 0.0};
  ir::Graph h = DenseBn({one});
  h.FindNode("fc")->FindWeight("kernel")->quantizer = FixedQuantizer("ap_fixed<6,2>");
  ASSERT_EQ(ConfigureError(h, kAutoConfig, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(h), ElementsAre("x", "fc", "act"));
  EXPECT_TRUE(h.FindNode("fc")->FindWeight("kernel")->quantizer.has_value());
  EXPECT_EQ(WeightType(h, "fc", "kernel"), "ap_fixed<6,2>");
  EXPECT_THAT(h.FindNode("fc")->FindWeight("bias")->values, ElementsAre(0.625, -2.25));
}

TEST(FoldBatchNormHls4mlTest, NotWhenTheDenseOutputIsReadTwice) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {1, 2, 3, 4}), MakeWeight("bias", {2}, {0, 0})});
  ASSERT_TRUE(g.AddNode(BatchNormNode("bn1", "fc", kBn1)).ok());
  AddNode(g, "add", ir::MergeAttrs{ir::MergeKind::kAdd}, {"bn1", "fc"});
  Finish(g, "add");
  ASSERT_EQ(ConfigureError(g,
                           "LayerType:\n  Dense:\n    Precision: auto\n  BatchNormalization:\n"
                           "    Precision: auto\n",
                           ConfigureOptions::Hls4ml()),
            "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "bn1", "add"));
}

TEST(FoldBatchNormHls4mlTest, ConsecutiveNormalizationsMergeThenFold) {
  ir::Graph g = DenseBn({kBn1, kBn2});
  ASSERT_EQ(ConfigureError(g, kAutoConfig, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "act"));
  // kernel * (s1 * s2), bias (s1 * s2) * b + (s2 * b1 + b2), each step float32.
  EXPECT_THAT(g.FindNode("fc")->FindWeight("kernel")->values,
              ElementsAre(0x1.bd895cp-1, -0x1.7c6d0cp-3, 0x1.bd895cp+0, 0x1.1d51c8p-1));
  EXPECT_THAT(g.FindNode("fc")->FindWeight("bias")->values,
              ElementsAre(0x1.03df18p-3, -0x1.940c2ep+0));
}

TEST(FoldBatchNormHls4mlTest, MergedNormalizationKeepsTheLaterNameAndTypes) {
  ir::Graph g = DenseBn({kBn1, kBn2});
  const std::string config = std::string(kAutoConfig) +
                             "  fc:\n    Precision:\n      result: fixed<20,8>\n"
                             "  bn2:\n    Precision:\n      scale: fixed<12,3>\n";
  ASSERT_EQ(ConfigureError(g, config, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "bn2", "act"));
  const ir::Node& bn = *g.FindNode("bn2");
  ASSERT_TRUE(bn.is<ir::ScaleAttrs>());
  EXPECT_EQ(bn.source, "BatchNormalization");
  EXPECT_THAT(bn.FindWeight("scale")->values, ElementsAre(0x1.bd895cp+0, 0x1.7c6d0cp-1));
  EXPECT_THAT(bn.FindWeight("bias")->values, ElementsAre(-0x1.735488p-4, -0x1.79f21ep-4));
  EXPECT_EQ(WeightType(g, "bn2", "scale"), "ap_fixed<12,3>");
  EXPECT_EQ(WeightType(g, "bn2", "bias"), "ap_fixed<16,6>");
}

ir::Graph DepthwiseBn(int64_t multiplier) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {1, 3, 2}).ok());
  ir::DepthwiseConvAttrs a;
  a.depth_multiplier = multiplier;
  a.kernel = {1, 2};
  a.strides = {1, 1};
  a.dilation = {1, 1};
  a.use_bias = false;
  std::vector<double> k = {0.5, -0.25, 1.0, 0.75};
  if (multiplier == 2) k = {0.5, -0.25, 1.0, 0.75, 0.5, 0.5, 0.25, 0.25};
  AddNode(g, "dw", a, {"x"}, {MakeWeight("depthwise_kernel", {1, 2, 2, multiplier}, k)},
          "DepthwiseConv2D");
  Bn bn = kBn1;
  if (multiplier == 2) {
    for (auto* v : {&bn.gamma, &bn.beta, &bn.mean, &bn.var}) {
      std::vector<double> twice = *v;
      twice.insert(twice.end(), v->begin(), v->end());
      *v = twice;
    }
  }
  ir::Node n = BatchNormNode("bn1", "dw", bn);
  for (ir::Weight& w : n.weights) w.shape = {2 * multiplier};
  EXPECT_TRUE(g.AddNode(n).ok());
  Finish(g, "bn1");
  return g;
}

TEST(FoldBatchNormHls4mlTest, DepthwiseFoldReproducesHls4mlsBroadcast) {
  // numpy: [1, 2, 2, 1] * [2] -> [1, 2, 2, 2]; the kernel reads its first 4 entries:
  // s0 * w0, s1 * w0, s0 * w1, s1 * w1.
  constexpr const char* kConfig =
      "Model:\n  Precision: fixed<16,6>\nLayerType:\n  DepthwiseConv2D:\n    Precision: auto\n";
  ir::Graph g = DepthwiseBn(1);
  ASSERT_EQ(ConfigureError(g, kConfig, ConfigureOptions::Hls4ml()), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "dw"));
  EXPECT_THAT(g.FindNode("dw")->FindWeight("depthwise_kernel")->values,
              ElementsAre(0x1.5e657ep-1, 0x1.e93764p-2, -0x1.5e657ep-2, -0x1.e93764p-3));
  EXPECT_THAT(g.outputs(), ElementsAre("dw"));

  ir::Graph h = DepthwiseBn(2);
  EXPECT_THAT(ConfigureError(h, kConfig, ConfigureOptions::Hls4ml()),
              HasSubstr("depth multiplier 2"));
}

TEST(FoldBatchNormHls4mlTest, NopNormalizationIsRemovedAfterInference) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kSigmoid}, {"x"}, {}, "Activation");
  AddNode(g, "one", ir::ScaleAttrs{true}, {"act"},
          {MakeWeight("scale", {2}, {1, 1}), MakeWeight("bias", {2}, {0, 0})},
          "BatchNormalization");
  AddNode(g, "out", ir::ActivationAttrs{ir::ActivationFn::kTanh}, {"one"}, {}, "Activation");
  Finish(g, "out");
  ir::Graph h = g;
  ASSERT_EQ(ConfigureError(g, "Model:\n  Precision: fixed<16,6>\n", ConfigureOptions::Hls4ml()),
            "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "act", "out"));
  // fixnn's default keeps it: its result type is part of what the next layer reads.
  ASSERT_EQ(ConfigureError(h, "Model:\n  Precision: fixed<16,6>\n", {}), "");
  EXPECT_THAT(NodeNames(h), ElementsAre("x", "act", "one", "out"));
}

// The folded graph computes what a Dense built with hls4ml's folded weights computes.
TEST(FoldBatchNormHls4mlTest, EmulatedBitsAreThoseOfTheFoldedWeights) {
  ir::Graph g = DenseBn({kBn1});
  ASSERT_EQ(ConfigureError(g, kAutoConfig, ConfigureOptions::Hls4ml()), "");
  ir::Graph by_hand = DenseBn({}, {0x1.5e657ep-1, -0x1.e93764p-3, 0x1.5e657ep+0, 0x1.6ee98cp-1},
                              {-0x1.1dc14ep-3, -0x1.01fa5p+1});
  ASSERT_EQ(ConfigureError(by_hand, kAutoConfig, ConfigureOptions::Hls4ml()), "");
  const std::vector<double> x = Inputs(2 * 300, 8.0, 1.0 / 16);
  const std::vector<double> y = Emulate(g, x);
  EXPECT_EQ(y, Emulate(by_hand, x));
  // And the folding changed them: the pair computes other bits.
  ir::Graph pair = DenseBn({kBn1});
  ASSERT_TRUE(ApplyConfig(pair, ParseConfig(kAutoConfig)).ok());
  ASSERT_TRUE(InferAutoPrecision(pair).ok());
  EXPECT_NE(Emulate(pair, x), y);
}

// --- kWhenExact ----------------------------------------------------------------------------

// Kernel multiples of 1/8 in fixed<8,3>, bias multiples of 1/8 in fixed<8,4>; the
// normalization's scale is exactly 0.5 and 2 (variance 1, epsilon 0), its bias 0.25 and
// -1.5: every folded value is exact in the layer's types.
constexpr const char* kExactConfig = R"(
Model:
  Precision: fixed<16,6>
LayerType:
  BatchNormalization:
    Precision: auto
LayerName:
  x:
    Precision:
      result: fixed<8,4>
  fc:
    Precision:
      weight: fixed<8,3>
      bias: fixed<8,4>
      accum: auto
      result: auto
  act:
    Precision:
      result: fixed<20,6>
)";
const Bn kExactBn = {{0.5, 2.0}, {0.25, -0.5}, {0.0, 0.5}, {1.0, 1.0}, 0.0};
const std::vector<double> kExactKernel = {0.5, -1.25, 1.375, 0.75};
const std::vector<double> kExactBias = {0.125, -2.0};

ir::Graph Unfolded(const ir::Graph& g, const std::string& yaml) {
  ir::Graph pair = g;
  EXPECT_TRUE(ApplyConfig(pair, ParseConfig(yaml)).ok());
  EXPECT_TRUE(InferAutoPrecision(pair).ok());
  return pair;
}

TEST(FoldBatchNormWhenExactTest, FoldsWhenEveryValueIsExactAndTheBitsAgree) {
  const ir::Graph g0 = DenseBn({kExactBn}, kExactKernel, kExactBias);
  const ir::Graph pair = Unfolded(g0, kExactConfig);
  ir::Graph g = g0;
  ASSERT_EQ(ConfigureError(g, kExactConfig, {}), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "act"));
  EXPECT_THAT(g.FindNode("fc")->FindWeight("kernel")->values, ElementsAre(0.25, -2.5, 0.6875, 1.5));
  // bias' = s * bias + b: 0.5 * 0.125 + 0.25, 2 * -2 + (-0.5 - 2 * 0.5).
  EXPECT_THAT(g.FindNode("fc")->FindWeight("bias")->values, ElementsAre(0.3125, -5.5));
  EXPECT_EQ(WeightType(g, "fc", "kernel"), "ap_fixed<8,3>");
  // The layer's output takes the normalization's type.
  EXPECT_EQ(TensorType(g, "fc"), TensorType(pair, "bn1"));
  const std::vector<double> x = Inputs(2 * 500, 8.0, 1.0 / 16);
  EXPECT_EQ(Emulate(g, x), Emulate(pair, x));
}

TEST(FoldBatchNormWhenExactTest, StaysWhenAFoldedValueIsNotExact) {
  // A float32 scale 1/sqrt(1.001)-ish has 24 significant bits: s * w does not fit fixed<8,3>.
  ir::Graph g = DenseBn({kBn1}, kExactKernel, kExactBias);
  ASSERT_EQ(ConfigureError(g, kExactConfig, {}), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "bn1", "act"));
  EXPECT_EQ(InternalTypeOf(g, "bn1", "scale"), "ap_fixed<16,6>");
}

TEST(FoldBatchNormWhenExactTest, StaysWhenTheLayerRoundsBeforeTheNormalization) {
  // An accumulator too narrow for the exact sum: R(v) != v, which the folded layer cannot
  // reproduce.
  std::string config = kExactConfig;
  config.replace(config.find("      accum: auto"), 17, "      accum: fixed<10,4>");
  ir::Graph g = DenseBn({kExactBn}, kExactKernel, kExactBias);
  ASSERT_EQ(ConfigureError(g, config, {}), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "bn1", "act"));
}

TEST(FoldBatchNormWhenExactTest, ConvolutionChannelsAndAMissingBias) {
  // Conv1D, kernel [2, 2, 3]: channel of entry k is k % 3; no bias, so the folded layer gets
  // one in the normalization's bias type.
  ir::Graph g0;
  ASSERT_TRUE(g0.AddInput("x", {4, 2}).ok());
  ir::ConvAttrs a;
  a.filters = 3;
  a.kernel = {2};
  a.strides = {1};
  a.dilation = {1};
  a.use_bias = false;
  AddNode(g0, "conv", a, {"x"},
          {MakeWeight("kernel", {2, 2, 3},
                      {0.5, -0.25, 1, 0.75, 0.125, -1, 0.25, 0.5, -0.5, 1.5, -0.75, 0.375})},
          "Conv1D");
  Bn bn = {{0.5, 2.0, 0.25}, {0.25, -0.5, 1.0}, {0.0, 0.5, -1.0}, {1.0, 1.0, 1.0}, 0.0};
  ir::Node n = BatchNormNode("bn1", "conv", bn);
  for (ir::Weight& w : n.weights) w.shape = {3};
  ASSERT_TRUE(g0.AddNode(n).ok());
  Finish(g0, "bn1");
  constexpr const char* kConfig = R"(
Model:
  Precision: fixed<16,6>
LayerType:
  BatchNormalization:
    Precision: auto
LayerName:
  x:
    Precision:
      result: fixed<8,4>
  conv:
    Precision:
      weight: fixed<10,3>
      accum: auto
      result: auto
)";
  const ir::Graph pair = Unfolded(g0, kConfig);
  ir::Graph g = g0;
  ASSERT_EQ(ConfigureError(g, kConfig, {}), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "conv"));
  EXPECT_THAT(
      g.FindNode("conv")->FindWeight("kernel")->values,
      ElementsAre(0.25, -0.5, 0.25, 0.375, 0.25, -0.25, 0.125, 1, -0.125, 0.75, -1.5, 0.09375));
  // bias = beta - s * mean: 0.25, -1.5, 1.25.
  EXPECT_THAT(g.FindNode("conv")->FindWeight("bias")->values, ElementsAre(0.25, -1.5, 1.25));
  EXPECT_THAT(g.outputs(), ElementsAre("conv"));
  const std::vector<double> x = Inputs(8 * 200, 8.0, 1.0 / 16);
  EXPECT_EQ(Emulate(g, x), Emulate(pair, x));
}

}  // namespace
}  // namespace fixnn::passes
