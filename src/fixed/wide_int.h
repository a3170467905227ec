// WideInt: a fixed-size 320-bit two's complement integer for the exact (slow) path of the
// fixed-point core. 320 bits hold every value of a signed or unsigned type up to 256 bits,
// with room for a rounding carry. Arithmetic is modulo 2^320, like the machine integers.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace fixnn::fixed {

class WideInt {
 public:
  static constexpr int kLimbs = 5;
  static constexpr int kBits = 64 * kLimbs;

  constexpr WideInt() : limbs_{} {}
  explicit WideInt(std::int64_t v);
  static WideInt FromUnsigned(std::uint64_t v);
  static WideInt FromInt128(__int128 v);
  static WideInt PowerOfTwo(int n);  // 2^n, n in [0, kBits - 2]

  bool IsNegative() const { return (limbs_[kLimbs - 1] >> 63) != 0; }
  bool IsZero() const;
  // Bit i of the two's complement pattern; i >= kBits gives the sign bit.
  bool Bit(int i) const;
  // True when any of bits [0, n) is set; n is clamped to [0, kBits].
  bool AnyBitsBelow(int n) const;
  // Smallest width that holds this value as a signed (two's complement) integer.
  int SignedBitLength() const;

  // Shifts left by n >= 0. *lost (if given) becomes true when the shift changed the value's
  // meaning, i.e. when the true result does not fit in kBits signed bits.
  WideInt ShiftLeft(int n, bool* lost = nullptr) const;
  // Arithmetic shift right by n >= 0 (floor division by 2^n); n >= kBits gives 0 or -1.
  WideInt ShiftRightFloor(int n) const;
  // Keeps the low `width` bits and sign-extends (is_signed) or zero-extends them.
  WideInt WrapTo(int width, bool is_signed) const;
  // Sets bit i to b.
  void SetBit(int i, bool b);

  int Compare(const WideInt& o) const;  // signed: -1, 0, 1
  friend bool operator==(const WideInt& a, const WideInt& b) { return a.limbs_ == b.limbs_; }
  friend bool operator<(const WideInt& a, const WideInt& b) { return a.Compare(b) < 0; }
  friend bool operator<=(const WideInt& a, const WideInt& b) { return a.Compare(b) <= 0; }
  friend bool operator>(const WideInt& a, const WideInt& b) { return a.Compare(b) > 0; }
  friend bool operator>=(const WideInt& a, const WideInt& b) { return a.Compare(b) >= 0; }

  friend WideInt operator+(const WideInt& a, const WideInt& b);
  friend WideInt operator-(const WideInt& a, const WideInt& b);
  friend WideInt operator*(const WideInt& a, const WideInt& b);
  WideInt operator-() const;

  bool FitsInt64() const;
  std::int64_t ToInt64() const { return static_cast<std::int64_t>(limbs_[0]); }  // low 64 bits
  std::uint64_t Limb(int i) const { return limbs_[i]; }

  // value * 2^exp2 rounded to the nearest double, ties to even (as the vendor's to_double()).
  double ToDouble(int exp2 = 0) const;
  // value * 2^exp2 rounded to the nearest float, ties to even, in one rounding step.
  float ToFloat(int exp2 = 0) const;
  // Exact decimal text of value * 2^exp2 (a finite decimal, since 2^-k = 5^k / 10^k).
  std::string ToDecimalString(int exp2 = 0) const;
  // Low `width` bits as "0x..." hex.
  std::string ToHexString(int width) const;

 private:
  std::array<std::uint64_t, kLimbs> limbs_;
};

}  // namespace fixnn::fixed
