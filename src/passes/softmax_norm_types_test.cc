#include "passes/softmax_norm_types.h"

#include <gtest/gtest.h>

#include "passes/configure.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using testing::Emulate;
using testing::InternalTypeOf;
using testing::ParseConfig;
using testing::Type;

TEST(SoftmaxNormTypeTest, FixnnRuleCoversTheDistancesTheExpTableCanHold) {
  // exp table ap_fixed<18,8>: LSB 2^-10; exp(-8) = 3.4e-4 is below half of it, exp(-4) is not.
  EXPECT_EQ(FixnnSoftmaxNormType(Type("ap_fixed<18,8>"), 1024).ToString(),
            "ap_ufixed<10,3,AP_TRN,AP_SAT>");
  // A finer table needs a wider range: LSB 2^-16, 17 ln 2 = 11.8 -> [0, 16).
  EXPECT_EQ(FixnnSoftmaxNormType(Type("ap_fixed<24,8>"), 256).ToString(),
            "ap_ufixed<8,4,AP_TRN,AP_SAT>");
  // LSB 2^-2: exp(-2) = 0.135 is not below 0.125, exp(-4) is -> [0, 4).
  EXPECT_EQ(FixnnSoftmaxNormType(Type("ap_fixed<4,2>"), 8).ToString(),
            "ap_ufixed<3,2,AP_TRN,AP_SAT>");
}

// x -> Dense (an exact, wide result) -> stable softmax.
ir::Graph DenseSoftmax() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  testing::AddNode(g, "fc", ir::DenseAttrs{3, true}, {"x"},
                   {testing::MakeWeight("kernel", {2, 3}, {1.0, -1.0, 0.5, 0.25, 0.75, -0.5}),
                    testing::MakeWeight("bias", {3}, {0.0, 0.125, -0.125})});
  testing::AddNode(g, "sm", ir::ActivationAttrs{ir::ActivationFn::kSoftmax}, {"fc"});
  testing::Finish(g, "sm");
  return g;
}

constexpr const char* kConfig =
    "Model:\n  Precision: ap_fixed<24,12>\n"
    "LayerName:\n  fc:\n    Precision:\n      result: auto\n      accum: auto\n";

TEST(SoftmaxNormTypeTest, EachPolicyItsRule) {
  ir::Graph own = DenseSoftmax();
  ASSERT_TRUE(Configure(own, ParseConfig(kConfig)).ok());
  EXPECT_EQ(InternalTypeOf(own, "sm", "inp_norm"), "ap_ufixed<10,3,AP_TRN,AP_SAT>");
  ir::Graph hls4ml = DenseSoftmax();
  ASSERT_TRUE(Configure(hls4ml, ParseConfig(kConfig), ConfigureOptions::Hls4ml()).ok());
  const std::string fc = testing::TensorType(hls4ml, "fc");
  const fixed::FixedType t = Type(fc);
  EXPECT_EQ(InternalTypeOf(hls4ml, "sm", "inp_norm"),
            fixed::FixedType::UFixed(t.width - 1, t.integer - 1).ToString());
}

TEST(SoftmaxNormTypeTest, FixnnRuleKeepsTheSoftmaxOfAWideInputInformative) {
  // Logits 0, 1 and 2 apart: the true softmax is about (0.09, 0.24, 0.67). With hls4ml's rule
  // the wide Dense result indexes the exp table in steps of 2^(I-1-10) >= 2, so every distance
  // below that reads exp(0) and the outputs are all about 1/3.
  const std::vector<double> x = {2.0, 0.0};  // fc = (2, -1.875, 0.875)
  ir::Graph own = DenseSoftmax();
  ASSERT_TRUE(Configure(own, ParseConfig(kConfig)).ok());
  const std::vector<double> y = Emulate(own, x);
  ASSERT_EQ(y.size(), 3u);
  EXPECT_GT(y[0], 0.7);
  EXPECT_LT(y[1], 0.05);
  ir::Graph hls4ml = DenseSoftmax();
  ASSERT_TRUE(Configure(hls4ml, ParseConfig(kConfig), ConfigureOptions::Hls4ml()).ok());
  const std::vector<double> z = Emulate(hls4ml, x);
  ASSERT_EQ(z.size(), 3u);
  EXPECT_NEAR(z[0], z[1], 0.01);
  EXPECT_NEAR(z[0], z[2], 0.01);
}

}  // namespace
}  // namespace fixnn::passes
