// hls4ml's constants: weights through decimal text, the float tables (every activation's and
// the legacy softmax's), the table indices and the conversion of an infinite table entry.
#include <gtest/gtest.h>

#include <cmath>

#include "emulator/hls4ml_tables.h"
#include "emulator/hls4ml_weights.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::Overflow;
using fixed::Rounding;

TEST(Hls4mlWeights, DecimalTextRoundsHalfToEvenOnTheBinaryValue) {
  EXPECT_EQ(FormatDecimals(0.125, 2), "0.12");  // an exact tie: to even
  EXPECT_EQ(FormatDecimals(0.375, 2), "0.38");
  EXPECT_EQ(FormatDecimals(0.3, 1), "0.3");  // 0.29999999999999998890 rounds up
  EXPECT_EQ(FormatDecimals(-1e-12, 6), "-0.000000");
  EXPECT_EQ(FormatDecimals(2.5, 0), "2");
}

TEST(Hls4mlWeights, StoredValuesFollowTheText) {
  const FixedType t = FixedType::Fixed(8, 2);  // 6 decimals, LSB 1/64
  Result<fixed::FixedValue> v = StoreThroughText(0.5 - 0x1p-24, t);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->ToDouble(), 0.5);  // a direct TRN cast gives 0.484375
  EXPECT_EQ(StoreThroughText(-1e-12, FixedType::Fixed(16, 6))->ToDouble(), 0.0);
  // Grid values are kept exactly; a value off the grid is cut by the type after printing.
  EXPECT_EQ(StoreThroughText(-0.015625, t)->ToDouble(), -0.015625);
  EXPECT_EQ(StoreThroughText(0.3, t)->ToDouble(), 19.0 / 64);  // "0.300000" -> TRN
  // Integer types print no decimals: 2.5 -> "2", 3.5 -> "4".
  EXPECT_EQ(StoreThroughText(2.5, FixedType::Int(4))->ToDouble(), 2.0);
  EXPECT_EQ(StoreThroughText(3.5, FixedType::Int(4))->ToDouble(), 4.0);
  fixed::OverflowCounts counts;
  Result<std::vector<fixed::WideInt>> a =
      StoreArrayThroughText(std::vector<double>{5.0, -5.0, 1.0}, t, &counts);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(counts.overflow, 1);
  EXPECT_EQ(counts.underflow, 1);
}

TEST(Hls4mlTables, FloatEntries) {
  const std::vector<float> sig = SigmoidTableFloats(1024);
  EXPECT_EQ(sig[512], 0.5f);
  EXPECT_EQ(sig[576], static_cast<float>(1.0 / (1.0f + std::exp(-1.0f))));
  const std::vector<float> th = TanhTableFloats(8);  // z = -4, -3, ..., 3
  EXPECT_EQ(th[4], 0.0f);
  EXPECT_EQ(th[5], std::tanh(1.0f));
  EXPECT_EQ(th[0], std::tanh(-4.0f));
}

TEST(Hls4mlTables, ActivationIndexTruncatesAndClamps) {
  // fixed<16,6> mantissas (LSB 2^-10), sigmoid range 16 with 1024 entries: int(x * 64) + 512.
  EXPECT_EQ(ActivationTableIndex(int64_t{0}, -10, 1024, 16), 512);
  EXPECT_EQ(ActivationTableIndex(int64_t{-11}, -10, 1024, 16), 512);        // -0.69 -> 0
  EXPECT_EQ(ActivationTableIndex(int64_t{-16}, -10, 1024, 16), 511);        // -1.0 -> -1
  EXPECT_EQ(ActivationTableIndex(int64_t{1023 * 8}, -10, 1024, 16), 1023);  // 7.99 -> 511
  EXPECT_EQ(ActivationTableIndex(int64_t{1024 * 8}, -10, 1024, 16), 1023);  // clamped
  EXPECT_EQ(ActivationTableIndex(int64_t{-1024 * 9}, -10, 1024, 16), 0);
  // tanh: range 8: int(x * 128) + 512.
  EXPECT_EQ(ActivationTableIndex(int64_t{512}, -10, 1024, 8), 576);
  // int keeps the low 32 bits of x * N / 16: x = 2^26 gives 2^32 -> 0, index 512.
  EXPECT_EQ(ActivationTableIndex(int64_t{1} << 36, -10, 1024, 16), 512);
  // The exact path agrees.
  for (int64_t m : {int64_t{0}, int64_t{-11}, int64_t{-16}, int64_t{12345}, int64_t{1} << 36}) {
    EXPECT_EQ(ActivationTableIndex(fixed::WideInt(m), -10, 1024, 16),
              ActivationTableIndex(m, -10, 1024, 16));
  }
}

