#include "fixed/quantize_array.h"

#include <array>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "fixed/fixed_value.h"

namespace fixnn::fixed {
namespace {

using i64 = std::int64_t;

// Scaled values below this magnitude go through the double fast path; 2^52 keeps
// f + 0.5 exact for the floor f, and larger values are already integers.
constexpr double kExactFraction = 0x1p52;
// Beyond this magnitude the fast path cannot hold the integer: the exact path takes it.
constexpr double kFastLimit = 0x1p62;

struct Limits {
  i64 lo, hi;
  int width;
  bool is_signed;
};

// floor(s) + rounding increment, for |s| < kFastLimit. Every operation here is exact.
template <Rounding Q>
inline i64 RoundScaled(double s) {
  const i64 t = static_cast<i64>(s);  // toward zero
  const i64 f = t - (s < static_cast<double>(t) ? 1 : 0);
  if constexpr (Q == Rounding::kTrn) {
    return f;
  } else {
    if (!(std::fabs(s) < kExactFraction)) return f;  // already an integer
    const double fd = static_cast<double>(f);
    const double h = fd + 0.5;
    // Bitwise, not short-circuit: branches on random data mispredict and cost 5x.
    const int above = s > h, tie = s == h;
    int inc = 0;
    if constexpr (Q == Rounding::kTrnZero) inc = (s < 0) & (s != fd);
    if constexpr (Q == Rounding::kRnd) inc = above | tie;
    if constexpr (Q == Rounding::kRndZero) inc = above | (tie & (s < 0));
    if constexpr (Q == Rounding::kRndMinInf) inc = above;
    if constexpr (Q == Rounding::kRndInf) inc = above | (tie & (s > 0));
    if constexpr (Q == Rounding::kRndConv) inc = above | (tie & static_cast<int>(f & 1));
    return f + inc;
  }
}

// The rounding increment for dropping `drop` (1..62) low bits of m, by the vendor's rules on
// the first dropped bit (half) and the rest (sticky).
template <Rounding Q>
inline i64 IntRoundingIncrement(i64 m, i64 floor, int drop) {
  if constexpr (Q == Rounding::kTrn) {
    return 0;
  } else {
    const int half = static_cast<int>((m >> (drop - 1)) & 1);
    const int sticky = (m & ((i64{1} << (drop - 1)) - 1)) != 0;
    const int neg = m < 0;
    if constexpr (Q == Rounding::kTrnZero) return neg & (half | sticky);
    if constexpr (Q == Rounding::kRnd) return half;
    if constexpr (Q == Rounding::kRndZero) return half & (sticky | neg);
    if constexpr (Q == Rounding::kRndMinInf) return half & sticky;
    if constexpr (Q == Rounding::kRndInf) return half & (sticky | !neg);
    if constexpr (Q == Rounding::kRndConv) return half & (sticky | static_cast<int>(floor & 1));
  }
  return 0;
}

// The exact path for one value, used for the rare inputs the fast path does not take.
Result<i64> SlowOne(double x, const FixedType& t, OverflowCounts& counts, std::size_t index) {
  CastEvents ev;
  Result<FixedValue> v = Quantize(x, t, &ev);
  if (!v) return v.error().WithContext(fmt::format("element {}", index));
  counts.overflow += ev.overflow;
  counts.underflow += ev.underflow;
  return v->mantissa().ToInt64();
}

// Applies the overflow mode to a rounded mantissa r. Returns false when the exact path must
// decide instead: WRAP with saturation bits, and SAT_SYM landing on the minimum (whose
// outcome depends on the source type, see fixed_value.cc).
template <Overflow O>
inline bool Fit(i64& r, const Limits& lim, int sat_bits, OverflowCounts& counts) {
  const bool over = r > lim.hi;
  const bool under = r < lim.lo;
  const bool sym_min = O == Overflow::kSatSym && lim.is_signed && r == lim.lo;
  if (!(over || under || sym_min)) [[likely]] return true;
  if ((O == Overflow::kWrap && sat_bits > 0) || sym_min) return false;
  counts.overflow += over;
  counts.underflow += under;
  if constexpr (O == Overflow::kWrap) {
    const int shift = 64 - lim.width;
    const auto u = static_cast<std::uint64_t>(r) << shift;
    r = lim.is_signed ? static_cast<i64>(u) >> shift : static_cast<i64>(u >> shift);
  } else if constexpr (O == Overflow::kSat) {
    r = over ? lim.hi : lim.lo;
  } else if constexpr (O == Overflow::kSatZero) {
    r = 0;
  } else {
    // The vendor's pattern 10...01: -max, or for a 1-bit signed type the minimum.
    r = over ? lim.hi : (lim.is_signed && lim.width > 1 ? -lim.hi : lim.lo);
  }
  return true;
}

template <Rounding Q, Overflow O>
Status QuantizeLoop(std::span<const double> in, const FixedType& t, double scale,
                    const Limits& lim, std::span<i64> out, OverflowCounts& counts) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double x = in[i];
    const double s = x * scale;
    i64 r = 0;
    // NaN, infinities, huge values and products that underflowed to zero go the exact way.
    const bool fast = std::fabs(s) < kFastLimit && !(s == 0 && x != 0);
    if (fast) r = RoundScaled<Q>(s);
    if (!fast || !Fit<O>(r, lim, t.sat_bits, counts)) [[unlikely]] {
      Result<i64> slow = SlowOne(x, t, counts, i);
      if (!slow) return slow.error();
      r = *slow;
    }
    out[i] = r;
  }
  return Status::Ok();
}

