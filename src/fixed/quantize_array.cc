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

// The exact path for one value, used for the rare inputs the fast path does not take.
Result<i64> SlowOne(double x, const FixedType& t, OverflowCounts& counts, std::size_t index) {
  CastEvents ev;
  Result<FixedValue> v = Quantize(x, t, &ev);
  if (!v) return v.error().WithContext(fmt::format("element {}", index));
  counts.overflow += ev.overflow;
  counts.underflow += ev.underflow;
  return v->mantissa().ToInt64();
}

template <Rounding Q, Overflow O>
Status QuantizeLoop(std::span<const double> in, const FixedType& t, double scale,
                    const Limits& lim, std::span<i64> out, OverflowCounts& counts) {
  const int wrap_shift = 64 - lim.width;
  const bool sym = O == Overflow::kSatSym && lim.is_signed;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double x = in[i];
    const double s = x * scale;
    // NaN, infinities, huge values and products that underflowed to zero go the exact way.
    if (!(std::fabs(s) < kFastLimit) || (s == 0 && x != 0)) {
      Result<i64> r = SlowOne(x, t, counts, i);
      if (!r) return r.error();
      out[i] = *r;
      continue;
    }
    i64 r = RoundScaled<Q>(s);
    const bool over = r > lim.hi;
    const bool under = r < lim.lo;
    if (over || under || (sym && r == lim.lo)) [[unlikely]] {
      // WRAP with saturation bits and SAT_SYM's minimum have rules the exact path owns.
      if ((O == Overflow::kWrap && t.sat_bits > 0) || (sym && r == lim.lo)) {
        Result<i64> slow = SlowOne(x, t, counts, i);
        if (!slow) return slow.error();
        out[i] = *slow;
        continue;
      }
      counts.overflow += over;
      counts.underflow += under;
      if constexpr (O == Overflow::kWrap) {
        const auto u = static_cast<std::uint64_t>(r) << wrap_shift;
        r = lim.is_signed ? static_cast<i64>(u) >> wrap_shift
                          : static_cast<i64>(u >> wrap_shift);
      } else if constexpr (O == Overflow::kSat) {
        r = over ? lim.hi : lim.lo;
      } else if constexpr (O == Overflow::kSatZero) {
        r = 0;
      } else {
        r = over ? lim.hi : (lim.is_signed ? -lim.hi : lim.lo);
      }
    }
    out[i] = r;
  }
  return Status::Ok();
}

template <Rounding Q>
Status DispatchOverflow(std::span<const double> in, const FixedType& t, double scale,
                        const Limits& lim, std::span<i64> out, OverflowCounts& counts) {
  switch (t.overflow) {
    case Overflow::kWrap:
      return QuantizeLoop<Q, Overflow::kWrap>(in, t, scale, lim, out, counts);
    case Overflow::kSat:
      return QuantizeLoop<Q, Overflow::kSat>(in, t, scale, lim, out, counts);
    case Overflow::kSatZero:
      return QuantizeLoop<Q, Overflow::kSatZero>(in, t, scale, lim, out, counts);
    case Overflow::kSatSym:
      return QuantizeLoop<Q, Overflow::kSatSym>(in, t, scale, lim, out, counts);
  }
  return Status::Ok();
}

Status Dispatch(std::span<const double> in, const FixedType& t, double scale, const Limits& lim,
                std::span<i64> out, OverflowCounts& counts) {
  switch (t.rounding) {
    case Rounding::kTrn:
      return DispatchOverflow<Rounding::kTrn>(in, t, scale, lim, out, counts);
    case Rounding::kTrnZero:
      return DispatchOverflow<Rounding::kTrnZero>(in, t, scale, lim, out, counts);
    case Rounding::kRnd:
      return DispatchOverflow<Rounding::kRnd>(in, t, scale, lim, out, counts);
    case Rounding::kRndZero:
      return DispatchOverflow<Rounding::kRndZero>(in, t, scale, lim, out, counts);
    case Rounding::kRndMinInf:
      return DispatchOverflow<Rounding::kRndMinInf>(in, t, scale, lim, out, counts);
    case Rounding::kRndInf:
      return DispatchOverflow<Rounding::kRndInf>(in, t, scale, lim, out, counts);
    case Rounding::kRndConv:
      return DispatchOverflow<Rounding::kRndConv>(in, t, scale, lim, out, counts);
  }
  return Status::Ok();
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
    const WideInt lo = MinMantissa(t), hi = MaxMantissa(t);
    const Limits lim{lo.ToInt64(), hi.ToInt64(), t.width, t.is_signed};
    s = Dispatch(in, t, std::ldexp(1.0, f), lim, out, counts);
  }
  if (!s.ok()) return s.error().WithContext(fmt::format("quantize to {}", t.ToString()));
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
