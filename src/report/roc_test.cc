#include "report/roc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace fixnn::report {
namespace {

RocCurve RocOrFail(const std::vector<double>& scores, const std::vector<bool>& positive) {
  Result<RocCurve> r = ComputeRoc(scores, positive);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : RocCurve{};
}

TEST(RocTest, PerfectSeparationHasAreaOne) {
  const RocCurve c = RocOrFail({0.9, 0.8, 0.3, 0.1}, {true, true, false, false});
  EXPECT_DOUBLE_EQ(c.auc, 1.0);
  EXPECT_EQ(c.positives, 2);
  EXPECT_EQ(c.negatives, 2);
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 0.5, 1, 1, 1}));
}

TEST(RocTest, ReversedScoresHaveAreaZero) {
  const RocCurve c = RocOrFail({0.9, 0.8, 0.3, 0.1}, {false, false, true, true});
  EXPECT_DOUBLE_EQ(c.auc, 0.0);
}

// scikit-learn's roc_curve example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8].
TEST(RocTest, HandComputedMixedCase) {
  const RocCurve c = RocOrFail({0.1, 0.4, 0.35, 0.8}, {false, false, true, true});
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0, 0.5, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
  EXPECT_DOUBLE_EQ(c.auc, 0.75);
}

// Scores that carry no information: the area of a coin toss.
TEST(RocTest, ConstantScoresAreOneDiagonalStep) {
  const RocCurve c = RocOrFail({0.3, 0.3, 0.3, 0.3, 0.3}, {true, false, true, false, false});
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 1}));
  EXPECT_DOUBLE_EQ(c.auc, 0.5);
}

// A positive tied with one negative and above the other: (0.5 + 1) / 2 pairs right.
TEST(RocTest, TiesCountHalf) {
  const RocCurve c = RocOrFail({0.5, 0.5, 0.2}, {true, false, false});
  EXPECT_EQ(c.fpr, (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(c.tpr, (std::vector<double>{0, 1, 1}));
  EXPECT_DOUBLE_EQ(c.auc, 0.75);
  // The same against the Mann-Whitney count on a larger case with several tie groups:
  // positives {3, 2, 2, 1}, negatives {2, 1, 1, 0}.
  const RocCurve d =
      RocOrFail({3, 2, 2, 1, 2, 1, 1, 0}, {true, true, true, true, false, false, false, false});
  // Pairs (p, n): p > n counts 1, p == n counts 0.5. 3: 4; 2: 3 + 0.5 each (x2);
  // 1: 1 + 2 x 0.5. Total 4 + 7 + 2 = 13 of 16.
  EXPECT_DOUBLE_EQ(d.auc, 13.0 / 16.0);
}

TEST(RocTest, RefusesWhatHasNoCurve) {
  EXPECT_FALSE(ComputeRoc(std::vector<double>{0.1, 0.2}, {true, true}).ok());
  EXPECT_FALSE(ComputeRoc(std::vector<double>{0.1, 0.2}, {false, false}).ok());
  EXPECT_FALSE(ComputeRoc(std::vector<double>{0.1}, {true, false}).ok());
  Result<RocCurve> nan =
      ComputeRoc(std::vector<double>{0.1, std::numeric_limits<double>::quiet_NaN()}, {true, false});
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.error().message().find("NaN"), std::string::npos);
}

TEST(RocTest, ThinCurveKeepsTheEnds) {
  RocCurve c;
  for (int i = 0; i <= 100; ++i) c.fpr.push_back(i / 100.0), c.tpr.push_back(i / 100.0);
  const RocCurve t = ThinCurve(c, 11);
  ASSERT_EQ(t.fpr.size(), 11u);
  EXPECT_DOUBLE_EQ(t.fpr.front(), 0.0);
  EXPECT_DOUBLE_EQ(t.fpr[5], 0.5);
  EXPECT_DOUBLE_EQ(t.fpr.back(), 1.0);
  EXPECT_EQ(ThinCurve(c, 1000).fpr.size(), 101u);
}

TEST(RocTest, PredictedClassesAndAccuracy) {
  const std::vector<double> scores = {0.1, 0.7, 0.2, 0.6, 0.3, 0.1, 0.2, 0.2, 0.6};
  EXPECT_EQ(PredictedClasses(scores, 3), (std::vector<int64_t>{1, 0, 2}));
  EXPECT_EQ(PredictedClasses(std::vector<double>{0.2, 0.9, 0.5}, 1),
            (std::vector<int64_t>{0, 1, 0}));
  EXPECT_DOUBLE_EQ(Accuracy({1, 0, 2}, {1, 1, 2}), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(Accuracy({}, {}), 0.0);
}

}  // namespace
}  // namespace fixnn::report
