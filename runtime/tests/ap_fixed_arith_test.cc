// Arithmetic on ap_fixed: result formats (the RType rules), exact results,
// compound assignment with rounding, increments, shifts, comparisons and bit
// access.
#include <ap_fixed.h>
#include <gtest/gtest.h>

namespace {

template <class T>
void ExpectFormat(const T&, int width, int iwidth, bool is_signed) {
  // The reference headers declare these members without defining them, so
  // they are read as values rather than bound to references.
  EXPECT_EQ(int(T::width), width);
  EXPECT_EQ(int(T::iwidth), iwidth);
  EXPECT_EQ(T(-1).is_neg(), is_signed);
}

// a = -3.375 as ap_fixed<10, 4>, b = 7.25 as ap_ufixed<9, 5>.
class ap_fixed_arith : public ::testing::Test {
 protected:
  ap_fixed<10, 4> a = -3.375;
  ap_ufixed<9, 5> b = 7.25;
  ap_int<9> i = -100;
};

TEST_F(ap_fixed_arith, ResultFormats) {
  ExpectFormat(a + b, 13, 7, true);  // I = max(4, 5 + 1) + 1, F = max(6, 4)
  ExpectFormat(a - b, 13, 7, true);
  ExpectFormat(b + b, 10, 6, false);
  ExpectFormat(b - b, 10, 6, true);  // differences are always signed
  ExpectFormat(a * b, 19, 9, true);
  ExpectFormat(a / b, 14, 8, true);   // W = 10 + F2, I = 4 + F2
  ExpectFormat(b / a, 16, 12, true);  // W = 1 + 9 + F2, I = 1 + 5 + F2
  ExpectFormat(a & b, 12, 6, true);
  ExpectFormat(-a, 11, 5, true);
  ExpectFormat(-b, 10, 6, true);
  ExpectFormat(a * 3, 42, 36, true);  // an int acts as ap_fixed<32, 32>
  ExpectFormat(a + i, 16, 10, true);  // an ap_int<9> acts as ap_fixed<9, 9>
  ExpectFormat(b * 2u, 41, 37, false);
  ExpectFormat(a << 1, 10, 4, true);  // shifts keep the type
}

TEST_F(ap_fixed_arith, ExactResults) {
  EXPECT_EQ((a + b).to_double(), 3.875);
  EXPECT_EQ((a - b).to_double(), -10.625);
  EXPECT_EQ((b - a).to_double(), 10.625);
  EXPECT_EQ((a * b).to_double(), -24.46875);
  EXPECT_EQ((a / b).to_double(), -0.453125);  // truncated toward zero at 2^-6
  EXPECT_EQ((b / a).to_double(), -2.125);     // truncated toward zero at 2^-4
  EXPECT_EQ((-a).to_double(), 3.375);
  EXPECT_EQ((~a).to_double(), 3.359375);  // bitwise complement of the raw bits
  EXPECT_EQ((a + i).to_double(), -103.375);
  EXPECT_EQ((ap_uint<7>(90) * a).to_double(), -303.75);
  EXPECT_EQ((a / i).to_double(), 0.03125);
  EXPECT_EQ((5 - b).to_double(), -2.25);
  EXPECT_EQ((b / 2u).to_double(), 3.625);
  EXPECT_EQ((a & b).to_double(), 4.0);  // 0xf28 & 0x1d0 at 2^-6
  EXPECT_FALSE(!a);
  // The most negative value negates without overflow in the wider type.
  ap_fixed<8, 8> m = -128;
  EXPECT_EQ((-m).to_int(), 128);
}

TEST(ap_fixed_wide, ProductsAndSumsBeyond64Bits) {
  ap_fixed<96, 40> w = -123456789.123456789;
  ap_fixed<192, 80> p = w * w;
  ExpectFormat(w * w, 192, 80, true);
  ap_fixed<128, 64> q = p;
  EXPECT_EQ(q.to_double(), w.to_double() * w.to_double());
  ap_ufixed<128, 128> big = 0;
  big.range(127, 96) = 0x80000000u;
  ap_ufixed<256, 256> square = big * big;
  // The integer part prints with one extra bit, hence the leading zero.
  EXPECT_EQ(square.to_string(16),
            "0x04000000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ((big + big).to_string(16), "0x100000000000000000000000000000000");
}

TEST(ap_fixed_compound, AssignmentRoundsIntoTheLeftType) {
  ap_fixed<12, 6, AP_RND, AP_SAT> c = 30.0;
  c += ap_fixed<10, 4>(-3.375);
  EXPECT_EQ(c.to_double(), 26.625);
  c *= ap_ufixed<9, 5>(7.25);
  EXPECT_EQ(c.to_double(), 31.984375);  // saturated
  c -= 100;
  EXPECT_EQ(c.to_double(), -32.0);
  c /= ap_int<4>(-3);
  EXPECT_EQ(c.to_double(), 10.65625);  // 10.666... rounded to 2^-6
  c++;
  ++c;
  EXPECT_EQ(c.to_double(), 12.65625);
  c--;
  --c;
  EXPECT_EQ(c.to_double(), 10.65625);
  ap_fixed<6, 2> wrap = 1.75;
  ++wrap;
  EXPECT_EQ(wrap.to_double(), -1.25);
  ap_fixed<8, 4> old = 2.5;
  ap_fixed<8, 4> prev = old++;
  EXPECT_EQ(prev.to_double(), 2.5);
  EXPECT_EQ(old.to_double(), 3.5);
  ap_int<8> k = 7;
  k += ap_fixed<8, 4>(-2.75);  // integer part of -2.75 is -2
  EXPECT_EQ(k.to_int(), 5);
}

TEST(ap_fixed_shift, MovesRawBitsWithinTheType) {
  ap_fixed<12, 4> a = -2.625;
  ap_ufixed<12, 4> b = 5.8125;
  EXPECT_EQ((a << 2).to_double(), 5.5);  // -10.5 wraps into [-8, 8)
  EXPECT_EQ((a >> 3).to_double(), -0.328125);
  EXPECT_EQ((b << -1).to_double(), 2.90625);
  EXPECT_EQ((b >> ap_uint<3>(5)).to_double(), 0.1796875);
  EXPECT_EQ((a << ap_int<4>(-2)).to_double(), -0.65625);
  EXPECT_EQ((b << 2u).to_double(), 7.25);
  EXPECT_EQ((a >> 40).to_double(), -1.0 / 256);  // only the sign is left
  a <<= 1;
  b >>= 2;
  EXPECT_EQ(a.to_double(), -5.25);
  EXPECT_EQ(b.to_double(), 1.453125);
}

TEST(ap_fixed_compare, AlignsBinaryPoints) {
  ap_fixed<10, 4> a = -1.25;
  ap_ufixed<9, 5> b = 3.5;
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b > a);
  EXPECT_TRUE(a != b);
  EXPECT_TRUE((ap_fixed<16, 8>(3.5) == b));
  EXPECT_TRUE(a < 0);
  EXPECT_TRUE(b > 3);
  EXPECT_TRUE(3u <= b);
  EXPECT_TRUE(a < ap_int<12>(-1));
  EXPECT_TRUE((b == ap_uint<6>(3) + ap_fixed<4, 1>(0.5)));
  EXPECT_TRUE(a >= -1.25);
  EXPECT_TRUE(2.0 < b);
  EXPECT_TRUE(-1.3 < a);
  // Mixed signedness follows C's promotion rules: with both operands 32 bits
  // or wider and the unsigned one at least as wide, a negative value compares
  // as a huge unsigned one.
  EXPECT_TRUE((ap_fixed<16, 8>(-1) < ap_ufixed<16, 8>(1)));
  EXPECT_FALSE((ap_fixed<40, 20>(-1) < ap_ufixed<40, 20>(1)));
}

TEST(ap_fixed_bits, RangeAndBitAccess) {
  ap_fixed<16, 8> f = -5.75;  // raw 0xfa40
  EXPECT_EQ(f.range(7, 0).to_uint(), 0x40u);
  EXPECT_EQ(f(15, 8).to_int(), 0xfa);
  EXPECT_TRUE(f[15]);
  EXPECT_FALSE(f[0]);
  EXPECT_TRUE(f.get_bit(-2));  // counted from the binary point
  f.range(3, 0) = 9;
  f[15] = 0;
  EXPECT_EQ(f.to_double(), 122.28515625);
  ap_fixed<16, 8> g;
  g.range(15, 0) = ap_uint<16>(0x1234);
  EXPECT_EQ(g.to_double(), 18.203125);
  g.range() = f.range();
  EXPECT_EQ(g.to_double(), f.to_double());
  g.range(7, 0) = ap_fixed<8, 2>(-0.25);  // raw bits of a fixed value
  EXPECT_EQ(g.range(7, 0).to_uint(), 0xf0u);
  ap_uint<5> idx = f.range(4, 0);
  EXPECT_EQ(idx.to_uint(), 9u);
  EXPECT_EQ(f.range(4, 0).length(), 5);
  EXPECT_EQ(f.length(), 16);
}

}  // namespace
