// The plan of the vendor differential test, shared by the oracles (compiled against an
// ap_fixed.h) and the driver (linked with fixnn_fixed): which types are tested, in which
// order the result blocks arrive, and the wire format of those blocks.
//
// Everything here is plain C++ with no ap_types and no fixnn library, so that both kinds of
// executable see the very same tables. The tables are constexpr because the vendor side has
// to instantiate a class template for every entry.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace fixnn::vendor_diff {

// Mode numbers follow the order of fixnn::fixed::Rounding and fixnn::fixed::Overflow.
enum RoundingIndex : int { kTrn, kTrnZero, kRnd, kRndZero, kRndMinInf, kRndInf, kRndConv };
enum OverflowIndex : int { kWrap, kSat, kSatZero, kSatSym };
inline constexpr int kNumRoundings = 7;
inline constexpr int kNumOverflows = 4;

// One ap_fixed / ap_ufixed type. A structural type, so it can be a template argument.
struct TypeSpec {
  int w = 1;
  int i = 1;
  bool s = true;
  int q = kTrn;
  int o = kWrap;
  int n = 0;
  constexpr bool operator==(const TypeSpec&) const = default;
};

constexpr TypeSpec Plain(int w, int i, bool s) { return TypeSpec{w, i, s, kTrn, kWrap, 0}; }

// Deterministic PRNG (splitmix64), used at compile time for the type tables and at run time
// for the values; both sides of the comparison draw the same sequence from the same seed.
class Rng {
 public:
  constexpr explicit Rng(std::uint64_t seed) : state_(seed) {}
  constexpr std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi]; the modulo bias is irrelevant for test data.
  constexpr int Uniform(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  constexpr bool Chance(int percent) { return Uniform(0, 99) < percent; }

 private:
  std::uint64_t state_;
};

// ---------------------------------------------------------------------------------------
// Exhaustive part: every type with W <= 8, signed and unsigned, I in [-4, W + 4], every
// rounding and overflow mode, plus AP_WRAP with N = 1 and 2 (N <= W) under every rounding.

inline constexpr int kExhaustiveMaxWidth = 8;
inline constexpr int kExhaustiveIntMargin = 4;
// The cast sources are W + 6 bits wide with I + 3 integer bits: 3 fraction bits below the
// target's LSB (every rounding case) and 3 integer bits above its MSB (every overflow case).
inline constexpr int kSourceExtraFrac = 3;
inline constexpr int kSourceExtraInt = 3;

template <class F>
constexpr void ForEachExhaustiveType(F f) {
  for (int w = 1; w <= kExhaustiveMaxWidth; ++w) {
    for (bool s : {true, false}) {
      for (int i = -kExhaustiveIntMargin; i <= w + kExhaustiveIntMargin; ++i) {
        for (int mode = 0; mode < kNumOverflows + 2; ++mode) {
          const int o = mode < kNumOverflows ? mode : kWrap;
          const int n = mode < kNumOverflows ? 0 : mode - kNumOverflows + 1;
          if (n > w) continue;
          for (int q = 0; q < kNumRoundings; ++q) f(TypeSpec{w, i, s, q, o, n});
        }
      }
    }
  }
}

template <class F>
constexpr std::size_t CountOf(F for_each) {
  std::size_t n = 0;
  for_each([&](auto&&...) { ++n; });
  return n;
}

template <std::size_t N, class T, class F>
constexpr std::array<T, N> TableOf(F for_each) {
  std::array<T, N> table{};
  std::size_t k = 0;
  for_each([&](const T& t) { table[k++] = t; });
  return table;
}

inline constexpr std::size_t kNumExhaustiveTypes =
    CountOf([](auto f) { ForEachExhaustiveType(f); });
inline constexpr auto kExhaustiveTypes =
    TableOf<kNumExhaustiveTypes, TypeSpec>([](auto f) { ForEachExhaustiveType(f); });

constexpr TypeSpec ExhaustiveSource(const TypeSpec& target, bool is_signed) {
  return Plain(target.w + kSourceExtraFrac + kSourceExtraInt, target.i + kSourceExtraInt,
               is_signed);
}

// Arithmetic on every pair of values of one type; modes do not take part in + - *.
template <class F>
constexpr void ForEachExhaustiveArithType(F f) {
  for (int w = 1; w <= kExhaustiveMaxWidth; ++w) {
    for (bool s : {true, false}) {
      for (int i = -kExhaustiveIntMargin; i <= w + kExhaustiveIntMargin; ++i) f(Plain(w, i, s));
    }
  }
}
inline constexpr std::size_t kNumExhaustiveArithTypes =
    CountOf([](auto f) { ForEachExhaustiveArithType(f); });
