#include "passes/classify_weights.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/apply_config.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

TEST(ClassifyWeightsTest, CountsZerosAndPowersOfTwoInTheConfiguredType) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {4}).ok());
  // In fixed<8,3> (LSB 1/32): 0.3 becomes 0.28125 and 1/64 becomes 0.
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {4, 2}, {0, 0.5, -0.25, 0.75, 3, -2, 0.3, 1.0 / 64}),
           MakeWeight("bias", {2}, {1, 0})},
          "Dense");
  // Quantized to ap_fixed<4,1> first: 0.25, 0, 0.75, -0.875.
  ir::Weight qkernel = MakeWeight("kernel", {2, 2}, {0.3, 0.05, 0.7, -0.9});
  qkernel.quantizer = FixedQuantizer("ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  AddNode(g, "qfc", ir::DenseAttrs{2, false}, {"fc"}, {qkernel}, "QDense");
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kReLU}, {"qfc"}, {}, "ReLU");
  Finish(g, "act");
  ASSERT_TRUE(ApplyConfig(g, ParseConfig("Model:\n  Precision: fixed<8,3>\n")).ok());
  ASSERT_TRUE(ClassifyWeights(g).ok());

  const std::vector<ir::WeightClassCounts>& fc = g.FindNode("fc")->weight_classes;
  ASSERT_EQ(fc.size(), 2u);
  EXPECT_EQ(fc[0].weight, "kernel");
  EXPECT_EQ(fc[0].total, 8);
  EXPECT_EQ(fc[0].zeros, 2);
  EXPECT_EQ(fc[0].powers_of_two, 3);  // 0.5, -0.25, -2
  EXPECT_EQ(fc[1].weight, "bias");
  EXPECT_EQ(fc[1].zeros, 1);
  EXPECT_EQ(fc[1].powers_of_two, 1);
  const std::vector<ir::WeightClassCounts>& q = g.FindNode("qfc")->weight_classes;
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].total, 4);
  EXPECT_EQ(q[0].zeros, 1);
  EXPECT_EQ(q[0].powers_of_two, 1);  // 0.25
  EXPECT_TRUE(g.FindNode("act")->weight_classes.empty());
}

TEST(ClassifyWeightsTest, NeedsConfiguredWeights) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {1}).ok());
  AddNode(g, "fc", ir::DenseAttrs{1, false}, {"x"}, {MakeWeight("kernel", {1, 1}, {1})}, "Dense");
  Finish(g, "fc");
  Status s = ClassifyWeights(g);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(),
              HasSubstr("layer 'fc': weight 'kernel' has no configured precision"));
}

}  // namespace
}  // namespace fixnn::passes
