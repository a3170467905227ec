#include "fixed/fixed_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace fixnn::fixed {
namespace {

double Q(double x, const FixedType& t, CastEvents* ev = nullptr) {
  Result<FixedValue> v = Quantize(x, t, ev);
  EXPECT_TRUE(v.ok());
  return v.ok() ? v->ToDouble() : NAN;
}

// Each rounding mode on the values around a tie, in a type with LSB 0.5.
TEST(QuantizeTest, RoundingModes) {
  struct Row {
    Rounding q;
    std::vector<double> expect;  // for the inputs below
  };
  const std::vector<double> in = {1.25, 1.75, -1.25, -1.75, 1.3, -1.3, 0.75, -0.75};
  const std::vector<Row> rows = {
      {Rounding::kTrn, {1.0, 1.5, -1.5, -2.0, 1.0, -1.5, 0.5, -1.0}},
      {Rounding::kTrnZero, {1.0, 1.5, -1.0, -1.5, 1.0, -1.0, 0.5, -0.5}},
      {Rounding::kRnd, {1.5, 2.0, -1.0, -1.5, 1.5, -1.5, 1.0, -0.5}},
      {Rounding::kRndZero, {1.0, 1.5, -1.0, -1.5, 1.5, -1.5, 0.5, -0.5}},
      {Rounding::kRndMinInf, {1.0, 1.5, -1.5, -2.0, 1.5, -1.5, 0.5, -1.0}},
      {Rounding::kRndInf, {1.5, 2.0, -1.5, -2.0, 1.5, -1.5, 1.0, -1.0}},
      {Rounding::kRndConv, {1.0, 2.0, -1.0, -2.0, 1.5, -1.5, 1.0, -1.0}},
  };
  for (const Row& row : rows) {
    const FixedType t = FixedType::Fixed(8, 7, row.q);  // LSB = 0.5
    for (size_t i = 0; i < in.size(); ++i) {
      EXPECT_EQ(Q(in[i], t), row.expect[i]) << RoundingName(row.q) << " of " << in[i];
    }
  }
}

TEST(QuantizeTest, OverflowModes) {
  // ap_fixed<4,2>: range [-2, 1.75], LSB 0.25.
  CastEvents ev;
  EXPECT_EQ(Q(2.0, FixedType::Fixed(4, 2), &ev), -2.0);  // wraps
  EXPECT_TRUE(ev.overflow);
  EXPECT_EQ(Q(2.25, FixedType::Fixed(4, 2)), -1.75);
  EXPECT_EQ(Q(-2.25, FixedType::Fixed(4, 2), &ev), 1.75);
  EXPECT_TRUE(ev.underflow);
  EXPECT_EQ(Q(5.0, FixedType::Fixed(4, 2, Rounding::kTrn, Overflow::kSat)), 1.75);
  EXPECT_EQ(Q(-5.0, FixedType::Fixed(4, 2, Rounding::kTrn, Overflow::kSat)), -2.0);
  EXPECT_EQ(Q(-5.0, FixedType::Fixed(4, 2, Rounding::kTrn, Overflow::kSatZero)), 0.0);
  EXPECT_EQ(Q(-5.0, FixedType::Fixed(4, 2, Rounding::kTrn, Overflow::kSatSym)), -1.75);
  // The minimum itself becomes -max under SAT_SYM.
  EXPECT_EQ(Q(-2.0, FixedType::Fixed(4, 2, Rounding::kTrn, Overflow::kSatSym), &ev), -1.75);
  EXPECT_TRUE(ev.underflow);
  // A 1-bit signed type holds {-lsb, 0}; the vendor's SAT_SYM pattern 1 is its minimum.
  EXPECT_EQ(Q(-4.5, FixedType::Fixed(1, 3, Rounding::kTrn, Overflow::kSatSym)), -4.0);
  // Rounding can carry into overflow.
  EXPECT_EQ(Q(1.9, FixedType::Fixed(4, 2, Rounding::kRnd, Overflow::kSat), &ev), 1.75);
  EXPECT_TRUE(ev.overflow && ev.inexact);
  // Unsigned: negative values.
  EXPECT_EQ(Q(-0.25, FixedType::UFixed(4, 2)), 3.75);
  EXPECT_EQ(Q(-0.25, FixedType::UFixed(4, 2, Rounding::kTrn, Overflow::kSat)), 0.0);
  EXPECT_EQ(Q(-0.25, FixedType::UFixed(4, 2, Rounding::kTrn, Overflow::kSatSym)), 0.0);
}

TEST(QuantizeTest, WrapWithSaturationBits) {
  // ap_fixed<6,6,AP_TRN,AP_WRAP,2>: on overflow the MSB takes the sign and the next bit its
  // inverse; the low bits wrap. 40 = 0b101000 -> 01 1000 = 24.
  EXPECT_EQ(Q(40, FixedType::Fixed(6, 6, Rounding::kTrn, Overflow::kWrap, 2)), 24);
  // -40 wraps to 0b011000; forced to 10 1000 = -24.
  EXPECT_EQ(Q(-40, FixedType::Fixed(6, 6, Rounding::kTrn, Overflow::kWrap, 2)), -24);
  // Unsigned: the top N bits become ones. 70 = 0b1000110 -> 000110 -> 110110 = 54.
  EXPECT_EQ(Q(70, FixedType::UFixed(6, 6, Rounding::kTrn, Overflow::kWrap, 2)), 54);
  // In range: untouched.
  EXPECT_EQ(Q(7, FixedType::Fixed(6, 6, Rounding::kTrn, Overflow::kWrap, 2)), 7);
}

TEST(QuantizeTest, ExactDoubleValueIsRounded) {
  // 0.1 is slightly above 1/10; with 60 fraction bits the exact binary value shows.
  const FixedType t = FixedType::Fixed(64, 4, Rounding::kRndConv);
  Result<FixedValue> v = Quantize(0.1, t);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->ToString(), "0.1000000000000000055511151231257827021181583404541015625");
  // Huge and tiny magnitudes.
  EXPECT_EQ(Q(1e300, FixedType::Fixed(16, 6, Rounding::kTrn, Overflow::kSat)), 32 - 0x1p-10);
  EXPECT_EQ(Q(1e300, FixedType::Fixed(16, 6)), 0.0);  // 1e300 is a multiple of 2^16 LSBs
  EXPECT_EQ(Q(-1e-300, FixedType::Fixed(16, 6)), -0x1p-10);
  EXPECT_EQ(Q(-1e-300, FixedType::Fixed(16, 6, Rounding::kRnd)), 0.0);
  EXPECT_EQ(Q(-4.9e-324, FixedType::Fixed(16, 6)), -0x1p-10);
  EXPECT_EQ(Q(-0.0, FixedType::Fixed(16, 6)), 0.0);
}

