// The report's charts of a model run on data: value distributions against each tensor's type
// range, float against fixed-point outputs, and ROC curves against true classes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/profile.h"
#include "support/result.h"

namespace fixnn::report {

// The first model output on the data, in floating point and in fixed point, with the samples'
// true classes when known.
struct DataComparison {
  std::string output;                // the output tensor's name
  std::vector<int64_t> shape;        // [N, output shape...]
  std::vector<double> float_values;  // the float reference's values, row-major
  std::vector<double> fixed_values;  // the emulator's values
  std::vector<int64_t> labels;       // one class per sample; empty: none given
};

// Checks that the values fill the shape and the labels hold one class per sample, each in
// [0, classes) (classes: the values per sample, 2 for one sigmoid output).
Status CheckComparison(const DataComparison& data);

// Box plots of |x| on a log2 axis, one row per tensor of `kind` ("weight" or "output"), the
// type's range [LSB, max] shaded behind each; boxes whose float range leaves the type's range
// have class "box bad". Outputs show the float box and the fixed-point box. Empty when the
// profile holds no tensor of that kind.
std::string DistributionSvg(const analysis::ModelProfile& profile, const std::string& kind);

// Fixed-point against float values of the output, at most `max_points` of them (evenly spread
// over the values), with the line y = x.
std::string ScatterSvg(const DataComparison& data, size_t max_points = 3000);

// One class's ROC, for the float and the fixed-point scores.
struct ClassRoc {
  int64_t cls = 0;
  double auc_float = 0, auc_fixed = 0;
};

struct RocChart {
  std::string svg;
  std::vector<ClassRoc> classes;  // the classes drawn
  std::vector<int64_t> skipped;   // classes without positive or without negative samples
  int64_t classes_not_drawn = 0;  // beyond the first ten
};

// ROC curves per class (one against the rest): float solid, fixed dashed, AUCs in the legend.
// With one output per sample the output is the positive class's score. Needs labels.
Result<RocChart> RocSvg(const DataComparison& data);

}  // namespace fixnn::report
