#include "passes/split_qkeras_alpha.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "emulator/emulator.h"
#include "passes/apply_config.h"
#include "passes/configure.h"
#include "passes/infer_auto_precision.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

// quantized_bits(4, 0, alpha=[0.5, 0.25]): grid ap_fixed<4,1> (LSB 1/8), y = s_c * Q(x).
ir::Quantizer ExplicitAlpha() {
  ir::Quantizer q = FixedQuantizer("ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  q.alpha = ir::AlphaKind::kValue;
  q.scale = {0.5, 0.25};
  return q;
}

// x[2] -> fc (Dense 2 -> 2, alpha kernel, quantized bias) -> act (relu).
ir::Graph AlphaGraph(const ir::Quantizer& kernel_q, bool bias = true) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  ir::Weight kernel = MakeWeight("kernel", {2, 2}, {0.26, -0.5, 0.74, 0.13});
  kernel.quantizer = kernel_q;
  std::vector<ir::Weight> weights = {kernel};
  if (bias) {
    ir::Weight b = MakeWeight("bias", {2}, {0.3, -1.0});
    b.quantizer = FixedQuantizer("ap_fixed<8,4,AP_RND_CONV,AP_SAT>");
    weights.push_back(b);
  }
  AddNode(g, "fc", ir::DenseAttrs{2, bias}, {"x"}, weights, "QDense");
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kReLU}, {"fc"}, {}, "Activation");
  Finish(g, "act");
  return g;
}

TEST(SplitQKerasAlphaTest, ExplicitAlphaBecomesAScaleLayer) {
  ir::Graph g = AlphaGraph(ExplicitAlpha());
  Result<bool> changed = SplitQKerasAlpha(g);
  ASSERT_TRUE(changed.ok()) << changed.error().message();
  EXPECT_TRUE(*changed);
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "fc_alpha", "act"));
  const ir::Node& fc = *g.FindNode("fc");
  // The kernel holds the grid values (0.26 -> 0.25, 0.74 -> 0.75, 0.13 -> 0.125), unscaled.
  EXPECT_THAT(fc.FindWeight("kernel")->values, ElementsAre(0.25, -0.5, 0.75, 0.125));
  ASSERT_TRUE(fc.FindWeight("kernel")->quantizer.has_value());
  EXPECT_TRUE(fc.FindWeight("kernel")->quantizer->scale.empty());
  EXPECT_EQ(fc.FindWeight("kernel")->quantizer->alpha, ir::AlphaKind::kNone);
  EXPECT_THAT(fc.FindWeight("bias")->values, ElementsAre(0.0, 0.0));
  EXPECT_TRUE(fc.FindWeight("bias")->quantizer.has_value());

  const ir::Node& alpha = *g.FindNode("fc_alpha");
  EXPECT_EQ(alpha.source, "ApplyAlpha");
  EXPECT_TRUE(alpha.as<ir::ScaleAttrs>().use_bias);
  EXPECT_THAT(alpha.inputs, ElementsAre("fc"));
  EXPECT_THAT(alpha.FindWeight("scale")->values, ElementsAre(0.5, 0.25));
  EXPECT_FALSE(alpha.FindWeight("scale")->quantizer.has_value());
  // The bias moves as the layer held it, quantized (0.3 -> 0.3125), with its quantizer.
  EXPECT_THAT(alpha.FindWeight("bias")->values, ElementsAre(0.3125, -1.0));
  EXPECT_TRUE(alpha.FindWeight("bias")->quantizer.has_value());
  EXPECT_THAT(g.FindNode("act")->inputs, ElementsAre("fc_alpha"));
  EXPECT_THAT(g.FindTensor("fc_alpha")->shape, ElementsAre(2));

  // Nothing left to split.
  changed = SplitQKerasAlpha(g);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);
}

TEST(SplitQKerasAlphaTest, NoBiasGivesAZeroBias) {
  ir::Graph g = AlphaGraph(ExplicitAlpha(), /*bias=*/false);
  ASSERT_TRUE(SplitQKerasAlpha(g).ok());
  EXPECT_EQ(g.FindNode("fc")->FindWeight("bias"), nullptr);
  const ir::Weight* b = g.FindNode("fc_alpha")->FindWeight("bias");
  ASSERT_NE(b, nullptr);
  EXPECT_THAT(b->values, ElementsAre(0.0, 0.0));
  EXPECT_FALSE(b->quantizer.has_value());
}

TEST(SplitQKerasAlphaTest, AlphaOneAndDepthwiseAreLeftAlone) {
  ir::Quantizer one = FixedQuantizer("ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  one.alpha = ir::AlphaKind::kValue;  // alpha=1: the frontend keeps no scale
  ir::Graph g = AlphaGraph(one);
  Result<bool> changed = SplitQKerasAlpha(g);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "act"));
}

