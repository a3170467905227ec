// ap_int / ap_uint: construction, widening arithmetic, the division and
// comparison rules for mixed signedness, shifts, bit access and wide values.
#include <ap_int.h>
#include <gtest/gtest.h>

namespace {

template <class T>
void ExpectType(const T&, int width, bool is_signed) {
  EXPECT_EQ(int(T::width), width);
  EXPECT_EQ(T(-1) < 0, is_signed);
}

TEST(ap_int_construct, WrapsIntegersAndTruncatesDoubles) {
  EXPECT_EQ(ap_int<8>(300).to_int(), 44);
  EXPECT_EQ(ap_int<8>(-129).to_int(), 127);
  EXPECT_EQ(ap_uint<8>(-1).to_int(), 255);
  EXPECT_EQ(ap_uint<1>(true).to_int(), 1);
  EXPECT_EQ(ap_int<8>(3.99).to_int(), 3);
  EXPECT_EQ(ap_int<8>(-3.99).to_int(), -3);
  EXPECT_EQ(ap_int<8>(300.5).to_int(), 44);
  EXPECT_EQ(ap_uint<8>(-1.0).to_int(), 255);
  EXPECT_EQ(ap_int<8>(-0.75).to_int(), 0);
  EXPECT_EQ(ap_int<8>(1e30).to_int(), 0);  // only bits at 2^47 and above
  EXPECT_EQ(ap_int<16>(-2.5f).to_int(), -2);
  // The reference headers turn negative values in (-0.5, 0) into 1; kept.
  EXPECT_EQ(ap_int<8>(-0.25).to_int(), 1);
  ap_int<12> copy = ap_uint<16>(0xfff0);
  EXPECT_EQ(copy.to_int(), -16);
  long long c = ap_int<40>(-5000000000ll);
  unsigned long long d = ap_uint<64>(~0ull);
  EXPECT_EQ(c, -5000000000ll);
  EXPECT_EQ(d, ~0ull);
}

TEST(ap_int_arith, ResultWidths) {
  ap_int<9> i = -100;
  ap_uint<7> u = 90;
  ExpectType(i + u, 10, true);
  ExpectType(i - u, 10, true);
  ExpectType(u - u, 8, true);
  ExpectType(u + u, 8, false);
  ExpectType(i * u, 16, true);
  ExpectType(i / u, 9, true);
  ExpectType(u / i, 8, true);
  ExpectType(i % u, 8, true);
  ExpectType(u % i, 7, false);
  ExpectType(i & u, 9, true);
  ExpectType(-i, 10, true);
  ExpectType(-u, 8, true);
  ExpectType(~u, 7, false);
  ExpectType(i + 1, 33, true);
  ExpectType(ap_uint<8>(1) + 1u, 33, false);
  ExpectType(i << 2, 9, true);
}

TEST(ap_int_arith, ExactValues) {
  ap_int<9> i = -100;
  ap_uint<7> u = 90;
  EXPECT_EQ((i + u).to_int(), -10);
  EXPECT_EQ((i - u).to_int(), -190);
  EXPECT_EQ((i * u).to_int(), -9000);
  EXPECT_EQ((i / u).to_int(), -1);
  EXPECT_EQ((i % u).to_int(), -10);
  EXPECT_EQ((i & u).to_int(), 24);
  EXPECT_EQ((i | u).to_int(), -34);
  EXPECT_EQ((i ^ u).to_int(), -58);
  EXPECT_EQ((-i).to_int(), 100);
  EXPECT_EQ((~u).to_int(), 37);
  EXPECT_EQ((1000 - u).to_int(), 910);
  EXPECT_EQ((ap_int<8>(-7) / 2).to_int(), -3);
  EXPECT_EQ((ap_int<8>(7) % -2).to_int(), 1);
  EXPECT_EQ((ap_int<8>(-7) % ap_int<8>(2)).to_int(), -1);
  EXPECT_EQ(i * 0.5, -50.0);  // floating point operands give a double
  EXPECT_EQ(2.5 + u, 92.5);
}

TEST(ap_int_arith, MixedSignednessDivision) {
  // Operands widen with the signedness of the wider one: here unsigned, so
  // -6 is divided as the 17-bit pattern 2^17 - 6 and the quotient wraps.
  EXPECT_EQ((ap_int<8>(-6) / ap_uint<16>(4)).to_int(), -2);
  EXPECT_EQ((ap_int<8>(-6) / ap_uint<8>(4)).to_int(), -1);
  EXPECT_EQ((ap_uint<8>(7) / -2).to_int(), -3);
  EXPECT_EQ((ap_uint<8>(200) % ap_int<16>(-3)).to_int(), 200);
}

TEST(ap_int_compound, WrapsToTheLeftWidth) {
  ap_int<8> k = 120;
  k += 10;
  EXPECT_EQ(k.to_int(), -126);
  k *= ap_uint<7>(90);
  EXPECT_EQ(k.to_int(), -76);
  k /= 3;
  EXPECT_EQ(k.to_int(), -25);
  k %= ap_int<5>(7);
  EXPECT_EQ(k.to_int(), -4);
  k &= 0x3c;
  k |= ap_uint<3>(1);
  k ^= 0x55;
  EXPECT_EQ(k.to_int(), 0x68);  // ((-4 & 0x3c) | 1) ^ 0x55
  k <<= 2;
  EXPECT_EQ(k.to_int(), -96);  // 0x1a0 wrapped to 8 bits
  k >>= ap_int<4>(-1);         // a negative count shifts the other way
  EXPECT_EQ(k.to_int(), 64);
  ap_uint<4> n = 15;
  EXPECT_EQ((n++).to_int(), 15);
  EXPECT_EQ(n.to_int(), 0);
  --n;
  EXPECT_EQ(n.to_int(), 15);
}

TEST(ap_int_shift, KeepsTheWidth) {
  ap_int<10> i = -77;
  ap_uint<10> u = 613;
  EXPECT_EQ((i << 3).to_int(), 408);
  EXPECT_EQ((i >> 2).to_int(), -20);
  EXPECT_EQ((u >> -2).to_int(), 404);
  EXPECT_EQ((u << ap_uint<4>(4)).to_int(), 592);
  EXPECT_EQ((i >> ap_int<4>(-3)).to_int(), 408);
  EXPECT_EQ((u << 12).to_int(), 0);
  EXPECT_EQ((ap_int<8>(-1) >> 100).to_int(), -1);
  EXPECT_EQ((ap_uint<8>(255) >> 100).to_int(), 0);
}

TEST(ap_int_compare, FollowsCPromotion) {
  EXPECT_TRUE(ap_int<8>(-1) < ap_uint<8>(1));     // both narrower than 32: signed
  EXPECT_FALSE(ap_int<40>(-1) < ap_uint<40>(1));  // unsigned side as wide: unsigned
  EXPECT_TRUE(ap_int<41>(-1) < ap_uint<40>(1));   // signed side wider: signed
  EXPECT_FALSE(ap_int<8>(-1) < 1u);               // like int8 < unsigned in C
  EXPECT_TRUE(ap_int<8>(-1) < 1);
  EXPECT_TRUE(ap_int<8>(-1) == ap_uint<40>(0xffffffffffull));  // sign-extended pattern
  EXPECT_FALSE(ap_int<40>(-1) == ap_uint<40>(0xffffffffffull));
  EXPECT_TRUE(ap_uint<8>(200) > 100);
  EXPECT_TRUE(ap_int<12>(-3) < 0.5);
  EXPECT_TRUE(-4ll < ap_int<12>(-3));
}

TEST(ap_int_bits, RangeAndBitAccess) {
  ap_uint<16> w = 0xBEEF;
  EXPECT_EQ(w.range(15, 8).to_uint(), 0xBEu);
  EXPECT_EQ(w(7, 4).to_uint(), 0xEu);
  EXPECT_TRUE(w[0]);
  EXPECT_FALSE(w[4]);
  EXPECT_EQ(ap_uint<8>(1).range(0, 7).to_uint(), 0x80u);  // reversed order
  w.range(7, 0) = 0x12;
  w(15, 12) = ap_uint<4>(0xA);
  w[8] = 1;
  EXPECT_EQ(w.to_uint(), 0xAF12u);
  w.range(7, 0) = ap_int<4>(-1);  // sign-extended before the low bits are kept
  EXPECT_EQ(w.to_uint(), 0xAFFFu);
  ap_uint<8> from_range = w.range(11, 4);
  EXPECT_EQ(from_range.to_uint(), 0xFFu);
  EXPECT_EQ((w.range(3, 0) + 1).to_uint(), 16u);
  EXPECT_TRUE(w.range(15, 12) == 0xA);
  int table[16] = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150};
  EXPECT_EQ(table[w.range(15, 12)], 100);
  EXPECT_EQ(w.countLeadingZeros(), 0);
  EXPECT_TRUE(ap_uint<4>(15).and_reduce());
  EXPECT_TRUE(ap_uint<4>(7).xor_reduce());
}

TEST(ap_int_wide, MultiWordValues) {
  ap_int<128> a = -1;
  a <<= 127;
  ap_int<256> square = a * a;  // 2^254
  EXPECT_EQ(square.to_string(16),
            "0x4000000000000000000000000000000000000000000000000000000000000000");
  ap_int<100> big = 1;
  big <<= 90;
  big -= 12345;
  EXPECT_EQ(big.to_string(10), "1237940039285380274899111879");
  EXPECT_EQ((big / ap_int<20>(-777)).to_string(10), "-1593230423790708204503361");
  EXPECT_EQ((big % 1000).to_int(), 879);
  EXPECT_EQ((big >> 70).to_int(), 1048575);
  ap_uint<512> ones = 0;
  ones = ~ones;
  EXPECT_EQ((ones + 1).to_string(16), "0x1" + std::string(128, '0'));
  EXPECT_TRUE(ones > big);
  // Conversions to C types take the low 64 bits, as in the reference headers.
  EXPECT_EQ(big.to_double(), double(big.to_int64()));
}

}  // namespace
