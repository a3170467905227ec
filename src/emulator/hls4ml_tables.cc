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

namespace {

// The C++ `int` that x * N / 2^log2_range converts to, x = m * 2^lsb: truncated toward zero,
// then the low 32 bits (the vendor's to-int conversion keeps them).
int32_t TruncatedQuotient(const fixed::WideInt& m, int lsb, int64_t n, int log2_range) {
  const fixed::WideInt p = m * fixed::WideInt(n);
  const int s = lsb - log2_range;
  fixed::WideInt q;
  if (s >= 0) {
    q = p.ShiftLeft(s);  // modulo 2^320: the low bits stay right
  } else if (p.IsNegative()) {
    q = -((-p).ShiftRightFloor(-s));
  } else {
    q = p.ShiftRightFloor(-s);
  }
  return static_cast<int32_t>(static_cast<uint32_t>(q.Limb(0)));
}

int32_t TruncatedQuotient(int64_t m, int lsb, int64_t n, int log2_range) {
  const __int128 p = static_cast<__int128>(m) * n;
  const int s = lsb - log2_range;
  uint64_t low;
  if (s >= 0) {
    low = s >= 128 ? 0 : static_cast<uint64_t>(static_cast<unsigned __int128>(p) << s);
  } else {
    low = -s >= 127 ? 0 : static_cast<uint64_t>(p / (static_cast<__int128>(1) << -s));
  }
  return static_cast<int32_t>(static_cast<uint32_t>(low));
}

int64_t ClampedIndex(int32_t data_round, int64_t table_size, int range) {
  const auto n = static_cast<uint32_t>(table_size);
  // `index = data_round + half * N / range`: the sum is unsigned, stored back into an int.
  const auto index = static_cast<int32_t>(static_cast<uint32_t>(data_round) +
                                          static_cast<uint32_t>(range / 2) * n / range);
  if (index < 0) return 0;
  if (index > static_cast<int64_t>(table_size) - 1) return table_size - 1;
  return index;
}

}  // namespace

int64_t ActivationTableIndex(const fixed::WideInt& m, int lsb_exponent, int64_t table_size,
                             int range) {
  const int log2_range = range == 16 ? 4 : 3;
  return ClampedIndex(TruncatedQuotient(m, lsb_exponent, table_size, log2_range), table_size,
                      range);
}

int64_t ActivationTableIndex(int64_t m, int lsb_exponent, int64_t table_size, int range) {
  const int log2_range = range == 16 ? 4 : 3;
  return ClampedIndex(TruncatedQuotient(m, lsb_exponent, table_size, log2_range), table_size,
                      range);
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
