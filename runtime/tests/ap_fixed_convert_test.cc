// Conversions into ap_fixed: the seven quantization modes, the overflow
// modes (including AP_WRAP with saturation bits), doubles (ties, specials,
// wide targets) and the conversions back to C types. Expected values are
// worked out by hand from the mode definitions; the suites only use the
// public API so they also run against the vendor headers.
#include <ap_fixed.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

// Target ap_fixed<8, 4> has an LSB of 1/16.
template <ap_q_mode Q>
double Quantize(double v) {
  return ap_fixed<8, 4, Q>(v).to_double();
}

TEST(ap_fixed_quantize, HalfLsbTies) {
  const double half = 1.0 / 32;
  EXPECT_EQ(Quantize<AP_TRN>(half), 0.0);
  EXPECT_EQ(Quantize<AP_TRN_ZERO>(half), 0.0);
  EXPECT_EQ(Quantize<AP_RND>(half), 0.0625);
  EXPECT_EQ(Quantize<AP_RND_ZERO>(half), 0.0);
  EXPECT_EQ(Quantize<AP_RND_MIN_INF>(half), 0.0);
  EXPECT_EQ(Quantize<AP_RND_INF>(half), 0.0625);
  EXPECT_EQ(Quantize<AP_RND_CONV>(half), 0.0);

  EXPECT_EQ(Quantize<AP_TRN>(-half), -0.0625);
  EXPECT_EQ(Quantize<AP_TRN_ZERO>(-half), 0.0);
  EXPECT_EQ(Quantize<AP_RND>(-half), 0.0);
  EXPECT_EQ(Quantize<AP_RND_ZERO>(-half), 0.0);
  EXPECT_EQ(Quantize<AP_RND_MIN_INF>(-half), -0.0625);
  EXPECT_EQ(Quantize<AP_RND_INF>(-half), -0.0625);
  EXPECT_EQ(Quantize<AP_RND_CONV>(-half), 0.0);
}

TEST(ap_fixed_quantize, OddTiesAndNonTies) {
  const double tie = 3.0 / 32;  // 1.5 LSB: convergent rounding goes to 2 LSB
  EXPECT_EQ(Quantize<AP_TRN>(tie), 0.0625);
  EXPECT_EQ(Quantize<AP_RND_ZERO>(tie), 0.0625);
  EXPECT_EQ(Quantize<AP_RND_MIN_INF>(tie), 0.0625);
  EXPECT_EQ(Quantize<AP_RND_CONV>(tie), 0.125);
  EXPECT_EQ(Quantize<AP_TRN>(-tie), -0.125);
  EXPECT_EQ(Quantize<AP_TRN_ZERO>(-tie), -0.0625);
  EXPECT_EQ(Quantize<AP_RND>(-tie), -0.0625);
  EXPECT_EQ(Quantize<AP_RND_ZERO>(-tie), -0.0625);
  EXPECT_EQ(Quantize<AP_RND_INF>(-tie), -0.125);
  EXPECT_EQ(Quantize<AP_RND_CONV>(-tie), -0.125);
  // 1.6 LSB is not a tie, so every rounding mode goes to 2 LSB.
  EXPECT_EQ(Quantize<AP_RND_ZERO>(0.1), 0.125);
  EXPECT_EQ(Quantize<AP_RND_MIN_INF>(-0.1), -0.125);
  EXPECT_EQ(Quantize<AP_TRN_ZERO>(-0.1), -0.0625);
}

TEST(ap_fixed_quantize, FixedToFixedUsesExactSource) {
  ap_fixed<16, 8> a = 3.7;  // truncated to 947/256
  EXPECT_EQ(a.to_double(), 947.0 / 256);
  ap_fixed<6, 3, AP_RND, AP_SAT> b = a;
  EXPECT_EQ(b.to_double(), 3.75);
  // Rounding up past the maximum saturates (or wraps).
  ap_fixed<16, 8> c = 7.97;
  ap_fixed<8, 4, AP_RND, AP_SAT> sat = c;
  ap_fixed<8, 4, AP_RND, AP_WRAP> wrap = c;
  EXPECT_EQ(sat.to_double(), 7.9375);
  EXPECT_EQ(wrap.to_double(), -8.0);
  // An unsigned source into a signed target of equal width.
  ap_ufixed<8, 8> u = 200;
  ap_fixed<8, 8> s_wrap = u;
  ap_fixed<8, 8, AP_TRN, AP_SAT> s_sat = u;
  EXPECT_EQ(s_wrap.to_int(), -56);
  EXPECT_EQ(s_sat.to_int(), 127);
}

TEST(ap_fixed_overflow, SignedModes) {
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP>(9.0).to_double()), -7.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT>(9.0).to_double()), 7.9375);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT_ZERO>(9.0).to_double()), 0.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT_SYM>(9.0).to_double()), 7.9375);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP>(-9.0).to_double()), 7.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT>(-9.0).to_double()), -8.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT_ZERO>(-9.0).to_double()), 0.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT_SYM>(-9.0).to_double()), -7.9375);
  // Symmetric saturation also replaces an exact minimum from a signed source.
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT_SYM>(-8.0).to_double()), -7.9375);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT>(-8.0).to_double()), -8.0);
  ap_fixed<8, 8> minimum = -128;
  EXPECT_EQ((ap_fixed<4, 4, AP_TRN, AP_SAT_SYM>(minimum).to_int()), -7);
}

