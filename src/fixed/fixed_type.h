// FixedType: the runtime description of a vendor fixed-point or integer type
// (ap_fixed, ap_ufixed, ap_int, ap_uint), with parsing and printing of every spelling users
// write, in the vendor's form and in hls4ml's.
//
// A value of type {signed, W, I, ...} is mantissa * 2^(I - W), where the mantissa is a W-bit
// two's complement (signed) or plain binary (unsigned) integer. I may be negative or larger
// than W.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "support/result.h"

namespace fixnn::fixed {

// Quantization (rounding) modes, with the vendor's meanings, applied to the bits that a
// conversion drops below the target's least significant bit.
enum class Rounding : std::uint8_t {
  kTrn,        // AP_TRN: toward minus infinity (drop the bits)
  kTrnZero,    // AP_TRN_ZERO: toward zero
  kRnd,        // AP_RND: to nearest, ties toward plus infinity
  kRndZero,    // AP_RND_ZERO: to nearest, ties toward zero
  kRndMinInf,  // AP_RND_MIN_INF: to nearest, ties toward minus infinity
  kRndInf,     // AP_RND_INF: to nearest, ties away from zero
  kRndConv,    // AP_RND_CONV: to nearest, ties to even
};

// Overflow modes, applied when the rounded value does not fit the target's range.
enum class Overflow : std::uint8_t {
  kWrap,     // AP_WRAP: keep the low W bits; with N > 0 saturation bits and an overflow, the
             // MSB takes the value's sign and the next N-1 bits its inverse (unsigned: all N
             // top bits become 1)
  kSat,      // AP_SAT: clamp to the type's minimum or maximum
  kSatZero,  // AP_SAT_ZERO: set to zero
  kSatSym,   // AP_SAT_SYM: clamp to the symmetric range [-max, max] (signed types)
};

// Widest type fixnn represents. Exact results of + - * on types up to kMaxWidth/2 bits fit.
inline constexpr int kMaxWidth = 256;
// Bound on |I|, so that every shift stays a sane size.
inline constexpr int kMaxIntegerMagnitude = 4096;

struct FixedType {
  bool is_signed = true;
  int width = 16;    // W, total bits, 1..kMaxWidth
  int integer = 6;   // I, integer bits including the sign bit; any value in +-kMaxIntegerMagnitude
  Rounding rounding = Rounding::kTrn;
  Overflow overflow = Overflow::kWrap;
  int sat_bits = 0;  // N, saturation bits used by AP_WRAP, 0..W
  // Printing hint only: the type was written ap_int/ap_uint/int/uint. Does not affect values.
  bool integer_spelling = false;

  static FixedType Fixed(int w, int i, Rounding q = Rounding::kTrn, Overflow o = Overflow::kWrap,
                         int n = 0);
  static FixedType UFixed(int w, int i, Rounding q = Rounding::kTrn, Overflow o = Overflow::kWrap,
                          int n = 0);
  static FixedType Int(int w);
  static FixedType UInt(int w);

  int frac_bits() const { return width - integer; }     // F = W - I, may be negative
  int lsb_exponent() const { return integer - width; }  // value = mantissa * 2^lsb_exponent

  // An error naming what is out of range (width, sat_bits, integer), or ok.
  Status Validate() const;

  // Vendor spelling, shortest form: "ap_fixed<16,6>", "ap_ufixed<8,0,AP_RND,AP_SAT>",
  // "ap_int<8>". Modes are printed only when not the defaults (AP_TRN, AP_WRAP, 0).
  std::string ToString() const;
  // hls4ml's spelling: "fixed<16,6>", "ufixed<8,0,RND,SAT>", "int<8>", "uint<4>".
  std::string ToHls4mlString() const;

  // Parameter equality (ignores integer_spelling). Types that compute alike can still differ,
  // e.g. N > 0 with an overflow mode other than AP_WRAP, where the vendor ignores N.
  friend bool operator==(const FixedType& a, const FixedType& b) {
    return a.is_signed == b.is_signed && a.width == b.width && a.integer == b.integer &&
           a.rounding == b.rounding && a.overflow == b.overflow && a.sat_bits == b.sat_bits;
  }
};

// Parses every spelling: ap_fixed<W,I[,Q[,O[,N]]]>, ap_ufixed<...>, ap_int<W>, ap_uint<W>,
// and hls4ml's fixed<...>, ufixed<...>, int<W>, uint<W>. Modes may be written with or without
// the AP_ prefix (AP_RND or RND). Spaces are allowed around tokens. A bad string gets an error
// that quotes it and says what is wrong and at which column.
Result<FixedType> ParseFixedType(std::string_view text);

std::string_view RoundingName(Rounding q);  // "AP_TRN", ...
std::string_view OverflowName(Overflow o);  // "AP_WRAP", ...

}  // namespace fixnn::fixed
