// The values a weight holds in the hardware: exact, as integer mantissas over one LSB.
#pragma once

#include <vector>

#include "fixed/fixed_value.h"
#include "fixed/wide_int.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

struct StoredValues {
  std::vector<fixed::WideInt> mantissas;  // value k = mantissas[k] * 2^lsb_exponent
  int lsb_exponent = 0;
};

// What hls4ml stores for a constant `value` in type t (docs/hls4ml-numerics.md, section 2.1):
// the value printed with max(0, F) decimals (correctly rounded), read back with strtod, then
// converted into t with its rounding and overflow. A value already on t's grid is converted
// directly (the text holds it exactly). The same rule as emulator/hls4ml_weights.h.
Result<fixed::FixedValue> Hls4mlStoredValue(double value, const fixed::FixedType& t,
                                            fixed::CastEvents* events = nullptr);

// The weight's values in its configured precision: the framework's quantizer (with its
// scale, when it has one) applied to the stored floats, then each value stored into
// precision.type, or its element's type for per-element precision, as hls4ml stores it
// (Hls4mlStoredValue), exactly as the hardware holds it. Error when the weight has no
// precision.
// A QKeras alpha (Quantizer::scale) is part of the values here. hls4ml instead stores the
// unscaled grid values and moves the scale (and the bias) into an ApplyAlpha layer after the
// Dense / Conv; until a pass does the same in the graph, a scaled weight stored in its
// quantizer's type is rounded onto that grid.
Result<StoredValues> StoredWeightValues(const ir::Weight& weight);

}  // namespace fixnn::passes
