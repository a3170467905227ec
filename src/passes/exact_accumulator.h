// The exact accumulator type of a multiply-accumulate layer (Dense, Conv, the two halves of a
// SeparableConv): computed from the weights' actual values in their types and the range of
// the input type, so that no sum the layer can form overflows or loses a bit.
#pragma once

#include <cstdint>

#include "fixed/fixed_type.h"
#include "passes/weight_values.h"
#include "support/result.h"

namespace fixnn::passes {

// Output channel c sums products x * w over the kernel entries k with k % channels == c (the
// kernel's trailing axes are the output channels: [in, units] for Dense, [k..., in/g, filters]
// for Conv, [k..., in, multiplier] for DepthwiseConv), plus bias[c] when there is a bias.
// Every x lies in the input type's range [xmin, xmax] (xmin <= 0 <= xmax).
//
// Range: per channel, the sums over all entries of max(w * xmin, w * xmax) and of
// min(w * xmin, w * xmax), i.e. the exact bounds of the products' sum; with the bias and
// without it, since hls4ml's kernels start from the bias and also keep each product alone in
// the accumulator type. Every product's interval contains 0, so every partial sum (bias plus
// any subset of products, in any order) lies inside too. The type holds the union over the
// channels.
// LSB: the input's LSB times the finest LSB any nonzero weight actually needs (not its
// type's), or the finest a nonzero bias needs when that is finer; fractional bits =
// input frac + weight frac, or the bias's.
// Signed exactly when some sum can be negative. Error when it would be wider than 256 bits.
Result<fixed::FixedType> ExactAccumulatorType(const fixed::FixedType& input,
                                              const StoredValues& kernel, int64_t channels,
                                              const StoredValues* bias);

}  // namespace fixnn::passes
