#include "passes/exact_accumulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "fixed/fixed_value.h"
#include "passes/precision_rules.h"

namespace fixnn::passes {

using fixed::FixedType;
using fixed::WideInt;

namespace {

// The number of trailing zero bits every nonzero value shares, tracked as values arrive.
class CommonTrailingZeros {
 public:
  void Add(const WideInt& v) {
    if (v.IsZero()) return;
    any_ = true;
    while (bits_ > 0 && v.AnyBitsBelow(bits_)) --bits_;
  }
  bool any() const { return any_; }
  int bits() const { return bits_; }

 private:
  bool any_ = false;
  int bits_ = WideInt::kBits;
};

// v * 2^from as a mantissa over LSB 2^to; exact by construction (v is a multiple of 2^to).
Result<WideInt> Rescale(const WideInt& v, int from, int to) {
  if (from >= to) {
    bool lost = false;
    WideInt r = v.ShiftLeft(from - to, &lost);
    if (lost) return Error("the accumulator would need more than 318 bits");
    return r;
  }
  return v.ShiftRightFloor(to - from);
}

Result<WideInt> Multiply(const WideInt& a, const WideInt& b) {
  if (a.SignedBitLength() + b.SignedBitLength() > WideInt::kBits - 2) {
    return Error("the accumulator would need more than 318 bits");
  }
  return a * b;
}

}  // namespace

Result<FixedType> ExactAccumulatorType(const FixedType& input, const StoredValues& kernel,
                                       int64_t channels, const StoredValues* bias) {
  if (channels < 1 ||
      (bias != nullptr && static_cast<int64_t>(bias->mantissas.size()) != channels)) {
    return Error(fmt::format("{} output channels do not match the bias ({} values)", channels,
                             bias == nullptr ? 0 : bias->mantissas.size()));
  }
  const WideInt xmin = fixed::MinMantissa(input), xmax = fixed::MaxMantissa(input);
  const int x_lsb = input.lsb_exponent();
  // Per channel, the sums of the positive and of the negative weight mantissas.
  std::vector<WideInt> positive(channels), negative(channels);
  CommonTrailingZeros weight_zeros, bias_zeros;
  for (size_t k = 0; k < kernel.mantissas.size(); ++k) {
    const WideInt& w = kernel.mantissas[k];
    if (w.IsZero()) continue;
    weight_zeros.Add(w);
    WideInt& sum = w.IsNegative() ? negative[k % channels] : positive[k % channels];
    sum = sum + w;
  }
  if (bias != nullptr) {
    for (const WideInt& b : bias->mantissas) bias_zeros.Add(b);
  }
  // Products have LSB 2^(x_lsb + kernel lsb); the LSB the sums need is the coarsest one that
  // still holds every nonzero product and bias exactly.
  const int product_lsb = x_lsb + kernel.lsb_exponent;
  std::optional<int> lsb;
  if (weight_zeros.any()) lsb = product_lsb + weight_zeros.bits();
  if (bias_zeros.any()) {
    const int b = bias->lsb_exponent + bias_zeros.bits();
    lsb = lsb ? std::min(*lsb, b) : b;
  }
  if (!lsb) return TypeForRange(WideInt(), WideInt(), x_lsb);  // every weight and bias is 0

  WideInt lo, hi;
  for (int64_t c = 0; c < channels; ++c) {
    // With xmin <= 0 <= xmax: w > 0 spans [w * xmin, w * xmax], w < 0 [w * xmax, w * xmin].
    Result<WideInt> p_hi = Multiply(positive[c], xmax), n_hi = Multiply(negative[c], xmin);
    Result<WideInt> p_lo = Multiply(positive[c], xmin), n_lo = Multiply(negative[c], xmax);
    for (const auto* r : {&p_hi, &n_hi, &p_lo, &n_lo}) {
      if (!r->ok()) return r->error();
    }
    Result<WideInt> c_hi = Rescale(*p_hi + *n_hi, product_lsb, *lsb);
    Result<WideInt> c_lo = Rescale(*p_lo + *n_lo, product_lsb, *lsb);
    if (!c_hi.ok()) return c_hi.error();
    if (!c_lo.ok()) return c_lo.error();
    WideInt b;
    if (bias != nullptr) {
      Result<WideInt> rb = Rescale(bias->mantissas[c], bias->lsb_exponent, *lsb);
      if (!rb.ok()) return rb.error();
      b = *rb;
    }
    lo = std::min({lo, *c_lo, *c_lo + b});
    hi = std::max({hi, *c_hi, *c_hi + b});
  }
  FixedType t = TypeForRange(lo, hi, *lsb);
  if (Status s = t.Validate(); !s.ok()) {
    return Error(fmt::format("the exact accumulator {} is out of range: {}", t.ToString(),
                             s.error().message()));
  }
  return t;
}

}  // namespace fixnn::passes
