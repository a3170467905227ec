// The values a weight holds in the hardware: exact, as integer mantissas over one LSB.
#pragma once

#include <vector>

#include "fixed/wide_int.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

struct StoredValues {
  std::vector<fixed::WideInt> mantissas;  // value k = mantissas[k] * 2^lsb_exponent
  int lsb_exponent = 0;
};

// The weight's values in its configured precision: the framework's quantizer (with its
// scale, when it has one) applied to the stored floats, then each value converted into
// precision.type, or its element's type for per-element precision, with that type's rounding
// and overflow, exactly as the hardware holds it. Error when the weight has no precision.
// A QKeras alpha (Quantizer::scale) is part of the values here. hls4ml instead stores the
// unscaled grid values and moves the scale (and the bias) into an ApplyAlpha layer after the
// Dense / Conv; until a pass does the same in the graph, a scaled weight stored in its
// quantizer's type is rounded onto that grid.
Result<StoredValues> StoredWeightValues(const ir::Weight& weight);

}  // namespace fixnn::passes
