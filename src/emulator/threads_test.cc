// Running on several threads gives the same outputs, overflow counts and errors as one thread.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::DenseNode;

ir::Graph SaturatingChain() {
  // Narrow accumulator and result so that many values wrap or saturate.
  std::vector<double> kernel(24), bias = {0.5, -0.25, 1.0};
  for (size_t i = 0; i < kernel.size(); ++i) kernel[i] = (static_cast<double>(i % 7) - 3.0) * 0.375;
  return ChainBuilder({8}, "fixed<10,4,RND,SAT>")
      .Add(DenseNode("d", 8, 3, kernel, bias, "fixed<8,3>", "fixed<8,3>", "fixed<12,4,TRN,WRAP>"),
           "fixed<8,3,RND,SAT>")
      .Finish();
}

Batch RandomBatch(int64_t samples, int64_t width, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 6.0);
  Batch b;
  b.shape = {samples, width};
  b.values.resize(static_cast<size_t>(samples * width));
  for (double& v : b.values) v = normal(rng);
  return b;
}

TEST(EmulatorThreads, ResultsAndCountsDoNotDependOnTheThreadCount) {
  const ir::Graph g = SaturatingChain();
  const std::vector<Batch> in = {RandomBatch(5000, 8, 3)};
  Result<Emulator> one = Emulator::Create(g, {.threads = 1});
  ASSERT_TRUE(one.ok()) << one.error().message();
  OverflowReport one_report;
  Result<std::vector<Batch>> expected = one->Run(in, nullptr, &one_report);
  ASSERT_TRUE(expected.ok());
  ASSERT_GT(one_report.total(), 0);
  for (int threads : {2, 3, 7, 0}) {
    Result<Emulator> many = Emulator::Create(g, {.threads = threads});
    ASSERT_TRUE(many.ok());
    OverflowReport report;
    Result<std::vector<Batch>> got = many->Run(in, nullptr, &report);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->at(0).values, expected->at(0).values) << threads << " threads";
    ASSERT_EQ(report.nodes.size(), one_report.nodes.size());
    for (size_t n = 0; n < report.nodes.size(); ++n) {
      ASSERT_EQ(report.nodes[n].sites.size(), one_report.nodes[n].sites.size());
      for (size_t s = 0; s < report.nodes[n].sites.size(); ++s) {
        const CastSite& a = report.nodes[n].sites[s];
        const CastSite& b = one_report.nodes[n].sites[s];
        EXPECT_EQ(a.casts, b.casts);
        EXPECT_EQ(a.overflow, b.overflow) << report.nodes[n].node << " " << a.site;
        EXPECT_EQ(a.underflow, b.underflow) << report.nodes[n].node << " " << a.site;
      }
    }
  }
}

TEST(EmulatorThreads, TheFirstBadSampleIsReported) {
  const ir::Graph g = SaturatingChain();
  std::vector<Batch> in = {RandomBatch(4000, 8, 5)};
  in[0].values[3100 * 8 + 2] = std::nan("");
  in[0].values[1200 * 8 + 5] = INFINITY;
  Result<Emulator> e = Emulator::Create(g, {.threads = 4});
  ASSERT_TRUE(e.ok());
  Result<std::vector<Batch>> got = e->Run(in);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message().find("sample 1200"), std::string::npos) << got.error().message();
}

}  // namespace
}  // namespace fixnn::emulator
