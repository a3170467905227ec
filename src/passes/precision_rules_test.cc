#include "passes/precision_rules.h"

#include <gtest/gtest.h>

#include "passes/exact_accumulator.h"
#include "passes/passes_test_util.h"
#include "passes/weight_values.h"

namespace fixnn::passes {
namespace {

using fixed::WideInt;
using testing::Type;

std::string S(const FixedType& t) { return t.ToString(); }

TEST(PrecisionRulesTest, TypeForRange) {
  EXPECT_EQ(S(TypeForRange(WideInt(-768), WideInt(778), -7)), "ap_fixed<11,4>");
  EXPECT_EQ(S(TypeForRange(WideInt(0), WideInt(45), -3)), "ap_ufixed<6,3>");
  EXPECT_EQ(S(TypeForRange(WideInt(0), WideInt(0), -5)), "ap_ufixed<1,-4>");
  EXPECT_EQ(S(TypeForRange(WideInt(-1), WideInt(0), 0)), "ap_fixed<1,1>");
}

TEST(PrecisionRulesTest, CoveringTypeOfPerElementPrecision) {
  ir::Precision p;
  p.per_element = ir::ElementTypes{{Type("ap_ufixed<4,2>"), Type("ap_fixed<6,1>")}, {}};
  // [0, 3.75] by 1/4 and [-1, 0.96875] by 1/32: [-1, 3.75] by 1/32 needs 8 bits, 3 integer.
  EXPECT_EQ(S(*CoveringType(p)), "ap_fixed<8,3>");
  p.per_element->always_zero = {false, true};
  EXPECT_EQ(S(*CoveringType(p)), "ap_ufixed<4,2>");
  ir::Precision unset;
  EXPECT_FALSE(CoveringType(unset).ok());
}

TEST(PrecisionRulesTest, Hls4mlMergeRules) {
  const FixedType a = Type("fixed<8,3>"), b = Type("ufixed<6,2>");
  EXPECT_EQ(S(AddType(a, b, false)), "ap_fixed<9,4>");
  EXPECT_EQ(S(AddType(b, b, true)), "ap_fixed<7,3>");
  EXPECT_EQ(S(AddType(b, b, false)), "ap_ufixed<7,3>");
  EXPECT_EQ(S(MultiplyType(a, b)), "ap_fixed<14,5>");
  EXPECT_EQ(S(MaxMinType(a, b)), "ap_fixed<8,3>");
  EXPECT_EQ(S(MaxMinType(Type("fixed<6,2>"), Type("ufixed<8,4>"))), "ap_fixed<9,5>");
  EXPECT_EQ(S(MaxMinType(b, b)), "ap_ufixed<6,2>");
  EXPECT_EQ(S(ConcatenateType(a, Type("ufixed<6,2,RND,SAT>"))), "ap_fixed<8,3,AP_RND,AP_SAT>");
  EXPECT_EQ(S(DotType(a, Type("fixed<6,2>"), 4)), "ap_fixed<16,7>");
  EXPECT_EQ(S(DotType(a, Type("fixed<6,2>"), 5)), "ap_fixed<17,8>");
}

TEST(PrecisionRulesTest, Hls4mlCommonType) {
  // The jet tagger's first layer: 16 inputs fixed<16,6>, weights and bias fixed<6,1>:
  // W = 16 + 6 + 4 = 26, I = 6 + 1 + 4 = 11, then the bias: I = 12, W = 12 + 15.
  EXPECT_EQ(S(Hls4mlCommonType(Type("fixed<16,6>"), Type("fixed<6,1>"), Type("fixed<6,1>"), 16)),
            "ap_fixed<27,12>");
  // hls4ml's zero bias uint<1> of a layer without one still adds its integer bit.
  EXPECT_EQ(S(Hls4mlCommonType(Type("fixed<16,6>"), Type("fixed<6,1>"), Type("ufixed<1,1>"), 16)),
            "ap_fixed<27,12>");
  // Unsigned products, signed bias: I = max(5 + 1, 2) + 1 = 7, F = max(9, 4).
  EXPECT_EQ(S(Hls4mlCommonType(Type("ufixed<8,2>"), Type("ufixed<4,1>"), Type("fixed<6,2>"), 3)),
            "ap_fixed<16,7>");
  // A bias finer than the products widens the fraction: I = max(4, 2) + 1, F = max(4, 10).
  EXPECT_EQ(S(Hls4mlCommonType(Type("fixed<4,2>"), Type("fixed<4,2>"), Type("fixed<12,2>"), 1)),
            "ap_fixed<15,5>");
}

TEST(PrecisionRulesTest, BatchNormPoolingCapAndReLU) {
  EXPECT_EQ(S(BatchNormType(Type("fixed<8,3>"), Type("fixed<10,2>"), Type("fixed<12,4>"))),
            "ap_fixed<19,6>");
  EXPECT_EQ(S(BatchNormType(Type("ufixed<8,3>"), Type("ufixed<10,2>"), Type("fixed<12,4>"))),
            "ap_fixed<20,7>");
  EXPECT_EQ(S(BatchNormType(Type("fixed<8,3>"), Type("ufixed<4,1>"), std::nullopt)),
            "ap_fixed<12,4>");
  EXPECT_EQ(S(AveragePoolAccumType(Type("fixed<8,3>"), 3)), "ap_fixed<12,5>");
  EXPECT_EQ(S(AveragePoolAccumType(Type("ufixed<8,3>"), 4)), "ap_ufixed<12,5>");
  EXPECT_EQ(S(CapToMaximum(Type("fixed<30,12>"), Type("fixed<24,8>"))), "ap_fixed<24,8>");
  EXPECT_EQ(S(CapToMaximum(Type("ufixed<10,12>"), Type("fixed<24,8>"))), "ap_ufixed<10,8>");
  EXPECT_EQ(S(CapToMaximum(Type("fixed<30,12>"), std::nullopt)), "ap_fixed<30,12>");
  EXPECT_EQ(S(ReLUType(Type("fixed<8,3>"))), "ap_ufixed<7,2>");
  EXPECT_EQ(S(ReLUType(Type("ufixed<6,2,RND,SAT>"))), "ap_ufixed<6,2>");
}

TEST(PrecisionRulesTest, ConstantTypesMatchHls4ml) {
  // Expected values printed by hls4ml 1.3's _get_precision_from_constant.
  EXPECT_EQ(S(ConstantType(0.3)), "ap_ufixed<8,-1>");
  EXPECT_EQ(S(ConstantType(1.0)), "ap_ufixed<1,1>");
  EXPECT_EQ(S(ConstantType(0.2)), "ap_ufixed<8,-2>");
  EXPECT_EQ(S(ConstantType(-0.5)), "ap_fixed<1,0>");
  EXPECT_EQ(S(ConstantType(0.25)), "ap_ufixed<1,-1>");
  EXPECT_EQ(S(ConstantType(1.0 / 6.0)), "ap_ufixed<8,-2>");
  EXPECT_EQ(S(ConstantType(1048576.0)), "ap_ufixed<1,21>");
  EXPECT_EQ(S(ConstantType(3.0)), "ap_ufixed<2,2>");
  EXPECT_EQ(S(ConstantType(-0.3)), "ap_fixed<9,0>");
  EXPECT_EQ(S(ConstantType(0.0)), "ap_ufixed<1,1>");
}

StoredValues Stored(const std::vector<double>& values, const std::string& type,
                    const ir::Shape& shape) {
  ir::Weight w = testing::MakeWeight("w", shape, values);
  w.precision.type = Type(type);
  Result<StoredValues> v = StoredWeightValues(w);
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : StoredValues{};
}

TEST(ExactAccumulatorTest, DenseByHand) {
  // x in fixed<8,3>: [-4, 3.96875] by 2^-5. Channel 0: 0.5 x0 + 1.0 x1 + 0.125 spans
  // [-6, 5.953125] (+ bias: [-5.875, 6.078125]); channel 1: -0.25 x0 + 0.75 x1 - 2 spans
  // [-3.9921875, 3.9765625] (+ bias: [-5.9921875, 1.9765625]). Weights need 2 fractional bits,
  // the bias 3: LSB 2^-(5+2) = 2^-7; [-6, 6.078125] is [-768, 778] * 2^-7: 11 bits, 4 integer.
  const StoredValues k = Stored({0.5, -0.25, 1.0, 0.75}, "fixed<16,6>", {2, 2});
  const StoredValues b = Stored({0.125, -2.0}, "fixed<8,4>", {2});
  EXPECT_EQ(S(*ExactAccumulatorType(Type("fixed<8,3>"), k, 2, &b)), "ap_fixed<11,4>");
  // Without the bias: [-6, 5.953125] by 2^-7 is [-768, 762]: still 11 bits.
  EXPECT_EQ(S(*ExactAccumulatorType(Type("fixed<8,3>"), k, 2, nullptr)), "ap_fixed<11,4>");
  // Unsigned input [0, 3.75] by 1/4, weights 2 and 3 on one channel: [0, 18.75] by 1/4 is
  // [0, 75]: 7 bits unsigned, 5 integer; weight 2 needs -1 fractional bits, 3 needs 0.
  const StoredValues w = Stored({2, 3}, "fixed<8,4>", {2, 1});
  EXPECT_EQ(S(*ExactAccumulatorType(Type("ufixed<4,2>"), w, 1, nullptr)), "ap_ufixed<7,5>");
  // Even weights only: 2 and 4 need -1 fractional bit: [0, 22.5] by 1/2 is [0, 45].
  const StoredValues even = Stored({2, 4}, "fixed<8,4>", {2, 1});
  EXPECT_EQ(S(*ExactAccumulatorType(Type("ufixed<4,2>"), even, 1, nullptr)), "ap_ufixed<6,5>");
}

TEST(ExactAccumulatorTest, NegativeBiasDoesNotHideAProduct) {
  // w = 1, x in [0, 3.75], bias -3: the sum is in [-3, 0.75] but the product alone reaches
  // 3.75 and hls4ml holds it in the accumulator.
  const StoredValues k = Stored({1.0}, "fixed<8,4>", {1, 1});
  const StoredValues b = Stored({-3.0}, "fixed<8,4>", {1});
  EXPECT_EQ(S(*ExactAccumulatorType(Type("ufixed<4,2>"), k, 1, &b)), "ap_fixed<5,3>");
}

TEST(ExactAccumulatorTest, ZeroWeightsAndErrors) {
  const StoredValues zeros = Stored({0, 0}, "fixed<8,4>", {2, 1});
  EXPECT_EQ(S(*ExactAccumulatorType(Type("fixed<8,3>"), zeros, 1, nullptr)), "ap_ufixed<1,-4>");
  const StoredValues b = Stored({0.5, 0.5}, "fixed<8,4>", {2});
  EXPECT_FALSE(ExactAccumulatorType(Type("fixed<8,3>"), zeros, 1, &b).ok());  // 1 channel, 2 biases
}

TEST(StoredWeightValuesTest, QuantizerThenTypeAndErrors) {
  ir::Weight w = testing::MakeWeight("kernel", {3}, {0.3, -0.6, 2.0});
  w.quantizer = testing::FixedQuantizer("ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  w.precision.type = Type("fixed<8,2>");
  Result<StoredValues> v = StoredWeightValues(w);
  ASSERT_TRUE(v.ok());
  // quantized_bits: 0.25, -0.625, 0.875 (saturated); in fixed<8,2> (LSB 2^-6): 16, -40, 56.
  EXPECT_EQ(v->lsb_exponent, -6);
  EXPECT_EQ(v->mantissas[0], WideInt(16));
  EXPECT_EQ(v->mantissas[1], WideInt(-40));
  EXPECT_EQ(v->mantissas[2], WideInt(56));
  ir::Weight unset = testing::MakeWeight("bias", {1}, {1.0});
  Result<StoredValues> e = StoredWeightValues(unset);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message(), "weight 'bias' has no configured precision");
}

}  // namespace
}  // namespace fixnn::passes
