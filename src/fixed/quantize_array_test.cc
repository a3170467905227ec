#include "fixed/quantize_array.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "fixed/fixed_value.h"

namespace fixnn::fixed {
namespace {

constexpr Rounding kRoundings[] = {Rounding::kTrn,       Rounding::kTrnZero, Rounding::kRnd,
                                   Rounding::kRndZero,   Rounding::kRndMinInf,
                                   Rounding::kRndInf,    Rounding::kRndConv};
constexpr Overflow kOverflows[] = {Overflow::kWrap, Overflow::kSat, Overflow::kSatZero,
                                   Overflow::kSatSym};

// Inputs that stress the fast path: ties, values next to ties, range edges, huge and tiny.
std::vector<double> Inputs(const FixedType& t, std::mt19937_64& rng) {
  std::vector<double> xs;
  const double lsb = std::ldexp(1.0, t.lsb_exponent());
  const double range = std::ldexp(1.0, t.integer);
  std::uniform_real_distribution<double> u(-1.5 * range, 1.5 * range);
  for (int i = 0; i < 300; ++i) xs.push_back(u(rng));
  for (int k = -40; k <= 40; ++k) {
    const double tie = (k + 0.5) * lsb;
    xs.insert(xs.end(), {tie, std::nextafter(tie, 0.0), std::nextafter(tie, 1e308),
                         k * lsb, range - k * lsb, -range + k * lsb});
  }
  xs.insert(xs.end(), {0.0, -0.0, 1e300, -1e300, 1e-300, -1e-300, 4.9e-324, -4.9e-324,
                       0x1p62, -0x1p62, 0x1p70, -0x1p63, 0x1p52 + 1, -(0x1p52 + 1)});
  return xs;
}

// The fast path must agree with the exact reference on every mode and many types.
TEST(QuantizeArrayTest, AgreesWithExactPath) {
  std::mt19937_64 rng(4);
  int types = 0;
  for (int w : {1, 2, 5, 8, 16, 24, 32, 53, 60, 63, 64}) {
    for (int i : {-6, 0, 1, w / 2, w, w + 5, 40}) {
      for (bool is_signed : {true, false}) {
        if (!is_signed && w == 64) continue;
        for (Rounding q : kRoundings) {
          for (Overflow o : kOverflows) {
            for (int n : {0, 1, 3}) {
              if (n > w || (n > 0 && o != Overflow::kWrap)) continue;
              FixedType t = is_signed ? FixedType::Fixed(w, i, q, o, n)
                                      : FixedType::UFixed(w, i, q, o, n);
              const std::vector<double> xs = Inputs(t, rng);
              std::vector<std::int64_t> got(xs.size());
              Result<OverflowCounts> counts = QuantizeToMantissas(xs, t, got);
              ASSERT_TRUE(counts.ok()) << counts.error().message();
              OverflowCounts want;
              for (size_t k = 0; k < xs.size(); ++k) {
                CastEvents ev;
                const FixedValue v = *Quantize(xs[k], t, &ev);
                want.overflow += ev.overflow;
                want.underflow += ev.underflow;
                ASSERT_EQ(got[k], v.mantissa().ToInt64())
                    << t.ToString() << " x=" << xs[k] << " (" << std::hexfloat << xs[k] << ")";
              }
              EXPECT_EQ(counts->overflow, want.overflow) << t.ToString();
              EXPECT_EQ(counts->underflow, want.underflow) << t.ToString();
              ++types;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(types, 2000);
}

FixedType RandomType(std::mt19937_64& rng) {
  const bool is_signed = rng() % 4 != 0;
  const int w = 1 + static_cast<int>(rng() % (is_signed ? 64 : 63));
  const int i = static_cast<int>(rng() % (w + 41)) - 20;
  const Rounding q = kRoundings[rng() % 7];
  const Overflow o = kOverflows[rng() % 4];
  const int n = o == Overflow::kWrap && rng() % 3 == 0 ? static_cast<int>(rng() % (w + 1)) : 0;
  return is_signed ? FixedType::Fixed(w, i, q, o, n) : FixedType::UFixed(w, i, q, o, n);
}

// Re-quantizing int64 mantissas must equal the exact Cast for random type pairs, including
// far-apart binary points (everything dropped, or shifted beyond 64 bits).
TEST(QuantizeArrayTest, RequantizeAgreesWithCast) {
  std::mt19937_64 rng(6);
  for (int pair = 0; pair < 3000; ++pair) {
    const FixedType from = RandomType(rng), to = RandomType(rng);
    const WideInt lo = MinMantissa(from), hi = MaxMantissa(from);
    std::vector<std::int64_t> in;
    for (std::int64_t edge : {lo.ToInt64(), hi.ToInt64(), std::int64_t{0}, std::int64_t{1}}) {
      if (edge >= lo.ToInt64() && edge <= hi.ToInt64()) in.push_back(edge);
    }
    for (int k = 0; k < 200; ++k) {
      const int bits = 1 + static_cast<int>(rng() % from.width);
      const auto raw = static_cast<std::int64_t>(rng() >> (64 - bits));
      in.push_back(FixedValue::FromBits(from, WideInt(raw)).mantissa().ToInt64());
    }
    std::vector<std::int64_t> out(in.size());
    Result<OverflowCounts> counts = RequantizeMantissas(in, from, to, out);
    ASSERT_TRUE(counts.ok()) << counts.error().message();
    OverflowCounts want;
    for (size_t k = 0; k < in.size(); ++k) {
      CastEvents ev;
      const FixedValue v = Cast(FixedValue::FromMantissa(from, WideInt(in[k])), to, &ev);
      want.overflow += ev.overflow;
      want.underflow += ev.underflow;
      ASSERT_EQ(out[k], v.mantissa().ToInt64())
          << from.ToString() << " -> " << to.ToString() << " m=" << in[k];
    }
    EXPECT_EQ(counts->overflow, want.overflow);
    EXPECT_EQ(counts->underflow, want.underflow);
  }
  // Far apart binary points.
  for (const auto& [from, to] : {std::pair{FixedType::Fixed(16, 6), FixedType::Fixed(8, 100)},
                                 std::pair{FixedType::Fixed(16, 6, Rounding::kRnd),
                                           FixedType::Fixed(8, 100, Rounding::kRnd)},
                                 std::pair{FixedType::Fixed(16, -80), FixedType::Fixed(8, 4)},
                                 std::pair{FixedType::Fixed(16, 80), FixedType::Fixed(60, -4)}}) {
    std::vector<std::int64_t> in = {-32768, -3, -1, 0, 1, 7, 32767}, out(7);
    ASSERT_TRUE(RequantizeMantissas(in, from, to, out).ok());
    for (size_t k = 0; k < in.size(); ++k) {
      EXPECT_EQ(out[k],
                Cast(FixedValue::FromMantissa(from, WideInt(in[k])), to).mantissa().ToInt64());
    }
  }
}

TEST(QuantizeArrayTest, RequantizeRejectsOutOfRangeMantissas) {
  std::vector<std::int64_t> in = {1, 300}, out(2);
  Result<OverflowCounts> r =
      RequantizeMantissas(in, FixedType::Fixed(8, 3), FixedType::Fixed(4, 2), out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "requantize ap_fixed<8,3> to ap_fixed<4,2>: element 1: mantissa 300 is outside the "
            "range of ap_fixed<8,3>");
}

TEST(QuantizeArrayTest, DoublesOutputMatchesValues) {
  std::mt19937_64 rng(5);
  for (FixedType t : {FixedType::Fixed(16, 6, Rounding::kRnd, Overflow::kSat),
                      FixedType::UFixed(8, 0), FixedType::Fixed(70, 10, Rounding::kRndConv),
                      FixedType::Fixed(40, 900), FixedType::Fixed(12, -20)}) {
    std::vector<double> xs = Inputs(t, rng);
    std::vector<double> out(xs.size());
    ASSERT_TRUE(QuantizeToDoubles(xs, t, out).ok());
    for (size_t k = 0; k < xs.size(); ++k) {
      ASSERT_EQ(out[k], Quantize(xs[k], t)->ToDouble()) << t.ToString() << " " << xs[k];
    }
    // In place.
    std::vector<double> copy = xs;
    ASSERT_TRUE(QuantizeToDoubles(copy, t, copy).ok());
    EXPECT_EQ(copy, out);
  }
}

TEST(QuantizeArrayTest, Errors) {
  std::vector<double> xs = {1.0, NAN, 2.0};
  std::vector<std::int64_t> out(3);
  Result<OverflowCounts> r = QuantizeToMantissas(xs, FixedType::Fixed(8, 3), out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "quantize to ap_fixed<8,3>: element 1: cannot convert nan to ap_fixed<8,3>: not a "
            "finite number");
  std::vector<std::int64_t> small(2);
  r = QuantizeToMantissas(std::vector<double>{1, 2, 3}, FixedType::Fixed(8, 3), small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "quantize: 3 inputs but room for 2 outputs");
  r = QuantizeToMantissas(xs, FixedType::UFixed(64, 3), out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "ap_ufixed<64,3> is too wide for 64-bit mantissas");
}

}  // namespace
}  // namespace fixnn::fixed
