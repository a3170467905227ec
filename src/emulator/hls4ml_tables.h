// hls4ml's lookup tables and table indices, computed as its generated C++ computes them
// (docs/hls4ml-numerics.md, sections 9.1 and 10): entries in float arithmetic with the
// platform libm at the first call, then converted into the table type; indices from the
// fixed-point input by truncation (activations, legacy softmax) or by slicing the top bits
// (softmax).
#pragma once

#include <cstdint>
#include <vector>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "support/result.h"

namespace fixnn::emulator {

// The float entries before the cast into table_t, entry k of N:
//   sigmoid   1 / (1 + expf(-z)),        z = 16 (k - N/2) / N   (over [-8, 8))
//   tanh      tanhf(z),                  z =  8 (k - N/2) / N   (over [-4, 4))
//   softplus  log(expf(z) + 1.0),        z as sigmoid
//   softsign  z / (fabsf(z) + 1.0),      z as sigmoid
//   elu       expf(z) - 1.0,             z = -8 k / N           (over (-8, 0])
//   selu      1.0507 * (1.6733 * (expf(z) - 1.0)), z as elu
// each with hls4ml's mix of float and double operations.
std::vector<float> SigmoidTableFloats(int64_t table_size);
std::vector<float> TanhTableFloats(int64_t table_size);
std::vector<float> SoftplusTableFloats(int64_t table_size);
std::vector<float> SoftsignTableFloats(int64_t table_size);
std::vector<float> EluTableFloats(int64_t table_size);
std::vector<float> SeluTableFloats(int64_t table_size);
// Legacy softmax: expf(z) over sigmoid's grid; and 1.0 / x as a double for x = float(64 k / N)
// (entry 0 is 0).
std::vector<float> LegacySoftmaxExpTableFloats(int64_t table_size);
std::vector<double> LegacySoftmaxInvTableValues(int64_t table_size);

// The C++ `int` that `x * N / D` converts to, x = m * 2^lsb_exponent, D = 2^log2_divisor
// (negate: D = -2^log2_divisor): the ap_fixed division truncates the mantissa quotient
// toward zero at x's LSB, the conversion to int truncates toward zero again and keeps the low
// 32 bits. |m| must stay below 2^100 (int128 overload).
int32_t TableQuotient(__int128 m, int lsb_exponent, int64_t table_size, int log2_divisor,
                      bool negate = false);
int32_t TableQuotient(const fixed::WideInt& m, int lsb_exponent, int64_t table_size,
                      int log2_divisor, bool negate = false);

// `index = q + offset` in unsigned int arithmetic stored back into an int, then
// `if (index < 0) index = 0; if (index > N - 1) index = N - 1`.
int64_t ClampTableIndex(int32_t q, uint32_t offset, int64_t table_size);

// The index of the sigmoid / softplus / softsign (range 16) or tanh (range 8) table for
// x = m * 2^lsb_exponent: int(x * N / range) + range/2 * N / range, clamped to [0, N-1].
template <class Int>
int64_t ActivationTableIndex(const Int& m, int lsb_exponent, int64_t table_size, int range) {
  const int log2_range = range == 16 ? 4 : 3;
  const auto n = static_cast<uint32_t>(table_size);
  return ClampTableIndex(TableQuotient(m, lsb_exponent, table_size, log2_range),
                         static_cast<uint32_t>(range / 2) * n / static_cast<uint32_t>(range),
                         table_size);
}

// The ELU / SELU table index for x < 0: int(x * N / -8). ELU clamps with an unsigned
// comparison only (`index > N - 1`, so a negative int becomes N - 1); SELU clamps to [0, N-1].
template <class Int>
int64_t NegativeTableIndex(const Int& m, int lsb_exponent, int64_t table_size, bool selu) {
  const int32_t q = TableQuotient(m, lsb_exponent, table_size, 3, /*negate=*/true);
  if (selu) return ClampTableIndex(q, 0, table_size);
  if (static_cast<uint32_t>(q) > static_cast<uint32_t>(table_size - 1)) return table_size - 1;
  return q;
}

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