TEST(Hls4mlTables, MoreFloatEntries) {
  // softplus, softsign: sigmoid's grid z = 16 (k - N/2) / N; 512 is z = 0, 576 is z = 1.
  EXPECT_EQ(SoftplusTableFloats(1024)[512], static_cast<float>(std::log(2.0)));
  EXPECT_EQ(SoftplusTableFloats(1024)[576],
            static_cast<float>(std::log(static_cast<double>(std::exp(1.0f)) + 1.0)));
  EXPECT_EQ(SoftsignTableFloats(1024)[576], 0.5f);
  EXPECT_EQ(SoftsignTableFloats(1024)[0], static_cast<float>(-8.0 / 9.0));
  // elu, selu: z = -8 k / N; k = 128 of 1024 is z = -1, the difference taken in double.
  EXPECT_EQ(EluTableFloats(1024)[0], 0.0f);
  EXPECT_EQ(EluTableFloats(1024)[128],
            static_cast<float>(static_cast<double>(std::exp(-1.0f)) - 1.0));
  EXPECT_EQ(
      SeluTableFloats(8)[1],
      static_cast<float>(1.0507009873554805 *
                         (1.6732632423543772 * (static_cast<double>(std::exp(-1.0f)) - 1.0))));
  EXPECT_EQ(SeluTableFloats(8)[0], 0.0f);
  // Legacy softmax: exp over sigmoid's grid (64 entries: z = (k - 32) / 4), 1 / (64 k / N) in
  // double with entry 0 held at 0.
  EXPECT_EQ(LegacySoftmaxExpTableFloats(64)[34], std::exp(0.5f));
  EXPECT_EQ(LegacySoftmaxExpTableFloats(64)[0], std::exp(-8.0f));
  const std::vector<double> inv = LegacySoftmaxInvTableValues(8);
  EXPECT_EQ(inv[0], 0.0);
  EXPECT_EQ(inv[1], 0.125);
  EXPECT_EQ(inv[3], 1.0 / 24.0);
}

TEST(Hls4mlTables, QuotientTruncatesAtTheInputsLsb) {
  // x = -1.5 (m = -3, LSB 1/2), N = 10, / 8: the mantissa quotient -30 / 8 truncates to -3
  // (-1.5), then int() to -1 (the exact -1.875 truncates alike).
  EXPECT_EQ(TableQuotient(__int128{-3}, -1, 10, 3), -1);
  // x = 16 with LSB 16 (m = 1): 16 * 1000 / 16 is 1000 exactly, but the division keeps the LSB
  // 16 and truncates the mantissa quotient 1000 / 16 = 62.5 to 62: 992.
  EXPECT_EQ(TableQuotient(__int128{1}, 4, 1000, 4), 992);
  EXPECT_EQ(TableQuotient(fixed::WideInt(1), 4, 1000, 4), 992);
  // Division by -8: x = -1 (m = -1024 at 2^-10) gives 128.
  EXPECT_EQ(TableQuotient(__int128{-1024}, -10, 1024, 3, true), 128);
  EXPECT_EQ(TableQuotient(fixed::WideInt(-1024), -10, 1024, 3, true), 128);
  // Clamping after the unsigned addition of the offset.
  EXPECT_EQ(ClampTableIndex(-600, 512, 1024), 0);
  EXPECT_EQ(ClampTableIndex(600, 512, 1024), 1023);
  EXPECT_EQ(ClampTableIndex(-12, 512, 1024), 500);
}

