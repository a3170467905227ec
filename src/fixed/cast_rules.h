// The two rules every fixed-point cast follows, written once for the exact path
// (fixed_value.cc) and the emulator's integer path (emulator/mantissa_cast.cc).
#pragma once

#include "fixed/fixed_type.h"

namespace fixnn::fixed {

// The vendor's rounding increment (0 or 1) added to floor(value), from the first dropped bit
// (half), whether any lower dropped bit is set (sticky), the value's sign and the floor's
// parity.
inline int RoundingIncrement(Rounding q, bool half, bool sticky, bool negative, bool floor_odd) {
  switch (q) {
    case Rounding::kTrn:
      return 0;
    case Rounding::kTrnZero:
      return negative && (half || sticky);
    case Rounding::kRnd:
      return half;
    case Rounding::kRndZero:
      return half && (sticky || negative);
    case Rounding::kRndMinInf:
      return half && sticky;
    case Rounding::kRndInf:
      return half && (sticky || !negative);
    case Rounding::kRndConv:
      return half && (sticky || floor_odd);
  }
  return 0;
}

// Whether the vendor runs its range check (and with it AP_SAT_SYM's minimum rule) when a value
// of a source with LSB exponent `from_lsb`, signedness `from_signed` and `from_integer` integer
// bits is assigned to `to`: it skips the check when `to` has integer bits to spare for any
// source value. (A double counts as a signed 54-bit source.)
inline bool VendorChecksRange(int from_lsb, bool from_signed, int from_integer,
                              const FixedType& to) {
  const bool may_round_up = to.lsb_exponent() > from_lsb && to.rounding != Rounding::kTrn &&
                            !(to.rounding == Rounding::kTrnZero && !from_signed);
  const int margin = (may_round_up || (from_signed && to.overflow == Overflow::kSatSym)) ? 1 : 0;
  return (!to.is_signed && from_signed) ||
         to.integer - (to.is_signed ? 1 : 0) < from_integer - (from_signed ? 1 : 0) + margin;
}

}  // namespace fixnn::fixed
