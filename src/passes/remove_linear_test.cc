#include "passes/remove_linear.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/apply_config.h"
#include "passes/configure.h"
#include "passes/infer_auto_precision.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

ir::Node Linear(const std::string& name, const std::string& input) {
  ir::Node n;
  n.name = name;
  n.source = "Activation";
  n.attrs = ir::ActivationAttrs{ir::ActivationFn::kLinear};
  n.inputs = {input};
  n.outputs = {name};
  return n;
}

// QActivation(quantized_bits(6, 1)): hls4ml's Activation 'linear' with the quantizer's type.
ir::Node QBits(const std::string& name, const std::string& input) {
  ir::Node n;
  n.name = name;
  n.source = "QActivation";
  n.attrs = ir::QuantizeAttrs{};
  n.output_quantizer = FixedQuantizer("ap_fixed<6,2,AP_RND_CONV,AP_SAT>");
  n.inputs = {input};
  n.outputs = {name};
  return n;
}

ir::Graph DenseThen(ir::Node after, bool second_reader = false) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {0.5, -0.25, 1.0, 0.75}),
           MakeWeight("bias", {2}, {0.125, -2.0})},
          "Dense");
  const std::string out = after.name;
  EXPECT_TRUE(g.AddNode(std::move(after)).ok());
  if (second_reader) {
    AddNode(g, "add", ir::MergeAttrs{ir::MergeKind::kAdd}, {out, "fc"}, {}, "Add");
    Finish(g, "add");
  } else {
    Finish(g, out);
  }
  return g;
}

std::string Remove(ir::Graph& g, const std::string& yaml, LinearMergePolicy policy) {
  const config::HlsConfig c = ParseConfig(yaml);
  if (Status s = ApplyConfig(g, c); !s.ok()) return s.error().message();
  for (;;) {
    Result<bool> r = RemoveLinear(g, c, policy);
    if (!r.ok()) return r.error().message();
    if (!*r) return "";
  }
}

constexpr const char* kAuto = R"(
Model:
  Precision: fixed<16,6>
LayerType:
  Dense:
    Precision: auto
LayerName:
  x:
    Precision:
      result: fixed<8,4>
  q:
    Precision:
      result: ap_fixed<6,2,AP_RND_CONV,AP_SAT>
)";

TEST(RemoveLinearTest, WhatIsALinearActivation) {
  EXPECT_TRUE(IsLinearActivation(Linear("lin", "fc")));
  EXPECT_TRUE(IsLinearActivation(QBits("q", "fc")));
  ir::Node relu = Linear("r", "fc");
  relu.attrs = ir::ActivationAttrs{ir::ActivationFn::kReLU};
  EXPECT_FALSE(IsLinearActivation(relu));
  ir::Node qrelu = QBits("qr", "fc");
  qrelu.output_quantizer->kind = ir::QuantizerKind::kReLU;  // QActivation(quantized_relu)
  EXPECT_FALSE(IsLinearActivation(qrelu));
  ir::Node hgq = QBits("h", "fc");
  hgq.source = "FixedPointQuantizer";  // HGQ keeps its own layer class
  EXPECT_FALSE(IsLinearActivation(hgq));
}

TEST(RemoveLinearTest, EliminatesWhenBothAreAuto) {
  ir::Graph g = DenseThen(Linear("lin", "fc"));
  ASSERT_EQ(
      Remove(g, std::string(kAuto) + "  lin:\n    Precision: auto\n", LinearMergePolicy::kHls4ml),
      "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc"));
  EXPECT_THAT(g.outputs(), ElementsAre("fc"));
}

TEST(RemoveLinearTest, EliminatesAfterAnAutoInput) {
  // An Input configured "auto" is "auto" to hls4ml until inference.
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {2}).ok());
  ASSERT_TRUE(g.AddNode(Linear("lin", "x")).ok());
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kSigmoid}, {"lin"}, {}, "Activation");
  Finish(g, "act");
  ir::Graph h = g;
  ASSERT_EQ(
      Remove(g,
             "LayerName:\n  x:\n    Precision:\n      result: auto\n  lin:\n    Precision: auto\n",
             LinearMergePolicy::kHls4ml),
      "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "act"));
  // With a typed input and an "auto" activation, the types differ and an Input is no safe
  // parent: the activation stays (a cast into the Model default).
  ASSERT_EQ(Remove(h, "LayerName:\n  lin:\n    Precision: auto\n", LinearMergePolicy::kHls4ml), "");
  EXPECT_THAT(NodeNames(h), ElementsAre("x", "lin", "act"));
}