template <Rounding Q, Overflow O>
Status RequantizeLoop(std::span<const i64> in, const FixedType& from, const FixedType& to,
                      const Limits& from_lim, const Limits& lim, std::span<i64> out,
                      OverflowCounts& counts) {
  const int drop = to.lsb_exponent() - from.lsb_exponent();  // bits below to's LSB
  for (std::size_t i = 0; i < in.size(); ++i) {
    const i64 m = in[i];
    if (m < from_lim.lo || m > from_lim.hi) {
      return Error(fmt::format("element {}: mantissa {} is outside the range of {}", i, m,
                               from.ToString()));
    }
    i64 r = 0;
    bool fast = true;
    if (drop > 62) {
      fast = false;  // everything but the sign is dropped: rare, the exact path takes it
    } else if (drop > 0) {
      const i64 f = m >> drop;
      r = f + IntRoundingIncrement<Q>(m, f, drop);
    } else if (drop >= -62) {
      r = static_cast<i64>(static_cast<std::uint64_t>(m) << -drop);
      fast = (r >> -drop) == m;  // no bits shifted out
    } else {
      fast = m == 0;
    }
    if (!fast || !Fit<O>(r, lim, to.sat_bits, counts)) [[unlikely]] {
      CastEvents ev;
      r = Cast(FixedValue::FromMantissa(from, WideInt(m)), to, &ev).mantissa().ToInt64();
      counts.overflow += ev.overflow;
      counts.underflow += ev.underflow;
    }
    out[i] = r;
  }
  return Status::Ok();
}

// Calls f.template operator()<Q, O>() for the type's modes: one instantiation per pair, so
// the inner loops carry no mode switches.
template <Rounding Q, typename F>
Status WithOverflow(Overflow o, F&& f) {
  switch (o) {
    case Overflow::kWrap: return f.template operator()<Q, Overflow::kWrap>();
    case Overflow::kSat: return f.template operator()<Q, Overflow::kSat>();
    case Overflow::kSatZero: return f.template operator()<Q, Overflow::kSatZero>();
    case Overflow::kSatSym: return f.template operator()<Q, Overflow::kSatSym>();
  }
  return Status::Ok();
}

template <typename F>
Status WithModes(const FixedType& t, F&& f) {
  switch (t.rounding) {
    case Rounding::kTrn: return WithOverflow<Rounding::kTrn>(t.overflow, f);
    case Rounding::kTrnZero: return WithOverflow<Rounding::kTrnZero>(t.overflow, f);
    case Rounding::kRnd: return WithOverflow<Rounding::kRnd>(t.overflow, f);
    case Rounding::kRndZero: return WithOverflow<Rounding::kRndZero>(t.overflow, f);
    case Rounding::kRndMinInf: return WithOverflow<Rounding::kRndMinInf>(t.overflow, f);
    case Rounding::kRndInf: return WithOverflow<Rounding::kRndInf>(t.overflow, f);
    case Rounding::kRndConv: return WithOverflow<Rounding::kRndConv>(t.overflow, f);
  }
  return Status::Ok();
}

Limits LimitsOf(const FixedType& t) {
  return {MinMantissa(t).ToInt64(), MaxMantissa(t).ToInt64(), t.width, t.is_signed};
}

