// Constants as hls4ml's generated C++ holds them. predict() reads every weight array from a
// text file that Python wrote with '{:.Nf}'.format(value), N = max(0, F) decimals of the
// weight type, and parses each token with strtod before converting it into the type
// (docs/hls4ml-numerics.md, section 2.1). So the stored value is T(strtod(text)), not T(w):
// a float just below a grid point can print as the grid point, and a tiny negative weight as
// "-0.000" (zero, not -LSB).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "fixed/quantize_array.h"
#include "fixed/wide_int.h"
#include "support/result.h"

namespace fixnn::emulator {

// value printed with `decimals` digits after the point, correctly rounded (ties to even on
// the exact binary value), as Python's format and C's printf write it.
std::string FormatDecimals(double value, int decimals);

// What the hardware holds for `value` in type t after the decimal round trip.
Result<fixed::FixedValue> StoreThroughText(double value, const fixed::FixedType& t,
                                           fixed::CastEvents* events = nullptr);

// Every value stored through the text, as mantissas of t, with how many left t's range.
Result<std::vector<fixed::WideInt>> StoreArrayThroughText(std::span<const double> values,
                                                          const fixed::FixedType& t,
                                                          fixed::OverflowCounts* counts);

}  // namespace fixnn::emulator
