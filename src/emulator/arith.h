// The two number representations the emulator runs on, behind one interface so that every
// kernel is written once: int64 mantissas with __int128 intermediates (every type of the graph
// fits 64 bits, every exact intermediate 126), and WideInt mantissas through fixnn's exact
// fixed-point core (any width up to fixed::kMaxWidth).
//
// A mantissa's exponent is never stored: it is its type's LSB, known to the kernel. Exact
// products and same-type sums (the only arithmetic the kernels do before a cast) have the
// vendor result type's LSB, which is what the cast plans expect.
#pragma once

#include <cmath>
#include <cstdint>

#include "emulator/mantissa_cast.h"
#include "fixed/wide_int.h"

namespace fixnn::emulator {

template <class M>
struct Arith;

template <>
struct Arith<std::int64_t> {
  using Wide = __int128;
  static Wide Widen(std::int64_t m) { return m; }
  static Wide Mul(std::int64_t a, std::int64_t b) { return static_cast<Wide>(a) * b; }
  static std::int64_t Cast(const Wide& v, const CastPlan& plan, SiteCounter counter) {
    return plan.Apply(v, counter);
  }
  static std::int64_t FromWideInt(const WideInt& w) { return w.ToInt64(); }
  static bool IsNegative(std::int64_t m) { return m < 0; }
  // Bits [width - bits, width) of the mantissa's width-bit pattern, as an unsigned number
  // (1 <= bits <= min(width, 32)).
  static std::uint32_t TopBits(std::int64_t m, int width, int bits) {
    const auto u = static_cast<std::uint64_t>(m) >> (width - bits);
    return static_cast<std::uint32_t>(u & ((std::uint64_t{1} << bits) - 1));
  }
  // value = m * 2^exp2, rounded once to the nearest double (ties to even), as to_double().
  static double ToDouble(std::int64_t m, int exp2) {
    constexpr std::int64_t kExact = std::int64_t{1} << 53;
    if (m > -kExact && m < kExact && exp2 > -1000 && exp2 < 900) {
      return std::ldexp(static_cast<double>(m), exp2);
    }
    return WideInt(m).ToDouble(exp2);
  }
};

template <>
struct Arith<WideInt> {
  using Wide = WideInt;
  static Wide Widen(const WideInt& m) { return m; }
  static Wide Mul(const WideInt& a, const WideInt& b) { return a * b; }
  static WideInt Cast(const Wide& v, const CastPlan& plan, SiteCounter counter) {
    return plan.ApplyExact(v, counter);
  }
  static WideInt FromWideInt(const WideInt& w) { return w; }
  static bool IsNegative(const WideInt& m) { return m.IsNegative(); }
  static std::uint32_t TopBits(const WideInt& m, int width, int bits) {
    std::uint32_t out = 0;
    for (int i = width - 1; i >= width - bits; --i) out = (out << 1) | (m.Bit(i) ? 1u : 0u);
    return out;
  }
  static double ToDouble(const WideInt& m, int exp2) { return m.ToDouble(exp2); }
};

}  // namespace fixnn::emulator
