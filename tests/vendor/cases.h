// The inputs of every block of the vendor differential test. The oracles and the driver
// both call these functions with the block's (category, index), so the inputs never travel
// between the processes: each side regenerates them, bit for bit, from the same seed.
#pragma once

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <vector>

#include "spec.h"

namespace fixnn::vendor_diff {

using U128 = unsigned __int128;

// A bit pattern of up to 256 bits, little-endian 64-bit limbs, zero above the type's width.
struct Bits {
  std::array<std::uint64_t, 4> limb{};
};

inline Bits BitsFromU128(U128 v) {
  Bits b;
  b.limb[0] = static_cast<std::uint64_t>(v);
  b.limb[1] = static_cast<std::uint64_t>(v >> 64);
  return b;
}

inline U128 WidthMask(int w) { return w >= 128 ? ~U128{0} : (U128{1} << w) - 1; }

inline void StoreBits(const Bits& b, int w, std::uint8_t* out) {
  for (int k = 0; k < BitsBytes(w); ++k) {
    std::uint8_t byte = static_cast<std::uint8_t>(b.limb[k / 8] >> (8 * (k % 8)));
    if (k == BitsBytes(w) - 1 && w % 8 != 0) byte &= static_cast<std::uint8_t>((1u << (w % 8)) - 1);
    out[k] = byte;
  }
}

inline Bits LoadBits(const std::uint8_t* in, int w) {
  Bits b;
  for (int k = 0; k < BitsBytes(w); ++k) {
    b.limb[k / 8] |= static_cast<std::uint64_t>(in[k]) << (8 * (k % 8));
  }
  return b;
}

inline std::uint64_t BlockSeed(Category c, std::uint32_t index) {
  Rng mix((static_cast<std::uint64_t>(c) << 40) ^ (static_cast<std::uint64_t>(index) << 8) ^
          0x0dd5eedULL);
  return mix.Next();
}

// Every pattern of a w-bit type, in increasing order of the unsigned pattern.
inline std::vector<Bits> AllPatterns(int w) {
  std::vector<Bits> out;
  out.reserve(std::size_t{1} << w);
  for (std::uint64_t x = 0; x < (std::uint64_t{1} << w); ++x) out.push_back(BitsFromU128(x));
  return out;
}

// AllPatterns, built once per width: the exhaustive casts reuse each source width for
// dozens of target types.
inline const std::vector<Bits>& AllPatternsCached(int w) {
  static std::array<std::vector<Bits>, 32> cache;
  std::vector<Bits>& v = cache.at(static_cast<std::size_t>(w));
  if (v.empty()) v = AllPatterns(w);
  return v;
}

// A random pattern of t (w <= 128), biased toward the values where conversions go wrong:
// near zero, near the limits, with rounding-relevant low bits, with long sign runs.
inline Bits RandomPattern(Rng& rng, const TypeSpec& t) {
  const int w = t.w;
  const U128 mask = WidthMask(w);
  const U128 top = U128{1} << (w - 1);
  const U128 max = t.s ? top - 1 : mask;
  const U128 min = t.s ? top : 0;
  auto uniform = [&rng] { return (U128{rng.Next()} << 64) | rng.Next(); };
  auto small = [&](int max_bits) {
    const int k = rng.Uniform(0, std::min(w, max_bits));
    return k == 0 ? U128{0} : uniform() & WidthMask(k);
  };
  U128 v = 0;
  const int shape = rng.Uniform(0, 99);
  if (shape < 35) {
    v = uniform();
  } else if (shape < 50) {
    v = small(12);
    if (t.s && rng.Chance(50)) v = U128{0} - v;
  } else if (shape < 60) {
    v = max - small(6);
  } else if (shape < 70) {
    v = min + small(6);
  } else if (shape < 80) {
    const int k = rng.Uniform(1, std::min(w, 8));
    const U128 low = WidthMask(k);
    const U128 patterns[] = {0, low, U128{1} << (k - 1), low >> 1};
    v = (uniform() & ~low) | patterns[rng.Uniform(0, 3)];
  } else if (shape < 90) {
    const int shift = rng.Uniform(0, w - 1);
    v = uniform() & mask;
    const bool negative = t.s && ((v >> (w - 1)) & 1) != 0;
    v >>= shift;
    if (negative && shift > 0) v |= mask & ~(mask >> shift);
  } else {
    const U128 specials[] = {0, mask, 1, min, max, top, top - 1, max - 1, min + 1};
    v = specials[rng.Uniform(0, 8)];
  }
  return BitsFromU128(v & mask);
}

inline std::vector<Bits> RandomPatterns(Category c, std::uint32_t index, const TypeSpec& t,
                                        std::size_t count) {
  Rng rng(BlockSeed(c, index));
  std::vector<Bits> out(count);
  for (Bits& b : out) b = RandomPattern(rng, t);
  return out;
}

// Doubles that every conversion should survive: signed zeros, denormals, huge and tiny
// magnitudes, the extremes of the double range, powers of two around 2^63 and 2^64.
inline const std::vector<double>& SpecialDoubles() {
  static const std::vector<double> specials = [] {
    std::vector<double> v = {0.0,           1e300,    1e-300,      0x1p70,
                             0x1p-70,       0x1p63,   0x1p64,      0x1p53 + 2,
                             1.0,           0.5,      0.75,        0x1.fffffffffffffp-1,
                             DBL_MAX,       DBL_MIN,  DBL_MIN / 2, 0x1p-1074,
                             3 * 0x1p-1074, 0x1p1023, 0x1.8p-1040, 1e-310};
    const std::size_t n = v.size();
    for (std::size_t k = 0; k < n; ++k) v.push_back(-v[k]);
    return v;
  }();
  return specials;
}

// The exhaustive double inputs of a small type: quarter-LSB steps over four times its range
// (every rounding position and every overflow distance, ties included), one double ulp on
// either side of every tie, and the special doubles.
inline std::vector<double> DoubleGrid(const TypeSpec& t) {
  const int e = t.i - t.w;
  const std::int64_t reach = std::int64_t{1} << (t.w + 3);
  std::vector<double> out;
  for (std::int64_t k = -reach; k <= reach; ++k) out.push_back(std::ldexp(k, e - 2));
  for (std::int64_t j = -reach / 4; j < reach / 4; ++j) {
    const double tie = std::ldexp(2 * j + 1, e - 1);
    out.push_back(std::nextafter(tie, -INFINITY));
    out.push_back(std::nextafter(tie, INFINITY));
  }
  for (double d : SpecialDoubles()) out.push_back(d);
  return out;
}

inline double RandomDouble(Rng& rng, const TypeSpec& t) {
  const int e = t.i - t.w;
  const double sign = rng.Chance(50) ? -1.0 : 1.0;
  const int shape = rng.Uniform(0, 99);
  if (shape < 25) {
    // Bits down to an eighth of the LSB, magnitude up to twice the range.
    const int len = rng.Uniform(1, std::min(53, t.w + 4));
    const std::uint64_t m = rng.Next() >> (64 - len);
    return sign * std::ldexp(static_cast<double>(m), e - 3);
  }
  if (shape < 40) {
    // A tie between two representable values, or one double ulp off it.
    const int len = rng.Uniform(1, std::min(52, t.w + 1));
    const std::uint64_t m = rng.Next() >> (64 - len);
    const double tie = sign * std::ldexp(static_cast<double>(2 * m + 1), e - 1);
    const int side = rng.Uniform(0, 2);
    return side == 0 ? tie : std::nextafter(tie, side == 1 ? -INFINITY : INFINITY);
  }
  if (shape < 60) {
    // Full 53-bit significands around the type's range.
    const std::uint64_t m = (rng.Next() >> 11) | (std::uint64_t{1} << 52);
    return sign * std::ldexp(static_cast<double>(m), rng.Uniform(e - 12, t.i + 12) - 52);
  }
  if (shape < 70) {
    // Around the type's bounds.
    const double bound = sign * std::ldexp(1.0, t.i - (t.s ? 1 : 0));
    const int k = rng.Uniform(-8, 8);
    if (rng.Chance(30)) return std::nextafter(bound, k < 0 ? -INFINITY : INFINITY);
    return bound + std::ldexp(static_cast<double>(k), e - 2);
  }
  if (shape < 80) {
    const std::vector<double>& specials = SpecialDoubles();
    return specials[rng.Uniform(0, static_cast<int>(specials.size()) - 1)];
  }
  // Any finite double, denormals included.
  const std::uint64_t exponent = static_cast<std::uint64_t>(rng.Uniform(0, 2046));
  const std::uint64_t raw = (rng.Next() & ((std::uint64_t{1} << 52) - 1)) | (exponent << 52);
  double d;
  __builtin_memcpy(&d, &raw, sizeof d);
  return sign * d;
}

inline std::vector<double> RandomDoubles(std::uint32_t index, const TypeSpec& t) {
  Rng rng(BlockSeed(Category::kDoubleRandom, index));
  std::vector<double> out(kRandomDoubleCases);
  for (double& d : out) d = RandomDouble(rng, t);
  return out;
}

// Operand pairs: record k is a[k] (op) b[k].
struct PairCases {
  std::vector<Bits> a;
  std::vector<Bits> b;
};

// Every pair of values, the left operand in the outer loop.
inline PairCases AllPairs(const TypeSpec& ta, const TypeSpec& tb) {
  PairCases p;
  const std::vector<Bits> va = AllPatterns(ta.w);
  const std::vector<Bits> vb = AllPatterns(tb.w);
  p.a.reserve(va.size() * vb.size());
  p.b.reserve(va.size() * vb.size());
  for (const Bits& x : va) {
    for (const Bits& y : vb) {
      p.a.push_back(x);
      p.b.push_back(y);
    }
  }
  return p;
}

// The same operands for the three operators of one pair.
inline PairCases RandomPairs(std::uint32_t index, const TypeSpec& ta, const TypeSpec& tb) {
  Rng rng(BlockSeed(Category::kArithRandom, index));
  PairCases p;
  p.a.resize(kRandomArithCases);
  p.b.resize(kRandomArithCases);
  for (std::size_t k = 0; k < kRandomArithCases; ++k) {
    p.a[k] = RandomPattern(rng, ta);
    p.b[k] = RandomPattern(rng, tb);
  }
  return p;
}

}  // namespace fixnn::vendor_diff
