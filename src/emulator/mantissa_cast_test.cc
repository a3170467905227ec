// CastPlan's int64 path against fixnn's exact fixed::Cast (itself tested against the vendor
// headers), on random type pairs over every rounding and overflow mode, and on hand-checked
// ties and saturations.
#include "emulator/mantissa_cast.h"

#include <gtest/gtest.h>

#include <random>

#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedValue;
using fixed::Overflow;
using fixed::Rounding;

FixedType MustParse(const std::string& text) {
  Result<FixedType> t = fixed::ParseFixedType(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : FixedType();
}

// The fast path's result and counts for the value m of `from`, checked against the exact path.
int64_t CastChecked(const FixedType& from, const FixedType& to, __int128 m) {
  CastPlan plan(from, to);
  EXPECT_TRUE(plan.fast());
  int64_t fast_counts[2] = {0, 0}, exact_counts[2] = {0, 0};
  const int64_t fast = plan.Apply(m, fast_counts);
  const WideInt exact = plan.ApplyExact(WideInt::FromInt128(m), exact_counts);
  EXPECT_EQ(WideInt(fast), exact) << from.ToString() << " -> " << to.ToString();
  EXPECT_EQ(fast_counts[0], exact_counts[0]);
  EXPECT_EQ(fast_counts[1], exact_counts[1]);
  return fast;
}

TEST(CastPlan, TiesFollowTheRoundingMode) {
  // 2.5 and -2.5 LSBs of ap_fixed<8,4> (LSB 1/16) into ap_fixed<8,5> (LSB 1/8): half an LSB.
  const FixedType from = MustParse("ap_fixed<8,4>");
  struct Case {
    const char* to;
    int64_t pos, neg;  // results for +5/16 = 2.5/8 and -5/16 = -2.5/8, in 1/8 units
  };
  for (const Case& c :
       {Case{"ap_fixed<8,5,AP_TRN>", 2, -3}, Case{"ap_fixed<8,5,AP_TRN_ZERO>", 2, -2},
        Case{"ap_fixed<8,5,AP_RND>", 3, -2}, Case{"ap_fixed<8,5,AP_RND_ZERO>", 2, -2},
        Case{"ap_fixed<8,5,AP_RND_MIN_INF>", 2, -3}, Case{"ap_fixed<8,5,AP_RND_INF>", 3, -3},
        Case{"ap_fixed<8,5,AP_RND_CONV>", 2, -2}}) {
    EXPECT_EQ(CastChecked(from, MustParse(c.to), 5), c.pos) << c.to;
    EXPECT_EQ(CastChecked(from, MustParse(c.to), -5), c.neg) << c.to;
  }
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<8,5,AP_RND_CONV>"), 7), 4);  // 3.5 -> 4 (even)
  // Off a tie every RND mode rounds to nearest: 1.75 and 1.25 LSBs of ap_fixed<8,6>.
  for (const char* to :
       {"ap_fixed<8,6,AP_RND>", "ap_fixed<8,6,AP_RND_ZERO>", "ap_fixed<8,6,AP_RND_MIN_INF>",
        "ap_fixed<8,6,AP_RND_INF>", "ap_fixed<8,6,AP_RND_CONV>"}) {
    EXPECT_EQ(CastChecked(from, MustParse(to), 7), 2) << to;
    EXPECT_EQ(CastChecked(from, MustParse(to), 5), 1) << to;
    EXPECT_EQ(CastChecked(from, MustParse(to), -7), -2) << to;
    EXPECT_EQ(CastChecked(from, MustParse(to), -5), -1) << to;
  }
}

TEST(CastPlan, OverflowModesAndCounts) {
  const FixedType from = MustParse("ap_fixed<16,8>");  // LSB 1/256
  // 3.0 and -3.0 into ap_fixed<4,2> (range [-2, 1.75], LSB 1/4).
  const __int128 three = 3 * 256;
  CastPlan wrap(from, MustParse("ap_fixed<4,2>"));
  int64_t counts[2] = {0, 0};
  EXPECT_EQ(wrap.Apply(three, counts), -4);  // 3 - 4 = -1
  EXPECT_EQ(wrap.Apply(-three, counts), 4);  // -3 + 4 = 1
  EXPECT_EQ(counts[0], 1);
  EXPECT_EQ(counts[1], 1);
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_TRN,AP_SAT>"), three), 7);
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_TRN,AP_SAT>"), -three), -8);
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_TRN,AP_SAT_ZERO>"), three), 0);
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_TRN,AP_SAT_SYM>"), -three), -7);
  // AP_SAT_SYM moves the minimum itself to -max, and counts it.
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_TRN,AP_SAT_SYM>"), -2 * 256), -7);
  // Unsigned saturation of a negative value gives 0.
  EXPECT_EQ(CastChecked(from, MustParse("ap_ufixed<4,2,AP_TRN,AP_SAT>"), -1), 0);
  // Saturation bits: WRAP with N = 1 forces the sign bit to the value's sign.
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_TRN,AP_WRAP,1>"), three), 4);
  // Rounding up past the maximum overflows: 1.875 -> 2.0 under RND.
  EXPECT_EQ(CastChecked(from, MustParse("ap_fixed<4,2,AP_RND,AP_SAT>"), 480), 7);
}

// Random type pairs: every mode, saturation bits, integer bits outside [0, W], sources up to
// 126 bits, mantissas spread over the source range with its extremes.
TEST(CastPlan, MatchesTheExactCastOnRandomTypes) {
  std::mt19937_64 rng(20240611);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int checked = 0;
  for (int pair = 0; pair < 4000; ++pair) {
    FixedType from;
    from.is_signed = uniform(0, 3) != 0;
    from.width = uniform(1, 126);
    from.integer = uniform(-20, from.width + 20);
    FixedType to;
    to.is_signed = uniform(0, 3) != 0;
    to.width = uniform(1, to.is_signed ? 64 : 63);
    to.integer = from.integer + uniform(-40, 40);
    to.rounding = static_cast<Rounding>(uniform(0, 6));
    to.overflow = static_cast<Overflow>(uniform(0, 3));
    to.sat_bits = uniform(0, 2) == 0 ? uniform(0, to.width) : 0;
    CastPlan plan(from, to);
    ASSERT_TRUE(plan.fast());
    const fixed::WideInt lo = fixed::MinMantissa(from), hi = fixed::MaxMantissa(from);
    auto to128 = [](const fixed::WideInt& w) {
      return static_cast<__int128>((static_cast<unsigned __int128>(w.Limb(1)) << 64) | w.Limb(0));
    };
    const __int128 lo128 = to128(lo), hi128 = to128(hi);
    std::vector<__int128> values = {lo128, hi128, 0, 1, -1, lo128 + 1, hi128 - 1};
    for (int k = 0; k < 40; ++k) {
      const unsigned __int128 r =
          (static_cast<unsigned __int128>(rng()) << 64) | static_cast<unsigned __int128>(rng());
      const int bits = uniform(1, from.width);
      __int128 v = static_cast<__int128>(r >> (128 - bits));
      if (from.is_signed && bits == from.width) v = static_cast<__int128>(r) >> (128 - bits);
      if (from.is_signed && uniform(0, 1) == 0 && bits < from.width) v = -v;
      values.push_back(v);
    }
    for (__int128 v : values) {
      if (v < lo128 || v > hi128) continue;
      int64_t fast_counts[2] = {0, 0}, exact_counts[2] = {0, 0};
      const int64_t fast = plan.Apply(v, fast_counts);
      const WideInt exact = plan.ApplyExact(WideInt::FromInt128(v), exact_counts);
      ASSERT_EQ(WideInt(fast), exact)
          << from.ToString() << " -> " << to.ToString() << " value "
          << FixedValue::FromMantissa(from, WideInt::FromInt128(v)).ToString();
      ASSERT_EQ(fast_counts[0], exact_counts[0]) << from.ToString() << " -> " << to.ToString();
      ASSERT_EQ(fast_counts[1], exact_counts[1]) << from.ToString() << " -> " << to.ToString();
      ++checked;
    }
  }
  EXPECT_GT(checked, 100000);
}

}  // namespace
}  // namespace fixnn::emulator
