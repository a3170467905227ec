#include "report/roc.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace fixnn::report {

Result<RocCurve> ComputeRoc(std::span<const double> scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size()) {
    return Error(fmt::format("ROC: {} scores but {} labels", scores.size(), positive.size()));
  }
  RocCurve c;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (std::isnan(scores[i])) return Error(fmt::format("ROC: score {} is NaN", i));
    (positive[i] ? c.positives : c.negatives) += 1;
  }
  if (c.positives == 0 || c.negatives == 0) {
    return Error(fmt::format("ROC: needs positive and negative samples ({} positive, {} negative)",
                             c.positives, c.negatives));
  }
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  c.fpr.push_back(0);
  c.tpr.push_back(0);
  int64_t tp = 0, fp = 0;
  const double p = static_cast<double>(c.positives), n = static_cast<double>(c.negatives);
  for (size_t i = 0; i < order.size();) {
    const double s = scores[order[i]];
    for (; i < order.size() && scores[order[i]] == s; ++i) (positive[order[i]] ? tp : fp) += 1;
    const double x = static_cast<double>(fp) / n, y = static_cast<double>(tp) / p;
    c.auc += (x - c.fpr.back()) * (y + c.tpr.back()) / 2;
    c.fpr.push_back(x);
    c.tpr.push_back(y);
  }
  return c;
}

RocCurve ThinCurve(const RocCurve& curve, size_t max_points) {
  const size_t n = curve.fpr.size();
  if (n <= max_points || max_points < 2) return curve;
  RocCurve out = curve;
  out.fpr.clear();
  out.tpr.clear();
  for (size_t k = 0; k < max_points; ++k) {
    const size_t i = k * (n - 1) / (max_points - 1);
    out.fpr.push_back(curve.fpr[i]);
    out.tpr.push_back(curve.tpr[i]);
  }
  return out;
}

std::vector<int64_t> PredictedClasses(std::span<const double> values, int64_t per) {
  std::vector<int64_t> out;
  if (per <= 0) return out;
  const size_t step = static_cast<size_t>(per);
  for (size_t r = 0; r + step <= values.size(); r += step) {
    if (per == 1) {
      out.push_back(values[r] > 0.5 ? 1 : 0);
      continue;
    }
    const auto row = values.subspan(r, step);
    out.push_back(std::max_element(row.begin(), row.end()) - row.begin());
  }
  return out;
}

double Accuracy(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels) {
  const size_t n = std::min(predicted.size(), labels.size());
  if (n == 0) return 0;
  size_t right = 0;
  for (size_t i = 0; i < n; ++i) right += predicted[i] == labels[i] ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(n);
}

}  // namespace fixnn::report
