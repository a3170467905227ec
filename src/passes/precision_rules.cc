#include "passes/precision_rules.h"

#include <algorithm>
#include <cmath>

#include "fixed/fixed_value.h"

namespace fixnn::passes {

using fixed::WideInt;

namespace {

FixedType Make(int width, int integer, bool is_signed) {
  return is_signed ? FixedType::Fixed(width, integer) : FixedType::UFixed(width, integer);
}

int CeilLog2(int64_t n) {
  int e = 0;
  while ((int64_t{1} << e) < n) ++e;
  return e;
}

bool DefaultModes(const FixedType& t) {
  return t.rounding == fixed::Rounding::kTrn && t.overflow == fixed::Overflow::kWrap &&
         t.sat_bits == 0;
}

}  // namespace

FixedType TypeForRange(const WideInt& lo, const WideInt& hi, int lsb) {
  if (lo.IsNegative()) {
    const int width = std::max(lo.SignedBitLength(), hi.SignedBitLength());
    return FixedType::Fixed(width, width + lsb);
  }
  const int width = std::max(hi.SignedBitLength() - 1, 1);
  return FixedType::UFixed(width, width + lsb);
}

Result<FixedType> CoveringType(const ir::Precision& precision) {
  if (precision.type) return *precision.type;
  if (!precision.per_element || precision.per_element->types.empty()) {
    return Error("no precision is configured");
  }
  const ir::ElementTypes& e = precision.per_element.value();
  auto zero = [&](size_t i) { return i < e.always_zero.size() && e.always_zero[i]; };
  std::optional<int> finest;
  for (size_t i = 0; i < e.types.size(); ++i) {
    if (!zero(i))
      finest = std::min(finest.value_or(e.types[i].lsb_exponent()), e.types[i].lsb_exponent());
  }
  const int lsb = finest.value_or(e.types.front().lsb_exponent());
  WideInt lo, hi;  // 0 is always among the values
  for (size_t i = 0; i < e.types.size(); ++i) {
    if (zero(i)) continue;
    const FixedType& t = e.types[i];
    bool lost = false;
    const WideInt tlo = fixed::MinMantissa(t).ShiftLeft(t.lsb_exponent() - lsb, &lost);
    const WideInt thi = fixed::MaxMantissa(t).ShiftLeft(t.lsb_exponent() - lsb, &lost);
    if (lost) return Error("the element types span more than 318 bits");
    lo = std::min(lo, tlo);
    hi = std::max(hi, thi);
  }
  FixedType out = TypeForRange(lo, hi, lsb);
  if (Status s = out.Validate(); !s.ok()) return s.error();
  return out;
}

FixedType CapToMaximum(const FixedType& t, const std::optional<FixedType>& maximum) {
  if (!maximum) return t;
  FixedType out = t;
  out.width = std::min(t.width, maximum->width);
  out.integer = std::min(t.integer, maximum->integer);
  return out;
}

FixedType AddType(const FixedType& a, const FixedType& b, bool subtract) {
  const int integer = std::max(a.integer + (b.is_signed && !a.is_signed),
                               b.integer + (a.is_signed && !b.is_signed)) +
                      1;
  const int width = integer + std::max(a.frac_bits(), b.frac_bits());
  return Make(width, integer, a.is_signed || b.is_signed || subtract);
}

FixedType MultiplyType(const FixedType& a, const FixedType& b) {
  return Make(a.width + b.width, a.integer + b.integer, a.is_signed || b.is_signed);
}

FixedType MaxMinType(const FixedType& a, const FixedType& b) {
  if (a == b) return a;
  const bool is_signed = a.is_signed || b.is_signed;
  const int ia = a.integer + (is_signed && !a.is_signed);
  const int ib = b.integer + (is_signed && !b.is_signed);
  const int integer = std::max(ia, ib);
  return Make(std::max(a.frac_bits(), b.frac_bits()) + integer, integer, is_signed);
}

FixedType ConcatenateType(const FixedType& a, const FixedType& b) {
  if (a == b) return a;
  FixedType out = MaxMinType(a, b);
  out.rounding = a.rounding != fixed::Rounding::kTrn ? a.rounding : b.rounding;
  out.overflow = a.overflow != fixed::Overflow::kWrap ? a.overflow : b.overflow;
  out.sat_bits = a.sat_bits != 0 ? a.sat_bits : b.sat_bits;
  return out;
}

FixedType DotType(const FixedType& a, const FixedType& b, int64_t n) {
  const int growth = CeilLog2(std::max<int64_t>(n, 1));
  return Make(a.width + b.width + growth, a.integer + b.integer + growth,
              a.is_signed || b.is_signed);
}

FixedType Hls4mlCommonType(const FixedType& input, const FixedType& weight, const FixedType& bias,
                           int64_t n) {
  const int growth = CeilLog2(std::max<int64_t>(n, 1));
  const bool is_signed = input.is_signed || weight.is_signed;
  const int width = input.width + weight.width + growth;
  const int integer0 = input.integer + weight.integer + growth;
  const int integer = std::max(integer0 + (bias.is_signed && !is_signed),
                               bias.integer + (is_signed && !bias.is_signed)) +
                      1;
  return Make(integer + std::max(width - integer0, bias.frac_bits()), integer,
              is_signed || bias.is_signed);
}

FixedType BatchNormType(const FixedType& input, const FixedType& scale,
                        const std::optional<FixedType>& bias) {
  const bool scaled_signed = input.is_signed || scale.is_signed;
  const int scaled_width = input.width + scale.width;
  const int scaled_integer = input.integer + scale.integer;
  if (!bias) return Make(scaled_width, scaled_integer, scaled_signed);
  const int integer = std::max(scaled_integer + (bias->is_signed && !scaled_signed),
                               bias->integer + (scaled_signed && !bias->is_signed)) +
                      1;
  const int width = integer + std::max(scaled_width - scaled_integer, bias->frac_bits());
  return Make(width, integer, scaled_signed || bias->is_signed);
}

FixedType AveragePoolAccumType(const FixedType& input, int64_t pool_size) {
  const int extra = CeilLog2(std::max<int64_t>(pool_size, 1));
  return Make(input.width + 2 * extra, input.integer + extra, input.is_signed);
}

FixedType ConstantType(double value) {
  if (value == 0) return FixedType::UFixed(1, 1);
  // The smallest f in (-32, 32] with value * 2^f an integer, as hls4ml's bisection finds it.
  int f = 32;
  for (int candidate = -31; candidate <= 32; ++candidate) {
    const double scaled = std::ldexp(value, candidate);
    if (scaled == std::trunc(scaled)) {
      f = candidate;
      break;
    }
  }
  const int k = value < 0 ? 1 : 0;
  const int i =
      static_cast<int>(std::ceil(std::log2(std::max(value + std::ldexp(1.0, -f), -value))));
  const int width = std::min(k + i + f, k + 8);
  return Make(width, k + i, k == 1);
}

FixedType ReLUType(const FixedType& input) {
  if (!input.is_signed) {
    return DefaultModes(input) ? input : FixedType::UFixed(input.width, input.integer);
  }
  return FixedType::UFixed(std::max(input.width - 1, 1), input.integer - 1);
}

}  // namespace fixnn::passes