TEST(QuantizeTest, NonFiniteIsAnError) {
  for (double x : {NAN, INFINITY, -INFINITY}) {
    Result<FixedValue> v = Quantize(x, FixedType::Fixed(8, 3));
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.error().message().find("not a finite number"), std::string::npos);
    EXPECT_NE(v.error().message().find("ap_fixed<8,3>"), std::string::npos);
  }
}

TEST(CastTest, FixedToFixed) {
  const FixedValue a = *Quantize(-1.375, FixedType::Fixed(8, 3));
  EXPECT_EQ(Cast(a, FixedType::Fixed(4, 2)).ToDouble(), -1.5);
  EXPECT_EQ(Cast(a, FixedType::Fixed(4, 2, Rounding::kRnd)).ToDouble(), -1.25);
  EXPECT_EQ(Cast(a, FixedType::Fixed(4, 2, Rounding::kRndConv)).ToDouble(), -1.5);
  EXPECT_EQ(Cast(a, FixedType::Fixed(12, 8)).ToDouble(), -1.375);
  EXPECT_EQ(Cast(a, FixedType::Int(8)).ToDouble(), -2.0);  // ap_int from fixed: floor
  CastEvents ev;
  EXPECT_EQ(Cast(a, FixedType::UFixed(8, 3, Rounding::kTrn, Overflow::kSat), &ev).ToDouble(), 0);
  EXPECT_TRUE(ev.underflow);
}

