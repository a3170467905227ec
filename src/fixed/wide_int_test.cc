#include "fixed/wide_int.h"

#include <gtest/gtest.h>

#include <random>

namespace fixnn::fixed {
namespace {

using i128 = __int128;

i128 RandomI128(std::mt19937_64& rng) {
  // Mixed magnitudes, so that small, medium and full-width values all occur.
  const int bits = static_cast<int>(rng() % 126) + 1;
  i128 v = (static_cast<i128>(rng()) << 64) | rng();
  v >>= (127 - bits);
  return v;
}

TEST(WideIntTest, MatchesInt128Arithmetic) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 20000; ++i) {
    const i128 a = RandomI128(rng) >> 1, b = RandomI128(rng) >> 1;
    const WideInt wa = WideInt::FromInt128(a), wb = WideInt::FromInt128(b);
    EXPECT_EQ(wa + wb, WideInt::FromInt128(a + b));
    EXPECT_EQ(wa - wb, WideInt::FromInt128(a - b));
    EXPECT_EQ(wa.Compare(wb), a < b ? -1 : (a > b ? 1 : 0));
    const i128 sa = a >> 64, sb = b >> 64;  // small enough that the product fits
    EXPECT_EQ(WideInt::FromInt128(sa) * WideInt::FromInt128(sb), WideInt::FromInt128(sa * sb));
  }
}

TEST(WideIntTest, ShiftsMatchInt128) {
  std::mt19937_64 rng(2);
  for (int i = 0; i < 20000; ++i) {
    const i128 a = RandomI128(rng);
    const int n = static_cast<int>(rng() % 127);
    EXPECT_EQ(WideInt::FromInt128(a).ShiftRightFloor(n), WideInt::FromInt128(a >> n)) << n;
  }
  EXPECT_EQ(WideInt(-5).ShiftRightFloor(1000), WideInt(-1));
  EXPECT_EQ(WideInt(5).ShiftRightFloor(1000), WideInt(0));
}

TEST(WideIntTest, ShiftLeftReportsLostBits) {
  bool lost = true;
  EXPECT_EQ(WideInt(3).ShiftLeft(200, &lost), WideInt::PowerOfTwo(200) * WideInt(3));
  EXPECT_FALSE(lost);
  WideInt(1).ShiftLeft(WideInt::kBits - 1, &lost);  // reaches the sign bit: meaning changes
  EXPECT_TRUE(lost);
  WideInt(-1).ShiftLeft(WideInt::kBits - 1, &lost);  // -2^319 is representable
  EXPECT_FALSE(lost);
  EXPECT_EQ(WideInt(7).ShiftLeft(5000, &lost), WideInt(0));
  EXPECT_TRUE(lost);
  WideInt(0).ShiftLeft(5000, &lost);
  EXPECT_FALSE(lost);
}

TEST(WideIntTest, BitsAndWrap) {
  const WideInt v(-6);  // ...11010
  EXPECT_FALSE(v.Bit(0));
  EXPECT_TRUE(v.Bit(1));
  EXPECT_TRUE(v.Bit(5000));
  EXPECT_TRUE(v.AnyBitsBelow(2));
  EXPECT_FALSE(v.AnyBitsBelow(1));
  EXPECT_EQ(v.WrapTo(3, true), WideInt(2));     // 010
  EXPECT_EQ(v.WrapTo(4, true), WideInt(-6));    // 1010
  EXPECT_EQ(v.WrapTo(4, false), WideInt(10));   // 1010 unsigned
  EXPECT_EQ(WideInt(200).WrapTo(8, true), WideInt(-56));
  EXPECT_EQ(WideInt(0).SignedBitLength(), 1);
  EXPECT_EQ(WideInt(-1).SignedBitLength(), 1);
  EXPECT_EQ(WideInt(127).SignedBitLength(), 8);
  EXPECT_EQ(WideInt(-128).SignedBitLength(), 8);
  EXPECT_EQ(WideInt(128).SignedBitLength(), 9);
}

TEST(WideIntTest, ToDoubleRoundsToNearestEven) {
  EXPECT_EQ(WideInt(3).ToDouble(-1), 1.5);
  const WideInt two53 = WideInt::PowerOfTwo(53);
  EXPECT_EQ((two53 + WideInt(1)).ToDouble(), 0x1p53);          // tie, even stays
  EXPECT_EQ((two53 + WideInt(3)).ToDouble(), 0x1p53 + 4);      // tie, odd rounds up
  EXPECT_EQ((two53 * WideInt(4) + WideInt(3)).ToDouble(), 0x1p55 + 4);  // above half
  EXPECT_EQ((-(two53 + WideInt(3))).ToDouble(), -(0x1p53 + 4));
  EXPECT_EQ(WideInt::PowerOfTwo(300).ToDouble(-300), 1.0);
  EXPECT_EQ((WideInt::PowerOfTwo(24) + WideInt(1)).ToFloat(), 0x1p24f);
  EXPECT_EQ((WideInt::PowerOfTwo(24) + WideInt(3)).ToFloat(), 0x1p24f + 4);
}

TEST(WideIntTest, DecimalAndHexText) {
  EXPECT_EQ(WideInt(-11).ToDecimalString(-3), "-1.375");
  EXPECT_EQ(WideInt(3).ToDecimalString(4), "48");
  EXPECT_EQ(WideInt(1).ToDecimalString(-10), "0.0009765625");
  EXPECT_EQ(WideInt(0).ToDecimalString(-10), "0");
  EXPECT_EQ(WideInt::PowerOfTwo(100).ToDecimalString(), "1267650600228229401496703205376");
  EXPECT_EQ(WideInt(-1).ToHexString(12), "0xfff");
  EXPECT_EQ(WideInt(10).ToHexString(5), "0x0a");
}

}  // namespace
}  // namespace fixnn::fixed
