#include "emulator/mantissa_cast.h"

#include "fixed/cast_rules.h"
#include "fixed/quantize_array.h"

namespace fixnn::emulator {
namespace {

using fixed::Overflow;
using fixed::Rounding;

using u128 = unsigned __int128;

constexpr int kMaxFastSourceWidth = 126;

__int128 MinOf(const FixedType& t) { return t.is_signed ? -(__int128{1} << (t.width - 1)) : 0; }

__int128 MaxOf(const FixedType& t) {
  return (__int128{1} << (t.is_signed ? t.width - 1 : t.width)) - 1;
}

}  // namespace

CastPlan::CastPlan(const FixedType& from, const FixedType& to) : from_(from), to_(to) {
  drop_ = to.lsb_exponent() - from.lsb_exponent();
  fast_ = from.width <= kMaxFastSourceWidth && fixed::FitsInt64Mantissa(to);
  sym_check_ = to.overflow == Overflow::kSatSym && to.is_signed &&
               fixed::VendorChecksRange(from.lsb_exponent(), from.is_signed, from.integer, to);
  if (fast_) {
    lo_ = MinOf(to);
    hi_ = MaxOf(to);
    if (drop_ > 0 && drop_ < 64) {
      if (to.rounding == Rounding::kTrn) {
        shift_round_ = true;
      } else if (to.rounding == Rounding::kRnd) {
        shift_round_ = true;
        round_add_ = __int128{1} << (drop_ - 1);
      }
    }
    fits64_ = from.width <= 62 && (!shift_round_ || drop_ <= 62);
    round_add64_ = static_cast<std::int64_t>(round_add_);
    lo64_ = static_cast<std::int64_t>(lo_);
    hi64_ = static_cast<std::int64_t>(hi_);
  }
}

std::int64_t CastPlan::ApplySlowPart(__int128 m, SiteCounter counter) const {
  const bool negative = m < 0;
  if (drop_ > 0) {
    __int128 r;
    bool half, sticky;
    if (drop_ < 127) {
      r = m >> drop_;
      half = ((m >> (drop_ - 1)) & 1) != 0;
      sticky = drop_ > 1 && (m & ((__int128{1} << (drop_ - 1)) - 1)) != 0;
    } else {
      // |m| < 2^126: the value lies within half an LSB of zero.
      r = negative ? -1 : 0;
      half = negative;
      sticky = negative || m != 0;
    }
    r += fixed::RoundingIncrement(to_.rounding, half, sticky, negative, (r & 1) != 0);
    return Fit(r, false, 0, counter);
  }
  const int shift = -drop_;
  if (m == 0) return 0;
  const std::uint64_t wrapped =
      shift >= 128 ? 0 : static_cast<std::uint64_t>(static_cast<u128>(m) << shift);
  if (shift < 126) {
    const __int128 limit = __int128{1} << (126 - shift);
    if (m >= -limit && m < limit) return Fit(m << shift, false, 0, counter);
  }
  return Fit(negative ? -1 : 1, true, wrapped, counter);
}

std::int64_t CastPlan::Fit(__int128 r, bool huge, std::uint64_t wrapped,
                           SiteCounter counter) const {
  const bool negative = r < 0;
  const bool sym_min = sym_check_ && !huge && r == lo_;
  const bool overflow = huge ? !negative : r > hi_;
  const bool underflow = (huge ? negative : r < lo_) || sym_min;
  if (!overflow && !underflow) return static_cast<std::int64_t>(r);
  ++counter[overflow ? 0 : 1];
  switch (to_.overflow) {
    case Overflow::kWrap: {
      const int w = to_.width;
      std::uint64_t bits = huge ? wrapped : static_cast<std::uint64_t>(static_cast<u128>(r));
      if (w < 64) bits &= (std::uint64_t{1} << w) - 1;
      if (to_.sat_bits > 0) {
        // The top N bits are forced: signed, the MSB takes the rounded value's sign and the
        // next N-1 bits its inverse; unsigned, all N become ones.
        for (int b = w - to_.sat_bits; b <= w - 1; ++b) {
          bool bit = true;
          if (to_.is_signed) bit = b == w - 1 ? negative : !negative;
          const std::uint64_t mask = std::uint64_t{1} << b;
          bits = bit ? (bits | mask) : (bits & ~mask);
        }
      }
      if (to_.is_signed && w < 64 && ((bits >> (w - 1)) & 1) != 0) {
        bits |= ~((std::uint64_t{1} << w) - 1);
      }
      return static_cast<std::int64_t>(bits);
    }
    case Overflow::kSat:
      return static_cast<std::int64_t>(overflow ? hi_ : lo_);
    case Overflow::kSatZero:
      return 0;
    case Overflow::kSatSym:
      if (overflow) return static_cast<std::int64_t>(hi_);
      if (!to_.is_signed) return 0;
      // The vendor writes the pattern 10...01: -max, or for a 1-bit type the minimum.
      return static_cast<std::int64_t>(to_.width == 1 ? lo_ : -hi_);
  }
  return static_cast<std::int64_t>(r);
}

WideInt CastPlan::ApplyExact(const WideInt& m, SiteCounter counter) const {
  fixed::CastEvents events;
  const fixed::FixedValue v = fixed::Cast(fixed::FixedValue::FromMantissa(from_, m), to_, &events);
  if (events.overflow) ++counter[0];
  if (events.underflow) ++counter[1];
  return v.mantissa();
}

}  // namespace fixnn::emulator
