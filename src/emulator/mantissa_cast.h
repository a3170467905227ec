// One assignment of an exact intermediate value to a typed variable, as the vendor types do it
// (round by the target's mode, then fit by its overflow mode), prepared once per cast site.
//
// A value travels as the mantissa of its type: value = m * 2^lsb_exponent. The source of a
// cast is the exact result type of the expression being assigned (a product's or a sum's
// vendor result type, or a stored constant's type): besides its LSB, the vendor consults its
// signedness and integer bits to decide whether AP_SAT_SYM's "the minimum becomes -max" rule
// runs, so the plan keeps the whole source type.
//
// Two paths give the same bits: Apply on __int128 mantissas (the emulator's fast path: any
// source up to 126 bits, any target whose mantissa fits int64) and ApplyExact on WideInt
// mantissas through fixed::Cast (any width). Out-of-range values add to the site's counters.
#pragma once

#include <cstdint>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "fixed/wide_int.h"

namespace fixnn::emulator {

using fixed::FixedType;
using fixed::WideInt;

// Where a cast site counts its out-of-range values: [0] above the maximum, [1] below the
// minimum (or onto it under AP_SAT_SYM), as fixed::CastEvents reports them.
using SiteCounter = std::int64_t*;

class CastPlan {
 public:
  CastPlan() = default;
  CastPlan(const FixedType& from, const FixedType& to);

  const FixedType& from() const { return from_; }
  const FixedType& to() const { return to_; }

  // Whether Apply may be used: the source fits 126 bits and the target's mantissa an int64.
  bool fast() const { return fast_; }

  // The mantissa of to() for the source mantissa m of from(). Requires fast().
  std::int64_t Apply(__int128 m, SiteCounter counter) const {
    if (drop_ == 0) {
      if (m >= lo_ && m <= hi_ && !(sym_check_ && m == lo_)) return static_cast<std::int64_t>(m);
      return Fit(m, false, 0, counter);
    }
    if (shift_round_) {
      // TRN is floor(m / 2^drop); RND adds half an LSB first (ties up). m + half cannot
      // overflow: |m| < 2^126 and drop < 64.
      const __int128 r = (m + round_add_) >> drop_;
      if (r >= lo_ && r <= hi_ && !(sym_check_ && r == lo_)) return static_cast<std::int64_t>(r);
      return Fit(r, false, 0, counter);
    }
    return ApplySlowPart(m, counter);
  }

  // Whether Apply64 may be used: fast() and from() at most 62 bits wide, so that a source
  // mantissa and its rounding add fit an int64.
  bool fits64() const { return fits64_; }

  // Apply on an int64 source mantissa, the common path in int64 arithmetic (the same bits).
  // Requires fits64().
  std::int64_t Apply64(std::int64_t m, SiteCounter counter) const {
    if (drop_ == 0) {
      if (m >= lo64_ && m <= hi64_ && !(sym_check_ && m == lo64_)) return m;
      return Fit(m, false, 0, counter);
    }
    if (shift_round_) {
      const std::int64_t r = (m + round_add64_) >> drop_;
      if (r >= lo64_ && r <= hi64_ && !(sym_check_ && r == lo64_)) return r;
      return Fit(r, false, 0, counter);
    }
    return ApplySlowPart(m, counter);
  }

  // The same for any width, through fixed::Cast. `m` must lie in from()'s range.
  WideInt ApplyExact(const WideInt& m, SiteCounter counter) const;

 private:
  std::int64_t ApplySlowPart(__int128 m, SiteCounter counter) const;
  // Range check and overflow handling of the rounded value r (huge: the exact value did not
  // fit an __int128; `wrapped` then holds its low 64 bits).
  std::int64_t Fit(__int128 r, bool huge, std::uint64_t wrapped, SiteCounter counter) const;

  FixedType from_, to_;
  bool fast_ = false;
  int drop_ = 0;            // to.lsb - from.lsb: > 0 drops bits, < 0 shifts left
  bool sym_check_ = false;  // AP_SAT_SYM on a signed target, and the vendor checks the range
  // Rounding by one add and shift (AP_TRN, AP_RND with 0 < drop < 64): what to add first.
  bool shift_round_ = false;
  __int128 round_add_ = 0;
  __int128 lo_ = 0, hi_ = 0;
  bool fits64_ = false;  // Apply64's copies of the above
  std::int64_t round_add64_ = 0, lo64_ = 0, hi64_ = 0;
};

}  // namespace fixnn::emulator