TEST(ap_fixed_overflow, WrapWithSaturationBits) {
  // 9.0 is 0x90 in 8 bits; AN bits at the top flag the overflow and keep the
  // sign of the source.
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP, 1>(9.0).to_double()), 1.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP, 2>(9.0).to_double()), 5.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP, 3>(9.0).to_double()), 7.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP, 1>(-9.0).to_double()), -1.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP, 2>(-9.0).to_double()), -5.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_WRAP, 2>(17.0).to_double()), 13.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_WRAP, 1>(-1.0).to_double()), 15.0);
  // Values that fit are untouched.
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_WRAP, 3>(-7.5).to_double()), -7.5);
}

TEST(ap_fixed_overflow, UnsignedModes) {
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_WRAP>(17.0).to_double()), 1.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_SAT>(17.0).to_double()), 15.9375);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_SAT_ZERO>(17.0).to_double()), 0.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_SAT_SYM>(17.0).to_double()), 15.9375);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_WRAP>(-1.0).to_double()), 15.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_SAT>(-1.0).to_double()), 0.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_SAT_SYM>(-1.0).to_double()), 0.0);
  // A negative value that rounds to zero fits.
  EXPECT_EQ((ap_ufixed<8, 4, AP_RND, AP_SAT>(-0.01).to_double()), 0.0);
}

TEST(ap_fixed_double, SpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ((ap_fixed<8, 4>(inf).to_double()), 0.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT>(inf).to_double()), 7.9375);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT>(-inf).to_double()), -8.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_TRN, AP_SAT>(nan).to_double()), 7.9375);
  EXPECT_EQ((ap_fixed<8, 4>(-0.0).to_double()), 0.0);
  EXPECT_EQ((ap_fixed<8, 4, AP_RND>(5e-324).to_double()), 0.0);
  EXPECT_EQ((ap_fixed<8, 4>(-5e-324).to_double()), -0.0625);
  EXPECT_EQ((ap_fixed<8, 4>(1.5f).to_double()), 1.5);
}

TEST(ap_fixed_double, WideTargetsKeepTheExactDouble) {
  ap_fixed<256, 8, AP_RND_CONV> tenth = 0.1;
  EXPECT_EQ(tenth.to_double(), 0.1);
  ap_fixed<512, 256> huge = 1e70;
  EXPECT_EQ(huge.to_double(), 1e70);
  ap_fixed<512, 256> tiny = -3.5e-50;
  EXPECT_EQ(tiny.to_double(), -3.5e-50);
  ap_fixed<513, 257> sum = huge + tiny;
  EXPECT_EQ(sum.to_double(), 1e70);
  ap_fixed<100, 100, AP_RND, AP_SAT> clipped = -1e40;
  EXPECT_TRUE(clipped.is_neg());
  EXPECT_EQ(clipped.to_double(), -std::ldexp(1.0, 99));
}

TEST(ap_fixed_double, ToDoubleAndFloatRoundToNearestEven) {
  ap_fixed<64, 64> x = 0;
  x.range(63, 0) = ap_uint<64>((1ull << 53) + 1);
  EXPECT_EQ(x.to_double(), std::ldexp(1.0, 53));
  x.range(63, 0) = ap_uint<64>((1ull << 53) + 3);
  EXPECT_EQ(x.to_double(), std::ldexp(1.0, 53) + 4);
  ap_fixed<32, 32> y = 16777217;
  EXPECT_EQ(y.to_float(), 16777216.0f);
  y = 16777219;
  EXPECT_EQ(y.to_float(), 16777220.0f);
  EXPECT_EQ((ap_fixed<20, 2>(-1.0 / 3).to_double()), -87382.0 / 262144);
}

TEST(ap_fixed_to_int, TruncatesTowardZero) {
  EXPECT_EQ((ap_fixed<8, 4>(-7.5).to_int()), -7);
  EXPECT_EQ((ap_fixed<8, 4>(7.5).to_int()), 7);
  EXPECT_EQ((ap_fixed<8, 4>(-0.5).to_int()), 0);
  EXPECT_EQ((ap_fixed<8, 8>(-100).to_int()), -100);
  EXPECT_EQ((ap_ufixed<10, 10>(1000).to_uint()), 1000u);
  // Integer parts wider than 64 bits keep their low 64 bits: 2^64 - 10^19.
  EXPECT_EQ((ap_fixed<70, 68>(-1e19).to_int64()), 8446744073709551616ll);
  // With no integer bits a negative value reads as -1 (reference behavior).
  EXPECT_EQ((ap_fixed<4, 0>(-0.5).to_int()), -1);
  ap_int<7> i = ap_fixed<12, 8>(-37.75);
  ap_uint<6> u = ap_fixed<12, 8>(37.75);
  EXPECT_EQ(i.to_int(), -37);
  EXPECT_EQ(u.to_int(), 37);
  int c = ap_fixed<12, 8>(-9.9);
  double d = ap_fixed<12, 8>(-9.75);
  EXPECT_EQ(c, -9);
  EXPECT_EQ(d, -9.75);
}

TEST(ap_fixed_from_int, IntegersAreFixedWithNoFraction) {
  ap_fixed<12, 12> a = ap_int<12>(-1000);
  ap_ufixed<12, 8, AP_TRN, AP_SAT> b = ap_uint<10>(1000);
  ap_fixed<20, 10> c = (signed char)-7;
  ap_fixed<6, 3> d = true;
  ap_fixed<9, 5, AP_RND, AP_SAT> e = ap_fixed<24, 12>(-2047);
  EXPECT_EQ(a.to_int(), -1000);
  EXPECT_EQ(b.to_double(), 255.9375);
  EXPECT_EQ(c.to_double(), -7.0);
  EXPECT_EQ(d.to_double(), 1.0);
  EXPECT_EQ(e.to_double(), -16.0);
}

}  // namespace
