#include "passes/validate_reuse_factors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/apply_config.h"
#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

TEST(ValidReuseFactorsTest, MatchesHls4ml) {
  // Lists printed by hls4ml 1.3's FPGABackend.get_valid_reuse_factors.
  EXPECT_THAT(ValidReuseFactors(4, 3), ElementsAre(1, 2, 4, 12));
  EXPECT_THAT(ValidReuseFactors(16, 8), ElementsAre(1, 2, 4, 8, 16, 32, 64, 128));
  EXPECT_THAT(ValidReuseFactors(5, 7), ElementsAre(1, 5, 35));
  EXPECT_THAT(ValidReuseFactors(12, 2), ElementsAre(1, 2, 3, 4, 6, 12, 24));
  EXPECT_THAT(ValidReuseFactors(36, 6), ElementsAre(1, 2, 3, 4, 6, 9, 12, 18, 36, 72, 108, 216));
}

// x [4] -> fc (Dense 3): a 4 x 3 product.
ir::Graph DenseGraph() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {4}).ok());
  AddNode(g, "fc", ir::DenseAttrs{3, true}, {"x"},
          {MakeWeight("kernel", {4, 3}, std::vector<double>(12, 0.5)),
           MakeWeight("bias", {3}, std::vector<double>(3, 0))},
          "Dense");
  Finish(g, "fc");
  return g;
}

Status Validate(ir::Graph g, const std::string& yaml, ReuseFactorOptions options = {}) {
  Status s = ApplyConfig(g, ParseConfig(yaml));
  EXPECT_TRUE(s.ok());
  return ValidateReuseFactors(g, options);
}

std::string DenseConfig(const std::string& strategy, int rf) {
  return "Model:\n  Precision: fixed<16,6>\n  Strategy: " + strategy +
         "\n  ReuseFactor: " + std::to_string(rf) + "\n";
}

TEST(ValidateReuseFactorsTest, ResourceRefusesWhatHls4mlWouldReplace) {
  EXPECT_TRUE(Validate(DenseGraph(), DenseConfig("Resource", 4)).ok());
  EXPECT_TRUE(Validate(DenseGraph(), DenseConfig("Resource", 12)).ok());
  Status s = Validate(DenseGraph(), DenseConfig("Resource", 3));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "layer 'fc': ReuseFactor 3 is not valid for Strategy Resource (a 4 x 3 product; "
            "hls4ml would silently use 2); valid values: 1, 2, 4, 12");
  Status big = Validate(DenseGraph(), DenseConfig("Resource", 100));
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.error().message(), HasSubstr("hls4ml would silently use 12"));
}

TEST(ValidateReuseFactorsTest, LatencyTakesAnyReuseFactor) {
  EXPECT_TRUE(Validate(DenseGraph(), DenseConfig("Latency", 3)).ok());
}

TEST(ValidateReuseFactorsTest, ResourceUnrolledAndDistributedArithmetic) {
  EXPECT_TRUE(Validate(DenseGraph(), DenseConfig("ResourceUnrolled", 4)).ok());
  Status max = Validate(DenseGraph(), DenseConfig("ResourceUnrolled", 12));
  ASSERT_FALSE(max.ok());
  EXPECT_THAT(max.error().message(), HasSubstr("valid values: 1, 2, 4"));
  Status one = Validate(DenseGraph(), DenseConfig("ResourceUnrolled", 1));
  ASSERT_FALSE(one.ok());
  EXPECT_THAT(one.error().message(),
              HasSubstr("layer 'fc': Strategy ResourceUnrolled needs ReuseFactor > 1"));
  EXPECT_TRUE(Validate(DenseGraph(), DenseConfig("DistributedArithmetic", 1)).ok());
  Status da = Validate(DenseGraph(), DenseConfig("DA", 2));
  ASSERT_FALSE(da.ok());
  EXPECT_THAT(da.error().message(),
              HasSubstr("layer 'fc': Strategy DistributedArithmetic needs ReuseFactor 1, found 2"));
}

TEST(ValidateReuseFactorsTest, RecurrentProductsAreCheckedSeparately) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {5, 3}).ok());
  ir::RecurrentAttrs a;
  a.cell = ir::RecurrentCell::kLSTM;
  a.units = 2;
  AddNode(g, "lstm", a, {"x"},
          {MakeWeight("kernel", {3, 8}, std::vector<double>(24, 0.5)),
           MakeWeight("recurrent_kernel", {2, 8}, std::vector<double>(16, 0.5)),
           MakeWeight("bias", {8}, std::vector<double>(8, 0))},
          "LSTM");
  Finish(g, "lstm");
  // Input product 3 x 8: 1, 3, 6, 12, 24; recurrent 2 x 8: 1, 2, 4, 8, 16.
  EXPECT_TRUE(Validate(g, R"(
Model:
  Strategy: Resource
  ReuseFactor: 3
  RecurrentReuseFactor: 4
)")
                  .ok());
  Status s = Validate(g, R"(
Model:
  Strategy: Resource
  ReuseFactor: 3
)");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(),
              HasSubstr("layer 'lstm': RecurrentReuseFactor 3 is not valid for Strategy Resource "
                        "(a 2 x 8 product; hls4ml would silently use 2); valid values: 1, 2, 4, "
                        "8, 16"));
  Status in = Validate(g, R"(
Model:
  Strategy: Resource
  ReuseFactor: 2
)");
  ASSERT_FALSE(in.ok());
  EXPECT_THAT(in.error().message(), HasSubstr("ReuseFactor 2 is not valid"));
  EXPECT_THAT(in.error().message(), HasSubstr("valid values: 1, 3, 6, 12, 24"));
}

TEST(ValidateReuseFactorsTest, ConvolutionsAndStrategiesHls4mlWouldSwitch) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {6, 2}).ok());
  ir::ConvAttrs conv;
  conv.filters = 4;
  conv.kernel = {3};
  conv.strides = {1};
  conv.dilation = {1};
  AddNode(g, "conv", conv, {"x"},
          {MakeWeight("kernel", {3, 2, 4}, std::vector<double>(24, 0.5)),
           MakeWeight("bias", {4}, std::vector<double>(4, 0))},
          "Conv1D");
  Finish(g, "conv");
  // A 6 x 4 product: 1, 2, 3, 6, 12, 24 (and 12 for io_stream with ResourceUnrolled).
  EXPECT_TRUE(Validate(g, "Model:\n  Strategy: Resource\n  ReuseFactor: 6\n").ok());
  Status s = Validate(g, "Model:\n  Strategy: Resource\n  ReuseFactor: 4\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(), HasSubstr("(a 6 x 4 product"));
  Status parallel = Validate(g, "Model:\n  Strategy: ResourceUnrolled\n  ReuseFactor: 6\n");
  ASSERT_FALSE(parallel.ok());
  EXPECT_THAT(parallel.error().message(), HasSubstr("not available for convolutions with "
                                                    "io_parallel"));
  ReuseFactorOptions stream;
  stream.io_stream = true;
  EXPECT_TRUE(Validate(g, "Model:\n  Strategy: ResourceUnrolled\n  ReuseFactor: 6\n", stream).ok());
}

}  // namespace
}  // namespace fixnn::passes