TEST(RemoveLinearTest, EliminatesEqualTypesAndKeepsACastAfterAnUnsafeParent) {
  auto graph = [] {
    ir::Graph g;
    EXPECT_TRUE(g.AddInput("x", {2, 2}).ok());
    AddNode(g, "flat", ir::FlattenAttrs{}, {"x"}, {}, "Flatten");
    EXPECT_TRUE(g.AddNode(Linear("lin", "flat")).ok());
    Finish(g, "lin");
    return g;
  };
  ir::Graph same = graph();
  ASSERT_EQ(Remove(same, "Model:\n  Precision: fixed<16,6>\n", LinearMergePolicy::kHls4ml), "");
  EXPECT_THAT(NodeNames(same), ElementsAre("x", "flat"));
  ir::Graph cast = graph();
  ASSERT_EQ(Remove(cast,
                   "Model:\n  Precision: fixed<16,6>\nLayerName:\n  lin:\n    Precision: "
                   "fixed<10,4>\n",
                   LinearMergePolicy::kHls4ml),
            "");
  EXPECT_THAT(NodeNames(cast), ElementsAre("x", "flat", "lin"));
  // hls4ml's equality tells ap_int<8> from ap_fixed<8,8>.
  ir::Graph spelled = graph();
  ASSERT_EQ(
      Remove(spelled,
             "Model:\n  Precision: fixed<8,8>\nLayerName:\n  lin:\n    Precision: ap_int<8>\n",
             LinearMergePolicy::kHls4ml),
      "");
  EXPECT_THAT(NodeNames(spelled), ElementsAre("x", "flat", "lin"));
}

TEST(RemoveLinearTest, MergeDropsTheTypeAsHls4mlDoes) {
  ir::Graph g = DenseThen(QBits("q", "fc"));
  ASSERT_EQ(Remove(g, kAuto, LinearMergePolicy::kHls4ml), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc"));
  ASSERT_TRUE(InferAutoPrecision(g).ok());
  EXPECT_NE(TensorType(g, "fc"), "ap_fixed<6,2,AP_RND_CONV,AP_SAT>");
}

TEST(RemoveLinearTest, MergeKeepsTheTypeByDefault) {
  ir::Graph g = DenseThen(QBits("q", "fc"));
  ASSERT_EQ(Remove(g, kAuto, LinearMergePolicy::kKeepType), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc"));
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<6,2,AP_RND_CONV,AP_SAT>");
  EXPECT_THAT(g.FindNode("fc")->settings.auto_precisions,
              ::testing::Not(::testing::Contains("result")));
}

TEST(RemoveLinearTest, KeepTypeKeepsTheActivationWhenTheParentHasOtherReaders) {
  ir::Graph g = DenseThen(QBits("q", "fc"), /*second_reader=*/true);
  ASSERT_EQ(Remove(g, kAuto, LinearMergePolicy::kKeepType), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "q", "add"));
  ir::Graph h = DenseThen(QBits("q", "fc"), /*second_reader=*/true);
  ASSERT_EQ(Remove(h, kAuto, LinearMergePolicy::kHls4ml), "");
  EXPECT_THAT(NodeNames(h), ElementsAre("x", "fc", "add"));
  EXPECT_THAT(h.FindNode("add")->inputs, ElementsAre("fc", "fc"));
}

TEST(RemoveLinearTest, KeepTypeUsesTheQuantizerForAnAutoQuantize) {
  ir::Graph g = DenseThen(QBits("q", "fc"));
  std::string config = kAuto;
  config.replace(config.find("      result: ap_fixed<6,2,AP_RND_CONV,AP_SAT>"), 46,
                 "      result: auto");
  ASSERT_EQ(Remove(g, config, LinearMergePolicy::kKeepType), "");
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc"));
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<6,2,AP_RND_CONV,AP_SAT>");
}

// The bits: keeping the type computes what Dense-then-quantize computes; hls4ml's merge
// computes what the Dense alone computes.
TEST(RemoveLinearTest, EmulatedBitsBeforeAndAfter) {
  const std::vector<double> x = Inputs(2 * 400, 8.0, 1.0 / 16);
  ir::Graph before = DenseThen(QBits("q", "fc"));
  ASSERT_TRUE(ApplyConfig(before, ParseConfig(kAuto)).ok());
  ASSERT_TRUE(InferAutoPrecision(before).ok());
  const std::vector<double> quantized = Emulate(before, x);

  ir::Graph keep = DenseThen(QBits("q", "fc"));
  ASSERT_TRUE(Configure(keep, ParseConfig(kAuto)).ok());
  EXPECT_THAT(NodeNames(keep), ElementsAre("x", "fc"));
  EXPECT_EQ(Emulate(keep, x), quantized);

  ir::Graph hls = DenseThen(QBits("q", "fc"));
  ASSERT_TRUE(Configure(hls, ParseConfig(kAuto), ConfigureOptions::Hls4ml()).ok());
  ir::Graph dense_only;
  ASSERT_TRUE(dense_only.AddInput("x", {2}).ok());
  AddNode(dense_only, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {0.5, -0.25, 1.0, 0.75}),
           MakeWeight("bias", {2}, {0.125, -2.0})},
          "Dense");
  Finish(dense_only, "fc");
  ASSERT_TRUE(Configure(dense_only, ParseConfig("Model:\n  Precision: fixed<16,6>\nLayerType:\n  "
                                                "Dense:\n    Precision: auto\nLayerName:\n  x:\n   "
                                                " Precision:\n      result: fixed<8,4>\n"))
                  .ok());
  const std::vector<double> unquantized = Emulate(hls, x);
  EXPECT_EQ(unquantized, Emulate(dense_only, x));
  EXPECT_NE(unquantized, quantized);
}

}  // namespace
}  // namespace fixnn::passes