TEST(Hls4mlTables, NegativeIndexOfEluAndSelu) {
  // x = -1: 128; x = -0.001 (m = -1): 1024 / 8 = 128 at 2^-10 -> 0; x = -9: 1152 -> 1023.
  EXPECT_EQ(NegativeTableIndex(int64_t{-1024}, -10, 1024, false), 128);
  EXPECT_EQ(NegativeTableIndex(int64_t{-1}, -10, 1024, false), 0);
  EXPECT_EQ(NegativeTableIndex(int64_t{-9216}, -10, 1024, true), 1023);
  // x = -2^24: 2^24 * 1024 / 8 = 2^31, which int() wraps to -2^31: ELU's unsigned comparison
  // takes the last entry, SELU's `index < 0` the first.
  EXPECT_EQ(NegativeTableIndex(int64_t{-1}, 24, 1024, false), 1023);
  EXPECT_EQ(NegativeTableIndex(int64_t{-1}, 24, 1024, true), 0);
  EXPECT_EQ(NegativeTableIndex(fixed::WideInt(-1), 24, 1024, false), 1023);
  EXPECT_EQ(NegativeTableIndex(fixed::WideInt(-1), 24, 1024, true), 0);
}

TEST(Hls4mlTables, SoftmaxIndexBitsAndValues) {
  EXPECT_EQ(SoftmaxIndexBits(1), 1);
  EXPECT_EQ(SoftmaxIndexBits(2), 1);
  EXPECT_EQ(SoftmaxIndexBits(3), 2);
  EXPECT_EQ(SoftmaxIndexBits(5), 3);
  EXPECT_EQ(SoftmaxIndexBits(1024), 10);
  // Top 3 bits of fixed<6,3>: 100 is -4, 011 is 3; of ufixed<15,5> (top 10 bits) k / 32.
  EXPECT_EQ(SoftmaxTableInput(4, FixedType::Fixed(6, 3), 3), -4.0f);
  EXPECT_EQ(SoftmaxTableInput(3, FixedType::Fixed(6, 3), 3), 3.0f);
  EXPECT_EQ(SoftmaxTableInput(7, FixedType::UFixed(15, 5), 10), 7.0f / 32);
  const std::vector<float> e = SoftmaxExpTableFloats(FixedType::UFixed(5, 2), 8, true);
  EXPECT_EQ(e[0], 1.0f);
  EXPECT_EQ(e[2], std::exp(-1.0f));
  const std::vector<float> inv = SoftmaxInvTableFloats(FixedType::Fixed(8, 3), 8);
  EXPECT_TRUE(std::isinf(inv[0]));
  EXPECT_EQ(inv[1], 1.0f);
  EXPECT_EQ(inv[4], -0.25f);  // 100 00000 = -4
}

TEST(Hls4mlTables, InfinityConvertsLikeTheVendorType) {
  const float inf = std::numeric_limits<float>::infinity();
  fixed::CastEvents ev;
  Result<fixed::FixedValue> sat =
      FloatToFixed(inf, FixedType::Fixed(18, 8, Rounding::kRnd, Overflow::kSat), &ev);
  ASSERT_TRUE(sat.ok());
  EXPECT_EQ(sat->ToDouble(), 128.0 - 0x1p-10);
  EXPECT_TRUE(ev.overflow);
  EXPECT_EQ(FloatToFixed(inf, FixedType::Fixed(18, 8))->ToDouble(), 0.0);  // WRAP: low bits
  EXPECT_EQ(FloatToFixed(-inf, FixedType::Fixed(18, 8, Rounding::kTrn, Overflow::kSat))->ToDouble(),
            -128.0);
  EXPECT_FALSE(FloatToFixed(std::nanf(""), FixedType::Fixed(18, 8)).ok());
}

}  // namespace
}  // namespace fixnn::emulator
