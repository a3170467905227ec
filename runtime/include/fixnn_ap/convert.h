// Value conversions shared by ap_int and ap_fixed: quantization and overflow
// handling when a fixed-point value lands in a narrower format, and the
// conversions between ap values and IEEE floating point.
#ifndef FIXNN_AP_CONVERT_H_
#define FIXNN_AP_CONVERT_H_

#include "limbs.h"

namespace fixnn_ap {

// Whether quantization adds one LSB. `half` is the first bit dropped, `rest`
// says whether any later dropped bit is set, `lsb` is the kept LSB and `neg`
// the sign of the source.
inline bool RoundsUp(ap_q_mode q, bool neg, bool half, bool rest, bool lsb) {
  switch (q) {
    case AP_RND:
      return half;
    case AP_RND_ZERO:
      return half && (neg || rest);
    case AP_RND_MIN_INF:
      return half && rest;
    case AP_RND_INF:
      return half && (!neg || rest);
    case AP_RND_CONV:
      return half && (lsb || rest);
    case AP_TRN_ZERO:
      return neg && (half || rest);
    default:
      return false;
  }
}

// Replaces a result whose exact value did not fit the format; `neg` is the
// sign of that exact value.
template <int AW, bool AS, ap_o_mode AO, int AN>
inline void ApplyOverflow(Raw<AW, AS>& v, bool neg) {
  enum { kWords = Raw<AW, AS>::kWords };
  if (AO == AP_WRAP) {
    // Wrapping keeps the low bits but forces the top AN bits to a pattern that
    // flags the overflow and keeps the sign.
    int lo = Max(AW - AN, 0);
    if (AS) {
      SetBit(v.w, AW - 1, neg);
      for (int i = lo; i < AW - 1; ++i) SetBit(v.w, i, !neg);
    } else {
      for (int i = lo; i < AW; ++i) SetBit(v.w, i, true);
    }
  } else if (AO == AP_SAT_ZERO) {
    SetWord(v.w, kWords, 0, 0);
  } else if (neg) {
    SetWord(v.w, kWords, 0, 0);
    if (AS) SetBit(v.w, AW - 1, true);
    if (AS && AO == AP_SAT_SYM) SetBit(v.w, 0, true);
  } else {
    SetWord(v.w, kWords, ~Word(0), ~Word(0));
    if (AS) SetBit(v.w, AW - 1, false);
  }
  v.Fix();
}

// Stores into `dst` (format AW.AI, signedness AS, modes AQ/AO/AN) the
// fixed-point value whose raw bits are `src` (BW bits, `src_signed`) and which
// has `shift` more fraction bits than the target. The result is the source
// rounded to the target LSB by AQ, then fitted by AO.
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN, int BW>
inline void FixedFrom(Raw<AW, AS>& dst, const Word* src, bool src_signed, int shift) {
  static_assert(AO != AP_WRAP_SM, "AP_WRAP_SM is not supported by fixnn's ap_fixed");
  // The reference headers only look for overflow when a static bound says it
  // may happen; mirroring that bound matters for AP_SAT_SYM's minimum case.
  const int src_int = BW - shift - (AW - AI);
  const bool may_round_up = shift > 0 && !(AQ == AP_TRN || (AQ == AP_TRN_ZERO && !src_signed));
  const bool check = (AO != AP_WRAP || AN != 0) &&
                     ((!AS && src_signed) ||
                      AI - int(AS) < src_int - int(src_signed) +
                                         int(may_round_up || (src_signed && AO == AP_SAT_SYM)));
  bool neg, fits = true, value_neg = false;
  if (AW <= 64 && BW <= 64) {
    SWide v = src_signed ? SWide(SWord(src[0])) : SWide(src[0]);
    neg = v < 0;
    SWide r = 0;
    bool huge = false;
    if (shift > 0) {
      SWide floor;
      bool half, rest;
      if (shift > 66) {
        floor = neg ? -1 : 0;
        half = neg;
        rest = v != 0;
      } else {
        floor = v >> shift;
        UWide dropped = UWide(v) & ((UWide(1) << shift) - 1);
        half = (dropped >> (shift - 1)) & 1;
        rest = (dropped & ((UWide(1) << (shift - 1)) - 1)) != 0;
      }
      r = floor + RoundsUp(AQ, neg, half, rest, floor & 1);
    } else if (shift == 0) {
      r = v;
    } else if (-shift >= AW) {
      huge = v != 0;
    } else {
      r = SWide(UWide(v) << -shift);
    }
    dst.w[0] = Word(r);
    dst.Fix();
    if (!check) return;
    int bits = AW < 64 ? AW : 64;  // not a constant: keeps wide-type shifts warning-free
    if (huge) {
      fits = false;
    } else if (AS) {
      fits = r >= -(SWide(1) << (bits - 1)) && r < (SWide(1) << (bits - 1));
    } else {
      fits = r >= 0 && r < (SWide(1) << bits);
    }
    value_neg = huge ? neg : r < 0;
  } else {
    enum { kBuf = WordsFor(AW + BW + 2), kDst = Raw<AW, AS>::kWords };
    Word b[kBuf];
    Extend(b, kBuf, src, WordsFor(BW), src_signed);
    neg = src_signed && (b[kBuf - 1] >> 63);
    bool huge = false;
    if (shift > 0) {
      bool half = GetBit(b, kBuf, shift - 1);
      bool rest = AnyBelow(b, kBuf, shift - 1);
      ShiftRight(b, kBuf, shift, true);
      if (RoundsUp(AQ, neg, half, rest, b[0] & 1)) AddWord(b, kBuf, 1);
    } else if (shift < 0) {
      if (-shift >= AW) {
        huge = !IsZero(b, kBuf);
        SetWord(b, kBuf, 0, 0);
      } else {
        ShiftLeft(b, kBuf, -shift);
      }
    }
    Extend(dst.w, kDst, b, kBuf, true);
    dst.Fix();
    if (!check) return;
    if (huge) {
      fits = false;
    } else {
      Word t[kBuf];
      Extend(t, kBuf, b, kBuf, true);
      Wrap(t, kBuf, AW, AS);
      fits = Equal(t, b, kBuf);
    }
    value_neg = huge ? neg : (b[kBuf - 1] >> 63) != 0;
  }
  if (!fits) {
    ApplyOverflow<AW, AS, AO, AN>(dst, value_neg);
  } else if (AO == AP_SAT_SYM && AS && src_signed && dst.IsNeg() &&
             !AnyBelow(dst.w, Raw<AW, AS>::kWords, AW - 1)) {
    // Symmetric saturation never yields the most negative value.
    ApplyOverflow<AW, AS, AO, AN>(dst, true);
  }
}

// IEEE layout of the two supported floating point types.
struct FloatFormat {
  int man_bits;
  int exp_bits;
  int bias() const { return (1 << (exp_bits - 1)) - 1; }
};
constexpr FloatFormat kDouble = {52, 11};
constexpr FloatFormat kFloat = {23, 8};

inline Word DoubleBits(double d) {
  Word bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

// Splits IEEE bits into a signed mantissa with the leading one always present
// (the reference headers do this even for subnormals, inf and nan) and the
// unbiased exponent. Returns false when the magnitude is zero.
inline bool SplitFloat(Word bits, FloatFormat f, SWord* man, int* exp) {
  int sign_pos = f.man_bits + f.exp_bits;
  if ((bits & ((Word(1) << sign_pos) - 1)) == 0) return false;
  Word m = (bits & ((Word(1) << f.man_bits) - 1)) | (Word(1) << f.man_bits);
  *exp = int((bits >> f.man_bits) & ((Word(1) << f.exp_bits) - 1)) - f.bias();
  *man = ((bits >> sign_pos) & 1) ? -SWord(m) : SWord(m);
  return true;
}

// Fixed value of a double, as a target of FixedFrom with a 54-bit source.
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
inline void FixedFromDouble(Raw<AW, AS>& dst, double d) {
  SWord man = 0;
  int exp = 0;
  if (!SplitFloat(DoubleBits(d), kDouble, &man, &exp)) {
    dst = Raw<AW, AS>();
    return;
  }
  Word src = Word(man);
  FixedFrom<AW, AI, AS, AQ, AO, AN, 54>(dst, &src, true, (52 - exp) - (AW - AI));
}

// Integer value of a float or double: the magnitude is truncated, wrapped to
// AW bits and then negated, which for negative inputs above -0.5 gives 1
// (a quirk of the reference headers that is kept for identical results).
template <int AW, bool AS>
inline void IntFromFloat(Raw<AW, AS>& v, Word bits, FloatFormat f) {
  SWord man = 0;
  int exp = 0;
  v = Raw<AW, AS>();
  if (!SplitFloat(bits, f, &man, &exp)) return;
  bool neg = man < 0;
  Word mag = Word(neg ? -man : man);
  int sh = f.man_bits - exp;
  if (sh >= 0) {
    if (sh < f.man_bits + 2) {
      v.SetUnsigned(mag >> sh);
    } else if (neg) {
      v.SetSigned(-1);
    }
  } else if (-sh < AW) {
    v.SetUnsigned(mag);
    ShiftLeft(v.w, Raw<AW, AS>::kWords, -sh);
    v.Fix();
  }
  if (neg) {
    Negate(v.w, Raw<AW, AS>::kWords);
    v.Fix();
  }
}

// IEEE bits nearest (ties to even) to the fixed value `v` with `int_bits`
// integer bits. Exponents outside the format wrap into the exponent field,
// which reproduces the reference headers for out-of-range values.
template <int AW, bool AS>
inline Word FixedToFloatBits(const Raw<AW, AS>& v, int int_bits, FloatFormat f) {
  enum { kWords = Raw<AW, AS>::kWords };
  if (v.IsZero()) return 0;
  bool neg = v.IsNeg();
  Word mag[kWords];
  Extend(mag, kWords, v.w, kWords, AS);
  if (neg) Negate(mag, kWords);
  Wrap(mag, kWords, AW, false);
  int lz = LeadingZeros(mag, AW);
  int exp = int_bits - lz - 1 + f.bias();
  int lsb = AW - lz - 1 - f.man_bits;
  bool up = (lsb >= 2 && AnyBelow(mag, kWords, lsb - 1)) || (lsb >= 0 && GetBit(mag, kWords, lsb));
  Word m;
  if (lsb >= 1) {
    ShiftRight(mag, kWords, lsb - 1, false);
    m = mag[0];
  } else {
    m = mag[0] << (1 - lsb);
  }
  m = (m + up) >> 1;
  if ((m >> (f.man_bits + 1)) & 1) ++exp;
  Word exp_mask = (Word(1) << f.exp_bits) - 1;
  m &= ~(exp_mask << f.man_bits);
  m |= (Word(exp) & exp_mask) << f.man_bits;
  return m | (Word(neg) << (f.man_bits + f.exp_bits));
}

inline double BitsToDouble(Word bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

inline float BitsToFloat(Word bits) {
  unsigned int b = static_cast<unsigned int>(bits);
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

inline Word FloatBits(float x) {
  unsigned int b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

}  // namespace fixnn_ap

#endif  // FIXNN_AP_CONVERT_H_
