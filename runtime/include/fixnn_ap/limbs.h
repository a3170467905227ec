// Two's complement integers stored as little-endian arrays of 64-bit words.
// Every routine works on (pointer, word count) spans; call sites pass
// compile-time counts, so after inlining the one-word case becomes plain
// 64-bit arithmetic and no loop survives.
#ifndef FIXNN_AP_LIMBS_H_
#define FIXNN_AP_LIMBS_H_

#include "common.h"

namespace fixnn_ap {

// The word that extends a value beyond its top stored word.
inline Word FillOf(const Word* p, int n, bool is_signed) {
  return (is_signed && (p[n - 1] >> 63)) ? ~Word(0) : Word(0);
}

// Copies src into dst, extending with the sign (or zeros) or dropping words.
inline void Extend(Word* dst, int dn, const Word* src, int sn, bool src_signed) {
  Word fill = FillOf(src, sn, src_signed);
  for (int i = 0; i < dn; ++i) dst[i] = i < sn ? src[i] : fill;
}

// Reduces the value modulo 2^bits and re-extends it as a bits-wide signed or
// unsigned number, which is the canonical form every Raw keeps.
inline void Wrap(Word* p, int n, int bits, bool is_signed) {
  int top_word = (bits - 1) / 64;
  if (top_word >= n) return;
  int used = bits - 64 * top_word;
  Word t = p[top_word];
  if (used < 64) {
    int sh = 64 - used;
    t = is_signed ? Word(SWord(t << sh) >> sh) : ((t << sh) >> sh);
  }
  p[top_word] = t;
  Word fill = (is_signed && (t >> 63)) ? ~Word(0) : Word(0);
  for (int i = top_word + 1; i < n; ++i) p[i] = fill;
}

inline bool IsZero(const Word* p, int n) {
  for (int i = 0; i < n; ++i) {
    if (p[i]) return false;
  }
  return true;
}

inline bool Equal(const Word* a, const Word* b, int n) {
  for (int i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

inline void SetWord(Word* p, int n, Word v, Word fill) {
  p[0] = v;
  for (int i = 1; i < n; ++i) p[i] = fill;
}

// d = a + b (mod 2^(64n)); d may alias either input.
inline void Add(Word* d, const Word* a, const Word* b, int n) {
  Word carry = 0;
  for (int i = 0; i < n; ++i) {
    Word s = a[i] + carry;
    Word c1 = s < carry;
    Word t = s + b[i];
    carry = c1 + (t < s);
    d[i] = t;
  }
}

// d = a - b (mod 2^(64n)); d may alias either input.
inline void Sub(Word* d, const Word* a, const Word* b, int n) {
  Word borrow = 0;
  for (int i = 0; i < n; ++i) {
    Word ai = a[i], bi = b[i];
    Word t = ai - bi - borrow;
    borrow = (ai < bi) || (ai == bi && borrow);
    d[i] = t;
  }
}

inline void AddWord(Word* p, int n, Word v) {
  for (int i = 0; i < n && v; ++i) {
    Word t = p[i] + v;
    v = t < v;
    p[i] = t;
  }
}

inline void Negate(Word* p, int n) {
  for (int i = 0; i < n; ++i) p[i] = ~p[i];
  AddWord(p, n, 1);
}

// d = a * b (mod 2^(64n)); d must not alias the inputs.
inline void Mul(Word* d, const Word* a, const Word* b, int n) {
  if (n == 1) {
    d[0] = a[0] * b[0];
    return;
  }
  for (int i = 0; i < n; ++i) d[i] = 0;
  for (int i = 0; i < n; ++i) {
    Word carry = 0;
    for (int j = 0; i + j < n; ++j) {
      UWide t = UWide(a[i]) * b[j] + d[i + j] + carry;
      d[i + j] = Word(t);
      carry = Word(t >> 64);
    }
  }
}

inline void ShiftLeft(Word* p, int n, int k) {
  if (k <= 0) return;
  int ws = k / 64, bs = k % 64;
  for (int i = n - 1; i >= 0; --i) {
    Word hi = i - ws >= 0 ? p[i - ws] : 0;
    Word lo = i - ws - 1 >= 0 ? p[i - ws - 1] : 0;
    p[i] = bs ? (hi << bs) | (lo >> (64 - bs)) : hi;
  }
}

// Right shift; `arith` replicates the top bit of the stored words.
inline void ShiftRight(Word* p, int n, int k, bool arith) {
  if (k <= 0) return;
  Word fill = (arith && (p[n - 1] >> 63)) ? ~Word(0) : Word(0);
  int ws = k / 64, bs = k % 64;
  for (int i = 0; i < n; ++i) {
    Word lo = i + ws < n ? p[i + ws] : fill;
    Word hi = i + ws + 1 < n ? p[i + ws + 1] : fill;
    p[i] = bs ? (lo >> bs) | (hi << (64 - bs)) : lo;
  }
}

// Bit i of the value; positions past the stored words read the top bit.
inline bool GetBit(const Word* p, int n, int i) {
  if (i >= 64 * n) return p[n - 1] >> 63;
  return (p[i / 64] >> (i % 64)) & 1;
}

inline void SetBit(Word* p, int i, bool v) {
  Word m = Word(1) << (i % 64);
  p[i / 64] = v ? (p[i / 64] | m) : (p[i / 64] & ~m);
}

// True when any of bits [0, k) is set.
inline bool AnyBelow(const Word* p, int n, int k) {
  if (k > 64 * n) k = 64 * n;
  for (int i = 0; k > 0; ++i, k -= 64) {
    Word m = k >= 64 ? ~Word(0) : ((Word(1) << k) - 1);
    if (p[i] & m) return true;
  }
  return false;
}

inline int CompareUnsigned(const Word* a, const Word* b, int n) {
  for (int i = n - 1; i >= 0; --i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

inline int CompareSigned(const Word* a, const Word* b, int n) {
  bool na = a[n - 1] >> 63, nb = b[n - 1] >> 63;
  if (na != nb) return na ? -1 : 1;
  return CompareUnsigned(a, b, n);
}

// Number of leading zero bits within the low `bits` bits.
inline int LeadingZeros(const Word* p, int bits) {
  for (int wi = (bits - 1) / 64; wi >= 0; --wi) {
    int used = Min(64, bits - 64 * wi);
    Word t = used < 64 ? (p[wi] & ((Word(1) << used) - 1)) : p[wi];
    if (t) return bits - 1 - (64 * wi + 63 - __builtin_clzll(t));
  }
  return bits;
}

// Unsigned q = a / b, r = a % b; a zero divisor yields q = 0, r = a.
inline void DivModUnsigned(Word* q, Word* r, const Word* a, const Word* b, int n) {
  if (IsZero(b, n)) {
    for (int i = 0; i < n; ++i) {
      q[i] = 0;
      r[i] = a[i];
    }
    return;
  }
  if (n == 1) {
    q[0] = a[0] / b[0];
    r[0] = a[0] % b[0];
    return;
  }
  for (int i = 0; i < n; ++i) q[i] = r[i] = 0;
  for (int i = 64 * n - 1; i >= 0; --i) {
    bool out = r[n - 1] >> 63;
    ShiftLeft(r, n, 1);
    r[0] |= Word(GetBit(a, n, i));
    if (out || CompareUnsigned(r, b, n) >= 0) {
      Sub(r, r, b, n);
      SetBit(q, i, true);
    }
  }
}

// Divides in place by a small divisor and returns the remainder.
inline Word DivSmall(Word* p, int n, Word d) {
  UWide rem = 0;
  for (int i = n - 1; i >= 0; --i) {
    UWide cur = (rem << 64) | p[i];
    p[i] = Word(cur / d);
    rem = cur % d;
  }
  return Word(rem);
}

// Multiplies in place by a small factor and returns the word carried out.
inline Word MulSmall(Word* p, int n, Word m) {
  Word carry = 0;
  for (int i = 0; i < n; ++i) {
    UWide t = UWide(p[i]) * m + carry;
    p[i] = Word(t);
    carry = Word(t >> 64);
  }
  return carry;
}

// Storage of an ap value: AW bits in canonical form (the bits above AW in
// the top word copy the sign bit when AS, and are zero otherwise).
template <int AW, bool AS>
struct Raw {
  static_assert(AW >= 1, "ap types need at least one bit");
  enum { kWords = WordsFor(AW) };
  Word w[kWords];

  Raw() : w() {}
  template <int BW, bool BS>
  Raw(const Raw<BW, BS>& o) {  // NOLINT: implicit like the reference .V
    Extend(w, kWords, o.w, Raw<BW, BS>::kWords, BS);
    Wrap(w, kWords, AW, AS);
  }

  void Fix() { Wrap(w, kWords, AW, AS); }
  bool IsNeg() const { return AS && (w[kWords - 1] >> 63); }
  bool IsZero() const { return fixnn_ap::IsZero(w, kWords); }
  bool Bit(int i) const { return GetBit(w, kWords, i); }
  void SetSigned(SWord v) {
    SetWord(w, kWords, Word(v), v < 0 ? ~Word(0) : 0);
    Fix();
  }
  void SetUnsigned(Word v) {
    SetWord(w, kWords, v, 0);
    Fix();
  }
};

}  // namespace fixnn_ap

#endif  // FIXNN_AP_LIMBS_H_
