#include "emulator/hls4ml_tables.h"

#include <fmt/format.h>

#include <cmath>

namespace fixnn::emulator {

// The expressions below are hls4ml's, operator for operator: the mix of int, float and double
// operands decides where float rounding happens, and the table bits depend on it.

std::vector<float> SigmoidTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = 2 * 8.0 * (ii - float(n) / 2.0) / float(n);
    out[static_cast<size_t>(ii)] = 1.0 / (1 + std::exp(-in_val));
  }
  return out;
}

std::vector<float> TanhTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = 2 * 4.0 * (ii - float(n) / 2.0) / float(n);
    out[static_cast<size_t>(ii)] = std::tanh(in_val);
  }
  return out;
}

std::vector<float> SoftplusTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = 2 * 8.0 * (ii - float(n) / 2.0) / float(n);
    out[static_cast<size_t>(ii)] = std::log(std::exp(in_val) + 1.);
  }
  return out;
}

std::vector<float> SoftsignTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = 2 * 8.0 * (ii - float(n) / 2.0) / float(n);
    out[static_cast<size_t>(ii)] = in_val / (std::abs(in_val) + 1.);
  }
  return out;
}

std::vector<float> EluTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = -8.0 * ii / float(n);
    out[static_cast<size_t>(ii)] = std::exp(in_val) - 1.;
  }
  return out;
}

std::vector<float> SeluTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = -8.0 * ii / float(n);
    out[static_cast<size_t>(ii)] = 1.0507009873554804934193349852946 *
                                   (1.6732632423543772848170429916717 * (std::exp(in_val) - 1.));
  }
  return out;
}

std::vector<float> LegacySoftmaxExpTableFloats(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<float> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = 2 * 8.0 * (ii - float(n) / 2.0) / float(n);
    out[static_cast<size_t>(ii)] = std::exp(in_val);
  }
  return out;
}

std::vector<double> LegacySoftmaxInvTableValues(int64_t table_size) {
  const int n = static_cast<int>(table_size);
  std::vector<double> out(static_cast<size_t>(n));
  for (int ii = 0; ii < n; ii++) {
    const float in_val = 64.0 * ii / float(n);
    out[static_cast<size_t>(ii)] = in_val > 0.0 ? 1.0 / in_val : 0.0;
  }
  return out;
}

namespace {

// The low 32 bits of q * 2^lsb (lsb > 0) or of trunc0(q / 2^-lsb), as a C++ int.
int32_t ToIntAtLsb(const fixed::WideInt& q, int lsb) {
  fixed::WideInt v;
  if (lsb > 0) {
    v = lsb >= 32 ? fixed::WideInt(0) : q.ShiftLeft(lsb);  // modulo 2^320: low bits stay right
  } else if (q.IsNegative()) {
    v = -((-q).ShiftRightFloor(-lsb));
  } else {
    v = q.ShiftRightFloor(-lsb);
  }
  return static_cast<int32_t>(static_cast<uint32_t>(v.Limb(0)));
}

}  // namespace

// x * N is exact (mantissa m * N at x's LSB). The vendor divides the mantissa by D with sdiv
// (toward zero) and keeps x's LSB; converting to int truncates toward zero again (or, for an
// LSB above 1, shifts left exactly) and keeps the low 32 bits.
int32_t TableQuotient(const fixed::WideInt& m, int lsb_exponent, int64_t table_size,
                      int log2_divisor, bool negate) {
  fixed::WideInt p = m * fixed::WideInt(table_size);
  if (negate) p = -p;
  const fixed::WideInt q =
      p.IsNegative() ? -((-p).ShiftRightFloor(log2_divisor)) : p.ShiftRightFloor(log2_divisor);
  return ToIntAtLsb(q, lsb_exponent);
}

int32_t TableQuotient(__int128 m, int lsb_exponent, int64_t table_size, int log2_divisor,
                      bool negate) {
  __int128 p = m * table_size;
  if (negate) p = -p;
  const __int128 d = static_cast<__int128>(1) << log2_divisor;
  const __int128 q = p / d;  // C++ division truncates toward zero
  if (lsb_exponent > 0) {
    if (lsb_exponent >= 32) return 0;
    return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(q)) << lsb_exponent);
  }
  const int shift = -lsb_exponent;
  const __int128 v = shift >= 127 ? 0 : q / (static_cast<__int128>(1) << shift);
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
}

int64_t ClampTableIndex(int32_t q, uint32_t offset, int64_t table_size) {
  const auto index = static_cast<int32_t>(static_cast<uint32_t>(q) + offset);
  if (index < 0) return 0;
  if (index > table_size - 1) return table_size - 1;
  return index;
}

int SoftmaxIndexBits(int64_t n) { return n <= 2 ? 1 : 1 + SoftmaxIndexBits((n + 1) / 2); }

float SoftmaxTableInput(uint32_t index, const fixed::FixedType& t, int bits) {
  const fixed::WideInt pattern = fixed::WideInt(index).ShiftLeft(t.width - bits);
  return fixed::FixedValue::FromBits(t, pattern).ToFloat();
}

std::vector<float> SoftmaxExpTableFloats(const fixed::FixedType& index_type, int64_t n,
                                         bool negate) {
  const int bits = SoftmaxIndexBits(n);
  const float exp_scale = 1.0;
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) {
    float x = SoftmaxTableInput(static_cast<uint32_t>(i), index_type, bits) * exp_scale;
    if (negate) x = -x;
    out[static_cast<size_t>(i)] = std::exp(x);
  }
  return out;
}

std::vector<float> SoftmaxInvTableFloats(const fixed::FixedType& index_type, int64_t n) {
  const int bits = SoftmaxIndexBits(n);
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; i++) {
    const float x = SoftmaxTableInput(static_cast<uint32_t>(i), index_type, bits);
    out[static_cast<size_t>(i)] = 1 / x;
  }
  return out;
}

Result<fixed::FixedValue> FloatToFixed(float f, const fixed::FixedType& t,
                                       fixed::CastEvents* events) {
  if (std::isnan(f)) {
    return Error(fmt::format("cannot convert NaN to {}", t.ToString()));
  }
  if (std::isinf(f)) {
    // 2^1023 and 2^1024 round, fit and wrap alike in every type with fewer than 1023 integer
    // bits: both are far above the range and have zero low bits.
    if (t.integer >= 1023) {
      return Error(fmt::format("cannot convert infinity to {}", t.ToString()));
    }
    return fixed::Quantize(std::copysign(0x1p1023, f), t, events);
  }
  return fixed::Quantize(static_cast<double>(f), t, events);
}

}  // namespace fixnn::emulator
