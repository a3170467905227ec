// Text output: to_string in every radix and the stream operators, whose
// layout (prefixes, digit case, extra leading zero, significant-digit
// trimming and padding) must match the reference headers exactly.
#include <ap_fixed.h>
#include <ap_int.h>
#include <gtest/gtest.h>

#include <iomanip>
#include <sstream>

namespace {

template <class T>
std::string Streamed(const T& x, int precision = 6, int width = 0) {
  std::ostringstream out;
  out << std::setprecision(precision) << std::setw(width) << x;
  return out.str();
}

TEST(ap_format_int, ToStringRadixes) {
  EXPECT_EQ(ap_uint<8>(5).to_string(), "0b0101");  // radix 2 by default
  EXPECT_EQ(ap_uint<8>(0xA5).to_string(), "0b10100101");
  EXPECT_EQ(ap_uint<12>(0xF0).to_string(16), "0x0f0");
  EXPECT_EQ(ap_uint<12>(0x70).to_string(16), "0x70");
  EXPECT_EQ(ap_int<8>(-5).to_string(16), "-0x5");
  EXPECT_EQ(ap_int<8>(-5).to_string(16, false), "0xfb");
  EXPECT_EQ(ap_int<8>(-5).to_string(2), "0b11111011");
  EXPECT_EQ(ap_int<8>(-5).to_string(8), "-0o5");
  EXPECT_EQ(ap_int<8>(-128).to_string(10), "-128");
  EXPECT_EQ(ap_uint<8>(0).to_string(16), "0x0");
  // Above 64 bits: upper-case hex, bare zero, leading zero whenever short.
  EXPECT_EQ(ap_uint<70>(0xF0).to_string(16), "0x0F0");
  EXPECT_EQ(ap_uint<70>(0x70).to_string(16), "0x070");
  EXPECT_EQ(ap_uint<70>(0).to_string(16), "0");
  EXPECT_EQ(ap_int<70>(-5).to_string(10), "-5");
}

TEST(ap_format_fixed, ToStringRadixes) {
  ap_fixed<8, 4> a = -1.5;
  EXPECT_EQ(a.to_string(), "0b11110.1000");
  EXPECT_EQ(a.to_string(16), "-0x1.8p0");
  EXPECT_EQ(a.to_string(10), "-1.5");
  ap_ufixed<8, -2> b = 0.1;
  EXPECT_EQ(b.to_string(10), "0.099609375");
  EXPECT_EQ(b.to_string(2), "0b0.0001100110");
  EXPECT_EQ(b.to_string(16), "0x0.198p0");
  EXPECT_EQ(b.to_string(8), "0o0.0630");
  EXPECT_EQ((ap_fixed<16, 8>(-128).to_string(16)), "-0x080");
  EXPECT_EQ((ap_fixed<16, 8>(-0.5).to_string()), "0b111111111.10000000");
  EXPECT_EQ((ap_fixed<4, 2>(0).to_string(2)), "0b0");
  EXPECT_EQ((ap_fixed<70, 40>(-123456.789).to_string(10)), "-123456.7890000008046627044677734375");
}

TEST(ap_format_stream, FixedUsesPrecisionAndWidth) {
  EXPECT_EQ(Streamed(ap_fixed<16, 8>(3.14159)), "3.14063");
  EXPECT_EQ(Streamed(ap_fixed<32, 16>(-1234.56789)), "-1234.57");
  EXPECT_EQ(Streamed(ap_fixed<24, 0>(0.0001234)), "0.000123382");
  EXPECT_EQ(Streamed(ap_fixed<24, 0>(0.00001234)), "1.23382e-05");
  EXPECT_EQ(Streamed(ap_fixed<40, 36>(123456789)), "1.23457e+08");
  EXPECT_EQ(Streamed(ap_fixed<16, 8>(0)), "0");
  EXPECT_EQ(Streamed(ap_fixed<20, 10>(123.4567), 3), "123");
  // With more integer digits than the precision, the rounding digit is taken
  // one place too far, so this truncates (reference behavior).
  EXPECT_EQ(Streamed(ap_fixed<64, 60>(1234567.5)), "1.23456e+06");
  // Each padding character is streamed with the pending width, so the first
  // one is itself padded: 9 + 7 fill characters for a width of 10.
  EXPECT_EQ(Streamed(ap_fixed<16, 8>(1.5), 6, 10), std::string(16, ' ') + "1.5");
}

TEST(ap_format_stream, IntegersAndRanges) {
  EXPECT_EQ(Streamed(ap_int<12>(-42), 6, 8), "     -42");
  EXPECT_EQ(Streamed(ap_uint<80>(1) << 70), "1180591620717411303424");
  ap_uint<16> w = 0xBEEF;
  EXPECT_EQ(Streamed(w.range(15, 8)), "190");
  ap_fixed<8, 4> f = 2.5;
  EXPECT_EQ(Streamed(f.range(7, 4)), "0b010");  // fixed ranges print in binary
  EXPECT_EQ(Streamed(f[5]), "1");
}

}  // namespace