inline constexpr auto kExhaustiveArithTypes =
    TableOf<kNumExhaustiveArithTypes, TypeSpec>([](auto f) { ForEachExhaustiveArithType(f); });

// Every ordered pair of these small types, all values: the signed/unsigned mixing rules of
// the result types, exhaustively, on operands with fraction bits on either side.
template <class F>
constexpr void ForEachMixedSmallType(F f) {
  for (int w = 1; w <= 3; ++w) {
    for (bool s : {true, false}) {
      for (int i : {-2, 0, w, w + 3}) f(Plain(w, i, s));
    }
  }
}
inline constexpr std::size_t kNumMixedSmallTypes =
    CountOf([](auto f) { ForEachMixedSmallType(f); });
inline constexpr auto kMixedSmallTypes =
    TableOf<kNumMixedSmallTypes, TypeSpec>([](auto f) { ForEachMixedSmallType(f); });
inline constexpr std::size_t kNumMixedSmallPairs = kNumMixedSmallTypes * kNumMixedSmallTypes;

// ---------------------------------------------------------------------------------------
// Random part: fixed tables of random types (widths up to 64, some up to 128), drawn at
// compile time, and random values drawn at run time.

// The vendor's to_float writes the exponent field without a range check, so it is only
// meaningful where every nonzero value of the type is a normal float.
constexpr bool InFloatRange(const TypeSpec& t) { return t.i - t.w >= -126 && t.i <= 127; }

constexpr int PlusWidth(const TypeSpec& a, const TypeSpec& b) {
  const int ia = a.i + (b.s && !a.s);
  const int ib = b.i + (a.s && !b.s);
  return std::max(ia, ib) + 1 + std::max(a.w - a.i, b.w - b.i);
}

constexpr TypeSpec RandomType(Rng& rng, int max_w) {
  TypeSpec t;
  t.w = rng.Chance(85) ? rng.Uniform(1, std::min(64, max_w)) : rng.Uniform(1, max_w);
  const int shape = rng.Uniform(0, 99);
  if (shape < 70) {
    t.i = rng.Uniform(-4, t.w + 8);
  } else if (shape < 85) {
    t.i = rng.Uniform(-t.w - 24, -5);  // all fraction, leading zero bits below the point
  } else {
    t.i = t.w + rng.Uniform(9, 40);  // integer, zero bits below the LSB
  }
  t.s = rng.Chance(50);
  t.q = rng.Uniform(0, kNumRoundings - 1);
  t.o = rng.Uniform(0, kNumOverflows - 1);
  if (t.o == kWrap ? rng.Chance(40) : rng.Chance(5)) t.n = rng.Uniform(1, std::min(t.w, 4));
  if (t.n > 0 && rng.Chance(15)) t.n = t.w;
  return t;
}

inline constexpr std::size_t kNumRandomTypes = 320;
inline constexpr std::size_t kNumRandomCasts = 320;
inline constexpr std::size_t kNumRandomArith = 240;

struct TypePair {
  TypeSpec a;
  TypeSpec b;
};

inline constexpr auto kRandomTypes = [] {
  std::array<TypeSpec, kNumRandomTypes> table{};
  Rng rng(0x5eed0001);
  for (TypeSpec& t : table) t = RandomType(rng, 128);
  return table;
}();

// Source modes stay random too: a cast must ignore them.
inline constexpr auto kRandomCasts = [] {
  std::array<TypePair, kNumRandomCasts> table{};
  Rng rng(0x5eed0002);
  for (TypePair& p : table) {
    p.a = RandomType(rng, 128);
    p.b = RandomType(rng, 128);
    // Half the pairs are close to each other, where rounding and overflow both happen.
    if (rng.Chance(50)) {
      p.b.w = std::clamp(p.a.w + rng.Uniform(-8, 4), 1, 128);
      p.b.i = p.a.i + rng.Uniform(-6, 3);
      if (p.b.n > p.b.w) p.b.n = p.b.w;
    }
  }
  return table;
}();

// Operand modes stay random: + - * must ignore them.
inline constexpr auto kRandomArith = [] {
  std::array<TypePair, kNumRandomArith> table{};
  Rng rng(0x5eed0003);
  for (TypePair& p : table) {
    do {
      p.a = RandomType(rng, 128);
      p.b = RandomType(rng, 128);
    } while (PlusWidth(p.a, p.b) > 256);
  }
  return table;
}();

inline constexpr std::size_t kRandomDoubleCases = 1000;  // per random type
inline constexpr std::size_t kRandomToFpCases = 400;     // per random type, each direction
inline constexpr std::size_t kRandomCastCases = 1000;    // per random cast pair
inline constexpr std::size_t kRandomArithCases = 600;    // per random pair and operator

