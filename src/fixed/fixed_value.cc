#include "fixed/fixed_value.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <string>

#include "fixed/cast_rules.h"

namespace fixnn::fixed {
namespace {

// The source of a conversion: the exact value m * 2^lsb, and the signedness and integer bits
// of the type it came in (a double counts as a signed 54-bit type).
struct Source {
  const WideInt& m;
  int lsb;
  bool is_signed;
  int integer;
};

// Converts the exact value of s into t: round to t's LSB, then apply t's overflow mode. This
// single routine serves double -> fixed and fixed -> fixed, so both follow one definition of
// the vendor semantics.
WideInt RoundAndFit(const Source& s, const FixedType& t, CastEvents* events) {
  const WideInt& src = s.m;
  const int src_lsb = s.lsb;
  const bool negative = src.IsNegative();
  const int drop = t.lsb_exponent() - src_lsb;  // bits below t's LSB
  WideInt r;
  bool huge = false;  // the exact result does not fit WideInt (so certainly not t)
  bool inexact = false;
  if (drop > 0) {
    const bool half = src.Bit(drop - 1);
    const bool sticky = src.AnyBitsBelow(drop - 1);
    inexact = half || sticky;
    r = src.ShiftRightFloor(drop);
    r = r + WideInt(RoundingIncrement(t.rounding, half, sticky, negative, r.Bit(0)));
  } else {
    r = src.ShiftLeft(-drop, &huge);
  }

  const WideInt lo = MinMantissa(t), hi = MaxMantissa(t);
  const bool sym_min = t.overflow == Overflow::kSatSym && t.is_signed && negative && !huge &&
                       r == lo && VendorChecksRange(s.lsb, s.is_signed, s.integer, t);
  const bool overflow = huge ? !negative : r > hi;
  const bool underflow = (huge ? negative : r < lo) || sym_min;
  if (events != nullptr) *events = CastEvents{inexact, overflow, underflow};
  if (!overflow && !underflow) return r;

  switch (t.overflow) {
    case Overflow::kWrap: {
      WideInt w = r.WrapTo(t.width, t.is_signed);
      if (t.sat_bits > 0) {
        // The top N bits are forced: for signed types the MSB takes the sign of the rounded
        // value and the next N-1 bits its inverse; for unsigned types all N become ones.
        const bool rounded_negative = huge ? negative : r.IsNegative();
        if (t.is_signed) {
          w.SetBit(t.width - 1, rounded_negative);
          for (int b = t.width - t.sat_bits; b <= t.width - 2; ++b) w.SetBit(b, !rounded_negative);
        } else {
          for (int b = t.width - t.sat_bits; b <= t.width - 1; ++b) w.SetBit(b, true);
        }
        w = w.WrapTo(t.width, t.is_signed);
      }
      return w;
    }
    case Overflow::kSat:
      return overflow ? hi : lo;
    case Overflow::kSatZero:
      return WideInt(0);
    case Overflow::kSatSym:
      if (overflow) return hi;
      // The vendor writes the bit pattern 10...01, which is -max for W >= 2 and, for a
      // 1-bit type whose only bit is the sign, the minimum itself.
      if (!t.is_signed) return WideInt(0);
      {
        WideInt pattern = WideInt::PowerOfTwo(t.width - 1);
        pattern.SetBit(0, true);
        return pattern.WrapTo(t.width, true);
      }
  }
  return r;
}

Result<FixedType> CheckedResultType(FixedType t, const char* op) {
  t.integer_spelling = false;
  if (t.width > kMaxWidth) {
    return Error(fmt::format("the exact result of {} needs {} bits; fixnn represents at most {}",
                             op, t.width, kMaxWidth));
  }
  if (Status s = t.Validate(); !s.ok()) return s.error();
  return t;
}

// Integer bits of a's contribution to a sum with b: a signed partner forces an extra sign bit
// onto an unsigned operand.
int SumIntegerBits(const FixedType& a, const FixedType& b) {
  return std::max(a.integer + (b.is_signed && !a.is_signed ? 1 : 0),
                  b.integer + (a.is_signed && !b.is_signed ? 1 : 0)) +
         1;
}

// Brings a and b to the same LSB exponent; returns it. Shifts never lose bits for operands
// whose exact result type was accepted (width <= kMaxWidth).
int Align(const FixedValue& a, const FixedValue& b, WideInt* ma, WideInt* mb) {
  const int lsb = std::min(a.type().lsb_exponent(), b.type().lsb_exponent());
  *ma = a.mantissa().ShiftLeft(a.type().lsb_exponent() - lsb);
  *mb = b.mantissa().ShiftLeft(b.type().lsb_exponent() - lsb);
  return lsb;
}

FixedValue WithMantissa(const FixedType& t, const WideInt& m, int m_lsb) {
  // m is exact at m_lsb; express it at t's LSB (which is never finer than the value needs).
  const int shift = t.lsb_exponent() - m_lsb;
  assert(shift <= 0 || !m.AnyBitsBelow(shift));
  return FixedValue::FromMantissa(t, shift >= 0 ? m.ShiftRightFloor(shift) : m.ShiftLeft(-shift));
}

}  // namespace

WideInt MinMantissa(const FixedType& t) {
  return t.is_signed ? -WideInt::PowerOfTwo(t.width - 1) : WideInt(0);
}

WideInt MaxMantissa(const FixedType& t) {
  return WideInt::PowerOfTwo(t.is_signed ? t.width - 1 : t.width) - WideInt(1);
}

FixedValue FixedValue::FromMantissa(const FixedType& type, const WideInt& m) {
  assert(m >= MinMantissa(type) && m <= MaxMantissa(type));
  FixedValue v(type);
  v.mantissa_ = m;
  return v;
}

FixedValue FixedValue::FromBits(const FixedType& type, const WideInt& bits) {
  FixedValue v(type);
  v.mantissa_ = bits.WrapTo(type.width, type.is_signed);
  return v;
}

Result<FixedValue> Quantize(double x, const FixedType& t, CastEvents* events) {
  if (!std::isfinite(x)) {
    return Error(fmt::format("cannot convert {} to {}: not a finite number", x, t.ToString()));
  }
  // The exact value of a finite double is m * 2^e with a 53-bit integer m.
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  std::int64_t m = static_cast<std::int64_t>(bits & ((std::uint64_t{1} << 52) - 1));
  int e = -1074;
  if (biased != 0) {
    m |= std::int64_t{1} << 52;
    e = biased - 1075;
  }
  if (bits >> 63) m = -m;
  const WideInt wm(m);
  return FixedValue::FromMantissa(t, RoundAndFit({wm, e, true, e + 54}, t, events));
}

FixedValue Cast(const FixedValue& v, const FixedType& t, CastEvents* events) {
  const FixedType& st = v.type();
  return FixedValue::FromMantissa(
      t, RoundAndFit({v.mantissa(), st.lsb_exponent(), st.is_signed, st.integer}, t, events));
}

Result<FixedType> AddResultType(const FixedType& a, const FixedType& b) {
  const int i = SumIntegerBits(a, b);
  const int f = std::max(a.frac_bits(), b.frac_bits());
  FixedType t = FixedType::Fixed(i + f, i);
  t.is_signed = a.is_signed || b.is_signed;
  return CheckedResultType(t, "an addition");
}

Result<FixedType> SubResultType(const FixedType& a, const FixedType& b) {
  const int i = SumIntegerBits(a, b);
  const int f = std::max(a.frac_bits(), b.frac_bits());
  return CheckedResultType(FixedType::Fixed(i + f, i), "a subtraction");
}

Result<FixedType> MulResultType(const FixedType& a, const FixedType& b) {
  FixedType t = FixedType::Fixed(a.width + b.width, a.integer + b.integer);
  t.is_signed = a.is_signed || b.is_signed;
  return CheckedResultType(t, "a multiplication");
}

Result<FixedType> NegResultType(const FixedType& a) {
  return CheckedResultType(FixedType::Fixed(a.width + 1, a.integer + 1), "a negation");
}

Result<FixedValue> Add(const FixedValue& a, const FixedValue& b) {
  Result<FixedType> t = AddResultType(a.type(), b.type());
  if (!t) return t.error();
  WideInt ma, mb;
  const int lsb = Align(a, b, &ma, &mb);
  return WithMantissa(*t, ma + mb, lsb);
}

Result<FixedValue> Sub(const FixedValue& a, const FixedValue& b) {
  Result<FixedType> t = SubResultType(a.type(), b.type());
  if (!t) return t.error();
  WideInt ma, mb;
  const int lsb = Align(a, b, &ma, &mb);
  return WithMantissa(*t, ma - mb, lsb);
}

Result<FixedValue> Mul(const FixedValue& a, const FixedValue& b) {
  Result<FixedType> t = MulResultType(a.type(), b.type());
  if (!t) return t.error();
  return WithMantissa(*t, a.mantissa() * b.mantissa(),
                      a.type().lsb_exponent() + b.type().lsb_exponent());
}

Result<FixedValue> Neg(const FixedValue& a) {
  Result<FixedType> t = NegResultType(a.type());
  if (!t) return t.error();
  return WithMantissa(*t, -a.mantissa(), a.type().lsb_exponent());
}

int Compare(const FixedValue& a, const FixedValue& b) {
  const int la = a.type().lsb_exponent(), lb = b.type().lsb_exponent();
  const WideInt& ma = a.mantissa();
  const WideInt& mb = b.mantissa();
  // Shift the coarser operand up to the finer LSB. If that overflows WideInt, the shifted
  // operand is larger in magnitude than anything the other can hold: its sign decides.
  bool lost = false;
  if (la >= lb) {
    const WideInt sa = ma.ShiftLeft(la - lb, &lost);
    if (lost) return ma.IsNegative() ? -1 : 1;
    return sa.Compare(mb);
  }
  const WideInt sb = mb.ShiftLeft(lb - la, &lost);
  if (lost) return mb.IsNegative() ? 1 : -1;
  return ma.Compare(sb);
}

}  // namespace fixnn::fixed
