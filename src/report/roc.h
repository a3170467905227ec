// Classifier metrics for the report: ROC curves with their area (one class against the rest)
// and the class a row of scores picks.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "support/result.h"

namespace fixnn::report {

// Points from (0, 0) to (1, 1): false positive rate (x) against true positive rate (y), one
// point per distinct score, from the highest score down. Samples with equal scores form one
// step, so the area counts a tied positive/negative pair as half right (the Mann-Whitney U
// statistic divided by positives x negatives).
struct RocCurve {
  std::vector<double> fpr;
  std::vector<double> tpr;
  double auc = 0;
  int64_t positives = 0;
  int64_t negatives = 0;
};

// Errors: the sizes differ, a score is NaN, or there is no positive or no negative sample.
Result<RocCurve> ComputeRoc(std::span<const double> scores, const std::vector<bool>& positive);

// At most `max_points` points of `curve` (keeping the first and the last), for drawing.
RocCurve ThinCurve(const RocCurve& curve, size_t max_points);

// The index of the largest score of each row of `values` ([rows, per] row-major); with one
// score per row, 1 when it is above 0.5 (a sigmoid output), else 0.
std::vector<int64_t> PredictedClasses(std::span<const double> values, int64_t per);

// The fraction of predicted classes equal to the labels (0 for no samples).
double Accuracy(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels);

}  // namespace fixnn::report