// ---------------------------------------------------------------------------------------
// Wire format: the oracle writes a StreamHeader, then one block per (category, table index,
// sub), in the order of the categories below, then a block of category kEnd. A block is a
// BlockHeader and `count` records of `record_bytes` bytes. Result bits are stored as the
// low result_w bits, little endian, in (result_w + 7) / 8 bytes; doubles and floats as
// their raw IEEE bits.

enum class Category : std::uint8_t {
  kCastExhaustive,    // sub 0: signed source, 1: unsigned source; record: target bits
  kDoubleExhaustive,  // record: target bits
  kArithExhaustive,   // sub: operator; record: result bits
  kArithMixedSmall,   // sub: operator; record: result bits
  kDoubleRandom,      // record: target bits, then to_double() of the result (8 bytes)
  kToDoubleRandom,    // record: 8 bytes
  kToFloatRandom,     // record: 4 bytes
  kCastRandom,        // record: target bits
  kArithRandom,       // sub: operator; record: result bits
  kEnd,
};
inline constexpr int kNumCategories = static_cast<int>(Category::kEnd);

enum Op : std::uint8_t { kAdd, kSub, kMul };
inline constexpr int kNumOps = 3;

inline constexpr std::uint32_t kStreamMagic = 0x46585644;  // "DVXF"
inline constexpr std::uint32_t kBlockMagic = 0x4b4c4246;   // "FBLK"
inline constexpr std::uint32_t kProtocolVersion = 1;

struct StreamHeader {
  std::uint32_t magic = kStreamMagic;
  std::uint32_t version = kProtocolVersion;
  std::uint64_t plan = 0;  // PlanFingerprint() of the binary that wrote it
};

struct BlockHeader {
  std::uint32_t magic = kBlockMagic;
  Category category = Category::kEnd;
  std::uint8_t sub = 0;
  std::uint16_t reserved = 0;
  std::uint32_t index = 0;
  std::int32_t result_w = 0;  // the static type of the results (for arithmetic: the
  std::int32_t result_i = 0;  // operator's return type, as that implementation sees it)
  std::uint8_t result_s = 0;
  std::uint8_t padding[3] = {};
  std::uint32_t record_bytes = 0;
  std::uint64_t count = 0;
};

constexpr int BitsBytes(int w) { return (w + 7) / 8; }

// A hash of everything that decides the case stream, so that an oracle built from another
// revision of these tables is rejected rather than compared record by record.
constexpr std::uint64_t PlanFingerprint() {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::int64_t v) {
    for (int k = 0; k < 8; ++k) {
      h ^= static_cast<std::uint64_t>(v >> (8 * k)) & 0xff;
      h *= 0x100000001b3ULL;
    }
  };
  auto mix_type = [&mix](const TypeSpec& t) {
    for (int v : {t.w, t.i, static_cast<int>(t.s), t.q, t.o, t.n}) mix(v);
  };
  mix(kProtocolVersion);
  for (const TypeSpec& t : kExhaustiveTypes) mix_type(t);
  for (const TypeSpec& t : kExhaustiveArithTypes) mix_type(t);
  for (const TypeSpec& t : kMixedSmallTypes) mix_type(t);
  for (const TypeSpec& t : kRandomTypes) mix_type(t);
  for (const TypePair& p : kRandomCasts) mix_type(p.a), mix_type(p.b);
  for (const TypePair& p : kRandomArith) mix_type(p.a), mix_type(p.b);
  for (std::size_t v :
       {kRandomDoubleCases, kRandomToFpCases, kRandomCastCases, kRandomArithCases}) {
    mix(static_cast<std::int64_t>(v));
  }
  return h;
}

// How many blocks of each category a complete stream holds.
constexpr std::size_t ExpectedBlocks(Category c) {
  switch (c) {
    case Category::kCastExhaustive:
      return 2 * kNumExhaustiveTypes;
    case Category::kDoubleExhaustive:
      return kNumExhaustiveTypes;
    case Category::kArithExhaustive:
      return kNumOps * kNumExhaustiveArithTypes;
    case Category::kArithMixedSmall:
      return kNumOps * kNumMixedSmallPairs;
    case Category::kDoubleRandom:
      return kNumRandomTypes;
    case Category::kToDoubleRandom:
      return kNumRandomTypes;
    case Category::kToFloatRandom:
      return static_cast<std::size_t>(
          std::count_if(kRandomTypes.begin(), kRandomTypes.end(), InFloatRange));
    case Category::kCastRandom:
      return kNumRandomCasts;
    case Category::kArithRandom:
      return kNumOps * kNumRandomArith;
    case Category::kEnd:
      return 1;
  }
  return 0;
}

}  // namespace fixnn::vendor_diff
