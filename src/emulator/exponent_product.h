// hls4ml's product with a power-of-two weight, nnet::product::weight_exponential (nnet_mult.h).
// hls4ml stores a weight of QKeras' quantized_po2(B) (its QKerasPO2Quantizer, an
// ExponentPrecisionType) as a sign bit and a B-bit exponent, {sign, log2|w|}, sign 0 for a
// negative value (model/types.py, ExponentWeightVariable). The product casts x (TRN, WRAP) into
// r_t = ap_fixed<2N, N>, N = B + x's width, shifts it left by the exponent there (right, floor,
// when it is negative; a left shift drops the bits above r_t's), and negates it back into r_t
// for a negative weight. The layer then casts r_t into its accumulator as any product.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "emulator/arith.h"
#include "emulator/kernel.h"

namespace fixnn::emulator {

// One weight as hls4ml stores it.
struct ExponentWeight {
  int exponent = 0;
  bool negative = false;
};

// r_t for one input type and a set of weights.
struct ExponentProduct {
  fixed::FixedType type;  // r_t
  int input_shift = 0;    // x's LSB minus r_t's: the cast of x into r_t shifts by it
  bool can_wrap = false;  // some step can leave r_t's range
  int site = -1;          // the run site counting the products that wrapped in r_t, or -1

  // The product of mantissa m (of x's type) and w, a mantissa of r_t. A product that left r_t
  // in any step counts once at `wraps` (by the sign of the step that first left it); `wraps`
  // may be null when !can_wrap.
  template <class M>
  typename Arith<M>::Wide Multiply(const M& m, ExponentWeight w, SiteCounter wraps) const;
};

// Whether hls4ml stores `w` as an exponent weight: its quantizer is QKeras' quantized_po2
// (not quantized_relu_po2, which hls4ml quantizes into a fixed-point type).
bool IsExponentWeight(const ir::Weight& w);

// The exponent width B of quantized_po2(B), recovered from the quantizer's exponent range
// (QKeras: 2^(B - 1 - s) exponents below 0, s = 0 when max_value <= 1, else 1).
int ExponentBits(const ir::Quantizer& q);

// The weight's values, quantized, as {sign, exponent}. Refuses a quantizer scale, a value that
// is not a power of two and an exponent outside the B-bit type.
Result<std::vector<ExponentWeight>> ExponentWeightsOf(BuildContext& ctx, const ir::Weight& w);

// Whether every product of an x of type `x` and these weights is exactly x * w in r_t: no bit
// below r_t's LSB, nothing outside its range. Then the product is the plain one.
bool ExponentProductIsExact(int bits, const fixed::FixedType& x,
                            const std::vector<ExponentWeight>& weights);

// r_t = ap_fixed<2N, N> for inputs of type `x` and B = `bits`; refuses an r_t wider than
// fixnn's widest type ("a power-of-two <what> product of ... bits"). Does not register the
// wrap site.
Result<ExponentProduct> MakeExponentProduct(BuildContext& ctx, int bits, const fixed::FixedType& x,
                                            const std::vector<ExponentWeight>& weights,
                                            const std::string& what);

namespace exponent_detail {

inline __int128 ShiftUp(__int128 v, int n) { return v << n; }
inline WideInt ShiftUp(const WideInt& v, int n) { return v.ShiftLeft(n); }

// The two's complement pattern of v wrapped to `width` bits (width <= 126 for __int128).
inline __int128 Wrap(__int128 v, int width) {
  const int drop = 128 - width;
  return static_cast<__int128>(static_cast<unsigned __int128>(v) << drop) >> drop;
}
inline WideInt Wrap(const WideInt& v, int width) { return v.WrapTo(width, true); }

inline __int128 ShiftDown(__int128 v, int n) { return v >> std::min(n, 127); }
inline WideInt ShiftDown(const WideInt& v, int n) { return v.ShiftRightFloor(n); }

inline bool IsZero(__int128 v) { return v == 0; }
inline bool IsZero(const WideInt& v) { return v.IsZero(); }

// Whether v * 2^n (n >= 0) lies in the signed `width`-bit range.
template <class W>
bool FitsShifted(const W& v, int n, int width) {
  const int room = width - 1 - n;
  if (room < 0) return IsZero(v);
  const W top = ShiftDown(v, room);
  return top == W(0) || top == W(-1);
}

}  // namespace exponent_detail

template <class M>
typename Arith<M>::Wide ExponentProduct::Multiply(const M& m, ExponentWeight w,
                                                  SiteCounter wraps) const {
  using A = Arith<M>;
  using W = typename A::Wide;
  using namespace exponent_detail;
  const int width = type.width;
  bool wrapped = false, above = false;
  auto note = [&](bool fits, bool positive) {
    if (!fits && !wrapped) {
      wrapped = true;
      above = positive;
    }
  };
  // static_cast<r_t>(x): TRN (floor) below r_t's LSB, WRAP above its range.
  W r = A::Widen(m);
  if (input_shift >= 0) {
    if (can_wrap) note(FitsShifted(r, input_shift, width), !A::IsNegative(m));
    r = input_shift >= width ? W(0) : Wrap(ShiftUp(r, input_shift), width);
  } else {
    r = ShiftDown(r, -input_shift);
  }
  // << exponent: a negative exponent shifts right (floor).
  if (w.exponent >= 0) {
    if (can_wrap) note(FitsShifted(r, w.exponent, width), !(r < W(0)));
    r = w.exponent >= width ? W(0) : Wrap(ShiftUp(r, w.exponent), width);
  } else {
    r = ShiftDown(r, -w.exponent);
  }
  // A negative weight: -y back into r_t; only r_t's minimum wraps (onto itself).
  if (w.negative) {
    const W negated = W(0) - r;
    if (can_wrap) note(FitsShifted(negated, 0, width), true);
    r = Wrap(negated, width);
  }
  if (wrapped) ++wraps[above ? 0 : 1];
  return r;
}

}  // namespace fixnn::emulator