TEST(ArithmeticTest, ResultTypesFollowTheVendorRules) {
  const FixedType a = FixedType::Fixed(8, 3), b = FixedType::UFixed(6, 4);
  EXPECT_EQ(AddResultType(a, b)->ToString(), "ap_fixed<11,6>");  // I = max(3, 4+1)+1, F = 5
  EXPECT_EQ(SubResultType(a, b)->ToString(), "ap_fixed<11,6>");
  EXPECT_EQ(MulResultType(a, b)->ToString(), "ap_fixed<14,7>");
  EXPECT_EQ(NegResultType(b)->ToString(), "ap_fixed<7,5>");
  EXPECT_EQ(AddResultType(b, b)->ToString(), "ap_ufixed<7,5>");
  EXPECT_EQ(SubResultType(b, b)->ToString(), "ap_fixed<7,5>");
  EXPECT_EQ(AddResultType(FixedType::Int(8), FixedType::Int(8))->ToString(), "ap_fixed<9,9>");
  Result<FixedType> too_wide = MulResultType(FixedType::Fixed(200, 2), FixedType::Fixed(100, 2));
  ASSERT_FALSE(too_wide.ok());
  EXPECT_EQ(too_wide.error().message(),
            "the exact result of a multiplication needs 300 bits; fixnn represents at most 256");
}

TEST(ArithmeticTest, ExactValues) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-8, 8);
  const FixedType ta = FixedType::Fixed(10, 4), tb = FixedType::UFixed(9, 2);
  for (int i = 0; i < 2000; ++i) {
    const FixedValue a = *Quantize(u(rng), ta), b = *Quantize(u(rng), tb);
    // Small operands: double arithmetic is exact and serves as the reference.
    EXPECT_EQ(Add(a, b)->ToDouble(), a.ToDouble() + b.ToDouble());
    EXPECT_EQ(Sub(a, b)->ToDouble(), a.ToDouble() - b.ToDouble());
    EXPECT_EQ(Mul(a, b)->ToDouble(), a.ToDouble() * b.ToDouble());
    EXPECT_EQ(Neg(a)->ToDouble(), -a.ToDouble());
    EXPECT_EQ(Compare(a, b), a.ToDouble() < b.ToDouble() ? -1 : a.ToDouble() > b.ToDouble());
  }
}

TEST(ArithmeticTest, WideProductsAreExact) {
  // (2^63 - 1)^2 needs 126 bits; doubles cannot hold it, the decimal text shows it exactly.
  const FixedType t = FixedType::Int(64);
  const FixedValue a = FixedValue::FromMantissa(t, MaxMantissa(t));
  EXPECT_EQ(Mul(a, a)->ToString(), "85070591730234615847396907784232501249");
  const FixedType u = FixedType::UInt(128);
  const FixedValue m = FixedValue::FromMantissa(u, MaxMantissa(u));
  EXPECT_EQ(Mul(m, m)->type().width, 256);
  EXPECT_EQ(Mul(m, m)->ToString(),
            "115792089237316195423570985008687907852589419931798687112530834793049593217025");
  EXPECT_EQ(Add(m, m)->ToString(), "680564733841876926926749214863536422910");
}

TEST(CompareTest, FarApartBinaryPoints) {
  // 3 * 2^3992 and 2^-3993: aligning them would need about 8000 bits.
  const FixedValue big = FixedValue::FromMantissa(FixedType::Fixed(8, 4000), WideInt(3));
  const FixedValue tiny = FixedValue::FromMantissa(FixedType::Fixed(8, -3985), WideInt(1));
  const FixedValue neg_big = FixedValue::FromMantissa(FixedType::Fixed(8, 4000), WideInt(-3));
  EXPECT_EQ(Compare(neg_big, tiny), -1);
  EXPECT_EQ(Compare(tiny, neg_big), 1);
  EXPECT_EQ(Compare(tiny, big), -1);
  EXPECT_EQ(Compare(big, tiny), 1);
  EXPECT_EQ(Compare(big, big), 0);
}

}  // namespace
}  // namespace fixnn::fixed
