// hls4ml's lookup tables and table indices, computed as its generated C++ computes them
// (docs/hls4ml-numerics.md, sections 9.1 and 10): entries in float arithmetic with the
// platform libm at the first call, then converted into the table type; indices from the
// fixed-point input by truncation (activations) or by slicing the top bits (softmax).
#pragma once

#include <cstdint>
#include <vector>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "support/result.h"

namespace fixnn::emulator {

// The float entries before the cast into table_t: sigmoid over [-8, 8), tanh over [-4, 4).
std::vector<float> SigmoidTableFloats(int64_t table_size);
std::vector<float> TanhTableFloats(int64_t table_size);

// The index of the sigmoid (range 16) or tanh (range 8) table for x = m * 2^lsb_exponent:
// int(x * N / range) + range/2 * N / range, with the C++ int conversion (toward zero, low 32
// bits kept) and unsigned int addition, clamped to [0, N-1].
int64_t ActivationTableIndex(const fixed::WideInt& m, int lsb_exponent, int64_t table_size,
                             int range);
int64_t ActivationTableIndex(int64_t m, int lsb_exponent, int64_t table_size, int range);

// hls4ml's ceillog2: the number of top bits that index a softmax table of n entries (1 for
// n <= 2).
int SoftmaxIndexBits(int64_t n);

// The float value of type t whose top `bits` bits are `index` and the rest zero
// (softmax_real_val_from_idx). Requires 1 <= bits <= t.width.
float SoftmaxTableInput(uint32_t index, const fixed::FixedType& t, int bits);

// The softmax exponential table: exp(v) (negate: exp(-v)) for v = SoftmaxTableInput(k) in
// float with expf, k < n.
std::vector<float> SoftmaxExpTableFloats(const fixed::FixedType& index_type, int64_t n,
                                         bool negate);
// The softmax inverse table: 1.0f / v in float (k = 0 gives +inf).
std::vector<float> SoftmaxInvTableFloats(const fixed::FixedType& index_type, int64_t n);

// The conversion of a float (possibly infinite) into t, as ap_fixed(double) does it: an
// infinity is read as +-2^1024 (the exponent field's value with the implicit bit). NaN is an
// error.
Result<fixed::FixedValue> FloatToFixed(float f, const fixed::FixedType& t,
                                       fixed::CastEvents* events = nullptr);

}  // namespace fixnn::emulator
