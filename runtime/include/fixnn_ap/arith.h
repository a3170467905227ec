// Exact arithmetic, comparison, shift and bit-range helpers on Raw values.
// The ap classes decide the result formats; these helpers only move bits.
#ifndef FIXNN_AP_ARITH_H_
#define FIXNN_AP_ARITH_H_

#include "limbs.h"

namespace fixnn_ap {

// (a << sa) + (b << sb), or the difference, in a format wide enough to hold
// the exact result.
template <int RW, bool RS, int AW, bool AS, int BW, bool BS>
inline Raw<RW, RS> AlignedSum(const Raw<AW, AS>& a, int sa, const Raw<BW, BS>& b, int sb,
                              bool subtract) {
  enum { kWords = Raw<RW, RS>::kWords };
  Raw<RW, RS> x(a), y(b);
  ShiftLeft(x.w, kWords, sa);
  ShiftLeft(y.w, kWords, sb);
  if (subtract) {
    Sub(x.w, x.w, y.w, kWords);
  } else {
    Add(x.w, x.w, y.w, kWords);
  }
  x.Fix();
  return x;
}

template <int RW, bool RS, int AW, bool AS, int BW, bool BS>
inline Raw<RW, RS> Product(const Raw<AW, AS>& a, const Raw<BW, BS>& b) {
  Raw<RW, RS> x(a), y(b), r;
  Mul(r.w, x.w, y.w, Raw<RW, RS>::kWords);
  r.Fix();
  return r;
}

// Bitwise and (op '&'), or ('|') or xor ('^') after aligning both operands.
template <int RW, bool RS, int AW, bool AS, int BW, bool BS>
inline Raw<RW, RS> Logic(const Raw<AW, AS>& a, int sa, const Raw<BW, BS>& b, int sb, char op) {
  Raw<RW, RS> x(a), y(b);
  ShiftLeft(x.w, Raw<RW, RS>::kWords, sa);
  ShiftLeft(y.w, Raw<RW, RS>::kWords, sb);
  for (int i = 0; i < Raw<RW, RS>::kWords; ++i) {
    x.w[i] = op == '&' ? (x.w[i] & y.w[i]) : op == '|' ? (x.w[i] | y.w[i]) : (x.w[i] ^ y.w[i]);
  }
  x.Fix();
  return x;
}

// Truncating division and remainder (remainder takes the dividend's sign)
// when `is_signed`; otherwise the canonical bit patterns are divided as
// unsigned numbers. A zero divisor gives quotient 0 and remainder x.
template <int KW, bool KS>
inline void DivMod(const Raw<KW, KS>& x, const Raw<KW, KS>& y, bool is_signed, Raw<KW, KS>* q,
                   Raw<KW, KS>* r) {
  enum { kWords = Raw<KW, KS>::kWords };
  Word a[kWords], b[kWords];
  Extend(a, kWords, x.w, kWords, false);
  Extend(b, kWords, y.w, kWords, false);
  bool na = is_signed && x.IsNeg(), nb = is_signed && y.IsNeg();
  if (na) Negate(a, kWords);
  if (nb) Negate(b, kWords);
  DivModUnsigned(q->w, r->w, a, b, kWords);
  if (na != nb) Negate(q->w, kWords);
  if (na) Negate(r->w, kWords);
  q->Fix();
  r->Fix();
}

// Integer division and remainder as the reference ap_int does them: both
// operands are first widened to one extra bit, taking the signedness of the
// wider operand (of either when the widths match).
template <int AW, bool AS, int BW, bool BS>
struct IntDivision {
  enum {
    kWidth = Max(AW, BW) + (AS || BS),
    kSigned = AW > BW ? AS : (BW > AW ? BS : (AS || BS)),
  };
  typedef Raw<kWidth, bool(kSigned)> Wide;
  Wide q, r;
  IntDivision(const Raw<AW, AS>& a, const Raw<BW, BS>& b, bool signed_remainder) {
    Wide x(a), y(b);
    DivMod(x, y, bool(kSigned) && (signed_remainder ? AS : (AS || BS)), &q, &r);
  }
};

// Fixed-point quotient bits: a << max(F2, 0) divided by b, exact.
template <int RW, bool RS, int AW, bool AS, int BW, bool BS>
inline Raw<RW, RS> FixedQuotient(const Raw<AW, AS>& a, const Raw<BW, BS>& b, int f2) {
  const int shift = f2 > 0 ? f2 : 0;
  // RW already counts the shifted dividend, so this holds both operands.
  typedef Raw<Max(RW, BW) + 2, AS || BS> Wide;
  Wide x(a), y(b), q, r;
  ShiftLeft(x.w, Wide::kWords, shift);
  DivMod(x, y, AS || BS, &q, &r);
  return Raw<RW, RS>(q);
}

// Ordering of two integers with the reference headers' mixed-signedness
// rule: when one side is signed and the other unsigned, the comparison is
// signed only if both are narrower than 32 bits or the signed side is wider;
// otherwise a negative value compares as a huge unsigned one (as in C).
template <int AW, bool AS, int BW, bool BS>
inline int Compare(const Raw<AW, AS>& a, const Raw<BW, BS>& b) {
  enum { kBits = Max(AW, BW) + 1, kWords = WordsFor(kBits) };
  const bool signed_order = AS == BS ? AS : ((AW < 32 && BW < 32) || (AS ? AW > BW : BW > AW));
  Word x[kWords], y[kWords];
  Extend(x, kWords, a.w, Raw<AW, AS>::kWords, AS);
  Extend(y, kWords, b.w, Raw<BW, BS>::kWords, BS);
  if (signed_order) return CompareSigned(x, y, kWords);
  Wrap(x, kWords, kBits, false);
  Wrap(y, kWords, kBits, false);
  return CompareUnsigned(x, y, kWords);
}

// Equality as the reference headers test it: mixed-signedness operands are
// compared as bit patterns extended to max(widths, 32) bits (64 when both
// widths are equal and at most 64).
template <int AW, bool AS, int BW, bool BS>
inline bool Same(const Raw<AW, AS>& a, const Raw<BW, BS>& b) {
  enum {
    kBits = (AW == BW && AW <= 64) ? 64 : Max(Max(AW, BW), 32),
    kWords = WordsFor(kBits),
  };
  Word x[kWords], y[kWords];
  Extend(x, kWords, a.w, Raw<AW, AS>::kWords, AS);
  Extend(y, kWords, b.w, Raw<BW, BS>::kWords, BS);
  Wrap(x, kWords, kBits, false);
  Wrap(y, kWords, kBits, false);
  return Equal(x, y, kWords);
}

// v << k within the width; shifting by the width or more gives zero.
template <int AW, bool AS>
inline Raw<AW, AS> ShiftedLeft(Raw<AW, AS> v, unsigned long long k) {
  if (k >= unsigned(AW)) return Raw<AW, AS>();
  ShiftLeft(v.w, Raw<AW, AS>::kWords, int(k));
  v.Fix();
  return v;
}

// v >> k, arithmetic for signed values; large shifts leave only the sign.
template <int AW, bool AS>
inline Raw<AW, AS> ShiftedRight(Raw<AW, AS> v, unsigned long long k) {
  int amount = k >= unsigned(AW) ? AW : int(k);
  ShiftRight(v.w, Raw<AW, AS>::kWords, amount, AS);
  v.Fix();
  return v;
}

// Shift by a signed amount: negative counts shift the other way.
template <int AW, bool AS>
inline Raw<AW, AS> ShiftedLeftSigned(const Raw<AW, AS>& v, long long k) {
  return k >= 0 ? ShiftedLeft(v, k) : ShiftedRight(v, 0ull - (unsigned long long)k);
}
template <int AW, bool AS>
inline Raw<AW, AS> ShiftedRightSigned(const Raw<AW, AS>& v, long long k) {
  return k >= 0 ? ShiftedRight(v, k) : ShiftedLeft(v, 0ull - (unsigned long long)k);
}

// Bits [lo, hi] of v as an unsigned value of the same width; hi < lo selects
// [hi, lo] in reverse order.
template <int AW, bool AS>
inline Raw<AW, false> GetRange(const Raw<AW, AS>& v, int hi, int lo) {
  Raw<AW, false> r;
  if (hi >= lo) {
    r = Raw<AW, false>(v);
    ShiftRight(r.w, Raw<AW, false>::kWords, lo, false);
    Wrap(r.w, Raw<AW, false>::kWords, hi - lo + 1, false);
  } else {
    for (int k = 0; k <= lo - hi && k < AW; ++k) SetBit(r.w, k, v.Bit(lo - k));
  }
  return r;
}

// Writes the low bits of `src` (extended by its own signedness) into bits
// [lo, hi] of v, or into [hi, lo] in reverse order when hi < lo.
template <int AW, bool AS, int BW, bool BS>
inline void SetRange(Raw<AW, AS>& v, int hi, int lo, const Raw<BW, BS>& src) {
  enum { kWords = Raw<AW, AS>::kWords };
  Raw<AW, false> bits(src);
  if (hi >= lo) {
    Word mask[kWords];
    SetWord(mask, kWords, ~Word(0), ~Word(0));
    Wrap(mask, kWords, hi - lo + 1, false);
    ShiftLeft(mask, kWords, lo);
    Wrap(bits.w, kWords, hi - lo + 1, false);
    ShiftLeft(bits.w, kWords, lo);
    for (int i = 0; i < kWords; ++i) v.w[i] = (v.w[i] & ~mask[i]) | (bits.w[i] & mask[i]);
  } else {
    for (int k = 0; k <= lo - hi && lo - k < AW; ++k) SetBit(v.w, lo - k, bits.Bit(k));
  }
  v.Fix();
}

}  // namespace fixnn_ap

#endif  // FIXNN_AP_ARITH_H_
