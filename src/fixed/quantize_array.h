// Vectorised quantization: the emulator's hot path. Converts arrays of doubles into a fixed
// type's mantissas (int64) or back into the represented values, with the same results as
// fixed::Quantize, bit for bit, and counts of the values that overflowed.
#pragma once

#include <cstdint>
#include <span>

#include "fixed/fixed_type.h"
#include "support/result.h"

namespace fixnn::fixed {

struct OverflowCounts {
  std::int64_t overflow = 0;   // values above the type's maximum (after rounding)
  std::int64_t underflow = 0;  // values below the minimum (or == min under AP_SAT_SYM)
  std::int64_t total() const { return overflow + underflow; }
};

// True when every mantissa of t fits an int64: signed W <= 64, unsigned W <= 63.
bool FitsInt64Mantissa(const FixedType& t);

// out[i] = mantissa of Quantize(in[i], t). Requires FitsInt64Mantissa(t) and out.size() ==
// in.size(). A NaN or infinity is an error naming its index.
Result<OverflowCounts> QuantizeToMantissas(std::span<const double> in, const FixedType& t,
                                           std::span<std::int64_t> out);

// out[i] = mantissa of Cast(FixedValue(from, in[i]), to): re-quantizes mantissas of type
// `from` into type `to` (what every product and accumulator cast in a layer does). Requires
// FitsInt64Mantissa for both types and every in[i] in from's range. out may alias in.
Result<OverflowCounts> RequantizeMantissas(std::span<const std::int64_t> in, const FixedType& from,
                                           const FixedType& to, std::span<std::int64_t> out);

// out[i] = Quantize(in[i], t).ToDouble(). Any width. out may alias in.
Result<OverflowCounts> QuantizeToDoubles(std::span<const double> in, const FixedType& t,
                                         std::span<double> out);

}  // namespace fixnn::fixed
