// FixedValue and the exact operations on it: quantize a double or another fixed value into a
// type (the vendor's rounding and overflow semantics, bit for bit), + - * with exact result
// types, comparison, conversion back to floating point.
//
// This is the reference (slow, exact, any width up to kMaxWidth) path. The emulator's hot
// path lives in quantize_array.h and is tested against this one.
#pragma once

#include "fixed/fixed_type.h"
#include "fixed/wide_int.h"
#include "support/result.h"

namespace fixnn::fixed {

// What happened during one conversion into a type.
struct CastEvents {
  bool inexact = false;    // bits below the LSB were dropped (before rounding)
  bool overflow = false;   // the rounded value was above the type's maximum
  bool underflow = false;  // the rounded value was below the type's minimum (or == min
                           // for AP_SAT_SYM on a signed type)
  bool out_of_range() const { return overflow || underflow; }
};

class FixedValue {
 public:
  // Zero of the given type.
  explicit FixedValue(const FixedType& type) : type_(type) {}

  // The value whose mantissa is m; m must already be in the type's range (asserted).
  static FixedValue FromMantissa(const FixedType& type, const WideInt& m);
  // The value whose W-bit pattern is the low W bits of `bits`.
  static FixedValue FromBits(const FixedType& type, const WideInt& bits);

  const FixedType& type() const { return type_; }
  // The integer m with value = m * 2^(I - W); in [MinMantissa, MaxMantissa] of the type.
  const WideInt& mantissa() const { return mantissa_; }

  double ToDouble() const { return mantissa_.ToDouble(type_.lsb_exponent()); }
  float ToFloat() const { return mantissa_.ToFloat(type_.lsb_exponent()); }
  // Exact decimal, e.g. "-1.375".
  std::string ToString() const { return mantissa_.ToDecimalString(type_.lsb_exponent()); }

 private:
  FixedType type_;
  WideInt mantissa_;
};

WideInt MinMantissa(const FixedType& t);
WideInt MaxMantissa(const FixedType& t);

// Converts the exact binary value of x into t. NaN and infinity are errors (the vendor types
// give garbage for them); every finite double is converted exactly as ap_fixed(double) does.
Result<FixedValue> Quantize(double x, const FixedType& t, CastEvents* events = nullptr);

// Converts v into t, as assigning one vendor fixed type to another does.
FixedValue Cast(const FixedValue& v, const FixedType& t, CastEvents* events = nullptr);

// The vendor's result types (ap_fixed_base<...>::RType), default modes (AP_TRN, AP_WRAP):
//   a + b, a - b:  I = max(Ia + (Sb && !Sa), Ib + (Sa && !Sb)) + 1
//                  W = I + max(Fa, Fb);  signed = Sa || Sb  (a - b: always signed)
//   a * b:         W = Wa + Wb, I = Ia + Ib, signed = Sa || Sb
//   -a:            W = Wa + 1, I = Ia + 1, signed
// An error when the result would be wider than kMaxWidth.
Result<FixedType> AddResultType(const FixedType& a, const FixedType& b);
Result<FixedType> SubResultType(const FixedType& a, const FixedType& b);
Result<FixedType> MulResultType(const FixedType& a, const FixedType& b);
Result<FixedType> NegResultType(const FixedType& a);

// Exact operations; the value is always exact in the result type above.
Result<FixedValue> Add(const FixedValue& a, const FixedValue& b);
Result<FixedValue> Sub(const FixedValue& a, const FixedValue& b);
Result<FixedValue> Mul(const FixedValue& a, const FixedValue& b);
Result<FixedValue> Neg(const FixedValue& a);

// Exact comparison of the values, whatever the types: -1, 0 or 1.
int Compare(const FixedValue& a, const FixedValue& b);

}  // namespace fixnn::fixed