TEST(SplitQKerasAlphaTest, AutoPo2ScaleTakesHls4mlsPowerOfTwoQuantizer) {
  ir::Quantizer q = FixedQuantizer("ap_fixed<4,1,AP_RND_INF,AP_SAT_SYM>");
  q.alpha = ir::AlphaKind::kAutoPo2;
  q.scale_mode = ir::ScaleMode::kAround;
  q.scale = {4.0, 0.125};
  ir::Graph g = AlphaGraph(q);
  ASSERT_TRUE(SplitQKerasAlpha(g).ok());
  // kAround: y = s * Q(x / s); the kernel keeps Q(x / s).
  EXPECT_THAT(g.FindNode("fc")->FindWeight("kernel")->values,
              ElementsAre(0.125 /* 0.26/4 = 0.065 */, -0.875 /* -0.5/0.125 = -4, clipped */,
                          0.125 /* 0.74/4 = 0.185 */, 0.875 /* 0.13/0.125 = 1.04, clipped */));
  const ir::Weight* scale = g.FindNode("fc_alpha")->FindWeight("scale");
  ASSERT_TRUE(scale->quantizer.has_value());
  // max |log2 s| = 3: quantized_po2(4), exponents [-4, 3].
  EXPECT_EQ(scale->quantizer->kind, ir::QuantizerKind::kPo2);
  EXPECT_EQ(scale->quantizer->spelling, "quantized_po2(4)");
  EXPECT_EQ(scale->quantizer->min_exponent, -4);
  EXPECT_EQ(scale->quantizer->max_exponent, 3);
  std::vector<double> stored = scale->values;
  ir::ApplyQuantizer(*scale->quantizer, stored);
  EXPECT_THAT(stored, ElementsAre(4.0, 0.125));
}

TEST(SplitQKerasAlphaTest, Po2ScaleQuantizerClipsAsHls4mlDoes) {
  // max |log2 s| = 2 gives quantized_po2(3), exponents [-2, 1]: QKeras clips 4 to 2 (checked
  // with QKeras 0.9.0: quantized_po2(3)([4, 0.25, 2, 0.125]) = [2, 0.25, 2, 0.25]).
  const ir::Quantizer q = Po2ScaleQuantizer({4.0, 0.25});
  EXPECT_EQ(q.spelling, "quantized_po2(3)");
  std::vector<double> v = {4.0, 0.25, 2.0, 0.125};
  ir::ApplyQuantizer(q, v);
  EXPECT_THAT(v, ElementsAre(2.0, 0.25, 2.0, 0.25));
}

TEST(SplitQKerasAlphaTest, Po2ScaleQuantizerKeepsTheScalesOutsideHls4mlMode) {
  // fixnn's own mode: the exponents span those of the scales, [-2, 2], so 4 stays 4.
  const ir::Quantizer q = Po2ScaleQuantizer({4.0, 0.25}, /*hls4ml_range=*/false);
  EXPECT_EQ(q.spelling, "the power-of-two scales 2^-2..2^2");
  EXPECT_EQ(q.type.ToString(), "ap_fixed<6,4,AP_RND_CONV,AP_SAT>");
  std::vector<double> v = {4.0, 0.25, 2.0, 1.0};
  ir::ApplyQuantizer(q, v);
  EXPECT_THAT(v, ElementsAre(4.0, 0.25, 2.0, 1.0));
  // A scale of 2 alone: hls4ml's quantized_po2(2) spans [-1, 0] and gives 1.
  std::vector<double> two = {2.0};
  ir::ApplyQuantizer(Po2ScaleQuantizer({2.0}), two);
  EXPECT_THAT(two, ElementsAre(1.0));
  two = {2.0};
  ir::ApplyQuantizer(Po2ScaleQuantizer({2.0}, false), two);
  EXPECT_THAT(two, ElementsAre(2.0));
}

constexpr const char* kAlphaConfig = R"(
Model:
  Precision: fixed<16,6>
LayerType:
  ApplyAlpha:
    Precision: fixed<4,2>
LayerName:
  fc:
    ReuseFactor: 2
    Trace: true
  fc_alpha:
    Precision:
      scale: fixed<12,2>
    ReuseFactor: 4
)";