// Exact path for a whole array, for types whose scale 2^F is not a normal double.
Status SlowArray(std::span<const double> in, const FixedType& t, std::span<i64> out,
                 OverflowCounts& counts) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    Result<i64> r = SlowOne(in[i], t, counts, i);
    if (!r) return r.error();
    out[i] = *r;
  }
  return Status::Ok();
}

}  // namespace

bool FitsInt64Mantissa(const FixedType& t) { return t.width <= (t.is_signed ? 64 : 63); }

Result<OverflowCounts> QuantizeToMantissas(std::span<const double> in, const FixedType& t,
                                           std::span<std::int64_t> out) {
  if (Status s = t.Validate(); !s.ok()) return s.error();
  if (!FitsInt64Mantissa(t)) {
    return Error(fmt::format("{} is too wide for 64-bit mantissas", t.ToString()));
  }
  if (in.size() != out.size()) {
    return Error(fmt::format("quantize: {} inputs but room for {} outputs", in.size(), out.size()));
  }
  OverflowCounts counts;
  const int f = t.frac_bits();
  Status s = Status::Ok();
  if (f < -1000 || f > 1000) {
    s = SlowArray(in, t, out, counts);
  } else {
    const Limits lim = LimitsOf(t);
    const double scale = std::ldexp(1.0, f);
    s = WithModes(t, [&]<Rounding Q, Overflow O>() {
      return QuantizeLoop<Q, O>(in, t, scale, lim, out, counts);
    });
  }
  if (!s.ok()) return s.error().WithContext(fmt::format("quantize to {}", t.ToString()));
  return counts;
}

Result<OverflowCounts> RequantizeMantissas(std::span<const std::int64_t> in, const FixedType& from,
                                           const FixedType& to, std::span<std::int64_t> out) {
  for (const FixedType* t : {&from, &to}) {
    if (Status s = t->Validate(); !s.ok()) return s.error();
    if (!FitsInt64Mantissa(*t)) {
      return Error(fmt::format("{} is too wide for 64-bit mantissas", t->ToString()));
    }
  }
  if (in.size() != out.size()) {
    return Error(fmt::format("requantize: {} inputs but room for {} outputs", in.size(),
                             out.size()));
  }
  OverflowCounts counts;
  const Limits from_lim = LimitsOf(from), lim = LimitsOf(to);
  Status s = WithModes(to, [&]<Rounding Q, Overflow O>() {
    return RequantizeLoop<Q, O>(in, from, to, from_lim, lim, out, counts);
  });
  if (!s.ok()) {
    return s.error().WithContext(
        fmt::format("requantize {} to {}", from.ToString(), to.ToString()));
  }
  return counts;
}

Result<OverflowCounts> QuantizeToDoubles(std::span<const double> in, const FixedType& t,
                                         std::span<double> out) {
  if (in.size() != out.size()) {
    return Error(fmt::format("quantize: {} inputs but room for {} outputs", in.size(), out.size()));
  }
  OverflowCounts counts;
  if (FitsInt64Mantissa(t) && t.width <= 53 && std::abs(t.lsb_exponent()) <= 1000) {
    // Blocks through a small stack buffer: no allocation, and out may alias in.
    constexpr std::size_t kBlock = 256;
    std::array<i64, kBlock> buf;
    const double lsb = std::ldexp(1.0, t.lsb_exponent());
    for (std::size_t start = 0; start < in.size(); start += kBlock) {
      const std::size_t n = std::min(kBlock, in.size() - start);
      Result<OverflowCounts> c =
          QuantizeToMantissas(in.subspan(start, n), t, std::span<i64>(buf.data(), n));
      if (!c) return c.error();
      counts.overflow += c->overflow;
      counts.underflow += c->underflow;
      // |m| < 2^53 and lsb is a power of two: the product is exact.
      for (std::size_t i = 0; i < n; ++i) out[start + i] = static_cast<double>(buf[i]) * lsb;
    }
    return counts;
  }
  if (Status s = t.Validate(); !s.ok()) return s.error();
  for (std::size_t i = 0; i < in.size(); ++i) {
    CastEvents ev;
    Result<FixedValue> v = Quantize(in[i], t, &ev);
    if (!v) {
      return v.error().WithContext(fmt::format("quantize to {}: element {}", t.ToString(), i));
    }
    counts.overflow += ev.overflow;
    counts.underflow += ev.underflow;
    out[i] = v->ToDouble();
  }
  return counts;
}

}  // namespace fixnn::fixed