TEST(SplitQKerasAlphaTest, TheAlphaLayerGetsHls4mlsTypes) {
  ir::Graph g = AlphaGraph(ExplicitAlpha());
  ASSERT_TRUE(SplitQKerasAlpha(g).ok());
  ASSERT_TRUE(ApplyConfig(g, ParseConfig(kAlphaConfig)).ok());
  const ir::Node& alpha = *g.FindNode("fc_alpha");
  // The LayerType entry does not apply; the scale named by the LayerName entry does; the bias
  // is in its quantizer's type; the result is left to inference.
  EXPECT_EQ(WeightType(g, "fc_alpha", "scale"), "ap_fixed<12,2>");
  EXPECT_EQ(WeightType(g, "fc_alpha", "bias"), "ap_fixed<8,4,AP_RND_CONV,AP_SAT>");
  EXPECT_THAT(alpha.settings.auto_precisions, ElementsAre("result"));
  EXPECT_EQ(alpha.settings.reuse_factor, 2);
  EXPECT_TRUE(alpha.settings.trace);
  ASSERT_TRUE(InferAutoPrecision(g).ok());
  // fc: exact accumulator over x in fixed<16,6>; the alpha: hls4ml's batch normalization rule.
  EXPECT_NE(TensorType(g, "fc_alpha"), "unset");
}

TEST(SplitQKerasAlphaTest, UnnamedScaleIsTheModelDefaultAndPo2ResultTheDefault) {
  ir::Quantizer q = FixedQuantizer("ap_fixed<4,1,AP_RND_INF,AP_SAT_SYM>");
  q.alpha = ir::AlphaKind::kAutoPo2;
  q.scale_mode = ir::ScaleMode::kAround;
  q.scale = {4.0, 0.125};
  ir::Graph g = AlphaGraph(q);
  ASSERT_TRUE(SplitQKerasAlpha(g).ok());
  ASSERT_TRUE(ApplyConfig(g, ParseConfig("Model:\n  Precision: fixed<16,6>\n")).ok());
  // quantized_po2(4): the narrowest fixed type holding +-2^-4 .. +-2^3. The result stays
  // "auto" until inference (hls4ml's linear-activation passes see it so), which gives the
  // Model default: hls4ml infers nothing over an exponent type.
  EXPECT_EQ(WeightType(g, "fc_alpha", "scale"), "ap_fixed<9,5,AP_RND_CONV,AP_SAT>");
  EXPECT_THAT(g.FindNode("fc_alpha")->settings.auto_precisions, ElementsAre("result"));
  ASSERT_TRUE(InferAutoPrecision(g).ok());
  EXPECT_EQ(TensorType(g, "fc_alpha"), "ap_fixed<16,6>");

  ir::Graph h = AlphaGraph(ExplicitAlpha());
  ASSERT_TRUE(SplitQKerasAlpha(h).ok());
  ASSERT_TRUE(ApplyConfig(h, ParseConfig("Model:\n  Precision: fixed<16,6>\n")).ok());
  ASSERT_TRUE(InferAutoPrecision(h).ok());
  EXPECT_EQ(WeightType(h, "fc_alpha", "scale"), "ap_fixed<16,6>");
}

// The bits. Before the split, the emulator refuses the scaled kernel (hls4ml would store
// s * Q = 0.125, -0.125 | 0.375, 0.03125 in the quantizer's type ap_fixed<4,1>, losing 0.03125).
// After it, the Dense is exact and the alpha layer multiplies by the scale stored in
// fixed<16,6> (0.5 and 0.25 exactly): y_c = relu((x . Q_c) * s_c + b_c), worked out here.
TEST(SplitQKerasAlphaTest, EmulatedBitsBeforeAndAfter) {
  constexpr const char* kConfig = R"(
Model:
  Precision: fixed<16,6>
LayerName:
  x:
    Precision:
      result: fixed<8,4>
  act:
    Precision:
      result: fixed<24,8>
)";
  ir::Graph before = AlphaGraph(ExplicitAlpha());
  ASSERT_TRUE(ApplyConfig(before, ParseConfig(kConfig)).ok());
  ASSERT_TRUE(InferAutoPrecision(before).ok());
  Result<emulator::Emulator> refused = emulator::Emulator::Create(before);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message(), ::testing::HasSubstr("quantizer scale (alpha)"));

  const std::vector<double> x = Inputs(2 * 200, 8.0, 1.0 / 16);
  std::vector<double> expected;
  for (size_t i = 0; i < x.size(); i += 2) {
    const double x0 = x[i], x1 = x[i + 1];
    expected.push_back(std::max((x0 * 0.25 + x1 * 0.75) * 0.5 + 0.3125, 0.0));
    expected.push_back(std::max((x0 * -0.5 + x1 * 0.125) * 0.25 - 1.0, 0.0));
  }
  ir::Graph after = AlphaGraph(ExplicitAlpha());
  Status s = Configure(after, ParseConfig(kConfig), ConfigureOptions::Hls4ml());
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_THAT(NodeNames(after), ElementsAre("x", "fc", "fc_alpha", "act"));
  EXPECT_EQ(Emulate(after, x), expected);
}

}  // namespace
}  // namespace fixnn::passes
