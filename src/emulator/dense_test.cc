// Dense worked out by hand: a cast after every product and partial sum, the bias cast first,
// the Resource strategy's summation order under saturation, hls4ml's decimal weights, the
// overflow counts of each cast site, and hls4ml's product for power-of-two weights.
#include <gtest/gtest.h>

#include <optional>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::DenseNode;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

ir::Graph TwoInputDense(const std::string& accum, V x_kernel = {0.75, -0.5}, V bias = {0.25}) {
  return ChainBuilder({2}, "fixed<8,4>")
      .Add(DenseNode("d", 2, 1, x_kernel, bias, "fixed<8,2>", "fixed<8,2>", accum), "fixed<8,3>")
      .Finish();
}

TEST(EmulatorDense, CastsEveryProductToTheAccumulator) {
  // x = [17/16, 9/16]: products 0.796875 and -0.28125. accum LSB 1/8, TRN: 0.75 and -0.375;
  // bias 0.25; 0.25 + 0.75 - 0.375 = 0.625 (the exact sum is 0.765625).
  EXPECT_EQ(Emulate(TwoInputDense("fixed<6,3>"), {1.0625, 0.5625}).y, V{0.625});
  // RND: 0.796875 -> 0.75, -0.28125 -> -0.25: 0.75.
  EXPECT_EQ(Emulate(TwoInputDense("fixed<6,3,RND>"), {1.0625, 0.5625}).y, V{0.75});
}

TEST(EmulatorDense, ProductTiesFollowTheAccumulatorRounding) {
  // x = [+-10/16, 0], w = 0.5: products +-0.3125 = +-2.5 LSBs of the accumulator (1/8).
  struct Case {
    const char* accum;
    double pos, neg;
  };
  for (const Case& c :
       {Case{"fixed<6,3,RND>", 0.375, -0.25}, Case{"fixed<6,3,RND_CONV>", 0.25, -0.25},
        Case{"fixed<6,3,RND_ZERO>", 0.25, -0.25}, Case{"fixed<6,3,RND_INF>", 0.375, -0.375},
        Case{"fixed<6,3,RND_MIN_INF>", 0.25, -0.375}, Case{"fixed<6,3,TRN_ZERO>", 0.25, -0.25}}) {
    const ir::Graph g = TwoInputDense(c.accum, {0.5, 0.0}, {0.0});
    EXPECT_EQ(Emulate(g, {0.625, 0.0}).y, V{c.pos}) << c.accum;
    EXPECT_EQ(Emulate(g, {-0.625, 0.0}).y, V{c.neg}) << c.accum;
  }
}

// x = [1.5, 1.5, -1.5, -1.5], all weights 1, accum fixed<4,2> (range [-2, 1.75]).
ir::Graph SaturatingDense(const std::string& accum, ir::Strategy strategy, int64_t rf) {
  ir::Node d = DenseNode("d", 4, 1, {1, 1, 1, 1}, {}, "fixed<8,2>", "fixed<8,2>", accum);
  d.settings.strategy = strategy;
  d.settings.reuse_factor = rf;
  return ChainBuilder({4}, "fixed<8,4>").Add(d, "fixed<8,4>").Finish();
}

TEST(EmulatorDense, SaturatingSumsFollowTheStrategysOrder) {
  const V x = {1.5, 1.5, -1.5, -1.5};
  // Latency, ascending: 1.5, 3 -> 1.75 (saturated), 0.25, -1.25.
  testing::RunResult latency =
      Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kLatency, 1), x);
  EXPECT_EQ(latency.y, V{-1.25});
  EXPECT_EQ(Counts(latency.overflows, "d", "accum"), (CountPair{1, 0}));
  // Resource RF 2 sums inputs 0, 2, 1, 3: 1.5, 0, 1.5, 0, never saturating.
  testing::RunResult resource =
      Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kResource, 2), x);
  EXPECT_EQ(resource.y, V{0.0});
  EXPECT_EQ(Counts(resource.overflows, "d", "accum"), (CountPair{0, 0}));
  // RF = n_in and RF a multiple of n_in sum in ascending order again.
  EXPECT_EQ(Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kResource, 4), x).y,
            V{-1.25});
  EXPECT_EQ(Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kResource, 8), x).y,
            V{-1.25});
}

TEST(EmulatorDense, WrappingSumsAreTheExactSumModulo) {
  // WRAP: 1.5, 3 -> -1 (above), -2.5 -> 1.5 (below), 0: the exact sum, in any order.
  testing::RunResult r =
      Emulate(SaturatingDense("fixed<4,2>", ir::Strategy::kLatency, 1), {1.5, 1.5, -1.5, -1.5});
  EXPECT_EQ(r.y, V{0.0});
  EXPECT_EQ(Counts(r.overflows, "d", "accum"), (CountPair{1, 1}));
  EXPECT_EQ(Counts(r.overflows, "d", "product"), (CountPair{0, 0}));
  EXPECT_EQ(r.overflows.Find("d", "accum")->casts, 4);
}

TEST(EmulatorDense, WeightsGoThroughDecimalText) {
  // 0.5 - 2^-24 prints as "0.500000" with 6 decimals (F of fixed<8,2>) and is stored as 0.5,
  // where a direct TRN cast gives 0.484375. -1e-12 prints "-0.000000": 0, not -1/64.
  const ir::Graph g = ChainBuilder({2}, "fixed<16,6>")
                          .Add(DenseNode("d", 2, 2, {0.5 - 0x1p-24, -1e-12, -1e-12, 0.25 - 0x1p-25},
                                         {}, "fixed<8,2>", "fixed<8,2>", "fixed<32,12>"),
                               "fixed<32,12>")
                          .Finish();
  EXPECT_EQ(Emulate(g, {1.0, 0.0}).y, (V{0.5, 0.0}));
  EXPECT_EQ(Emulate(g, {0.0, 1.0}).y, (V{0.0, 0.25}));
}

TEST(EmulatorDense, BiasOverflowIsCountedEverySample) {
  // Bias 3.0 saturates into fixed<4,2,SAT> (1.75) once per sample and output.
  const ir::Graph g =
      ChainBuilder({1}, "fixed<8,4>")
          .Add(DenseNode("d", 1, 1, {0.0}, {3.0}, "fixed<8,2>", "fixed<8,3>", "fixed<4,2,TRN,SAT>"),
               "fixed<8,4>")
          .Finish();
  testing::RunResult r = Emulate(g, {1.0, 2.0, 3.0});
  EXPECT_EQ(r.y, (V{1.75, 1.75, 1.75}));
  EXPECT_EQ(Counts(r.overflows, "d", "bias"), (CountPair{3, 0}));
  EXPECT_EQ(r.overflows.samples, 3);
}

TEST(EmulatorDense, InputConversionRoundsAndCounts) {
  // Input fixed<6,3,RND,SAT> (LSB 1/8, range [-4, 3.875]): 0.0625 ties up to 0.125, 5 -> 3.875,
  // -9 -> -4. Identity weights.
  const ir::Graph g = ChainBuilder({3}, "fixed<6,3,RND,SAT>")
                          .Add(DenseNode("d", 3, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1}, {}, "fixed<4,2>",
                                         "fixed<4,2>", "fixed<16,6>"),
                               "fixed<16,6>")
                          .Finish();
  testing::RunResult r = Emulate(g, {0.0625, 5.0, -9.0});
  EXPECT_EQ(r.y, (V{0.125, 3.875, -4.0}));
  EXPECT_EQ(Counts(r.overflows, "x", "input"), (CountPair{1, 1}));
}

TEST(EmulatorDense, RunsPerPositionOfALeadingAxis) {
  // Input [2, 2]: the same Dense for each row, as hls4ml's pointwise convolution.
  const ir::Graph g =
      ChainBuilder({2, 2}, "fixed<16,6>")
          .Add(DenseNode("d", 2, 1, {1.0, -2.0}, {0.5}, "fixed<8,4>", "fixed<8,4>", "fixed<24,12>"),
               "fixed<24,12>")
          .Finish();
  EXPECT_EQ(Emulate(g, {1.0, 2.0, 3.0, 0.25}).y, (V{-2.5, 3.0}));
}

TEST(EmulatorDense, WideTypesRunOnTheExactPath) {
  // A 70-bit accumulator does not fit int64: the exact path runs, with the same rules.
  const ir::Graph g = ChainBuilder({2}, "fixed<40,20>")
                          .Add(DenseNode("d", 2, 1, {0x1p-20, 3.0}, {0.5}, "fixed<40,20>",
                                         "fixed<40,20>", "fixed<70,30>"),
                               "fixed<70,30>")
                          .Finish();
  Result<Emulator> e = Emulator::Create(g);
  ASSERT_TRUE(e.ok()) << e.error().message();
  EXPECT_FALSE(e->uses_int64());
  Batch b{{1, 2}, {0x1p-20, 1.0}};
  Result<std::vector<Batch>> y = e->Run({b});
  ASSERT_TRUE(y.ok());
  EXPECT_EQ((*y)[0].values, V{0.5 + 0x1p-40 + 3.0});
}

TEST(EmulatorDense, RefusesWhatItDoesNotHandle) {
  ir::Node d = DenseNode("d", 2, 1, {1, 1}, {}, "fixed<8,2>", "fixed<8,2>", "fixed<16,6>");
  d.settings.strategy = ir::Strategy::kResourceUnrolled;
  EXPECT_EQ(testing::CreateError(ChainBuilder({2}, "fixed<8,4>").Add(d, "fixed<8,4>").Finish()),
            "layer 'd' (Dense): the emulator does not handle the ResourceUnrolled strategy yet");
  ir::Node scaled = DenseNode("d", 2, 1, {1, 1}, {}, "fixed<8,2>", "fixed<8,2>", "fixed<16,6>");
  scaled.weights[0].quantizer = ir::Quantizer{};
  scaled.weights[0].quantizer->type = testing::T("fixed<8,2>");
  scaled.weights[0].quantizer->scale = {0.5};
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2}, "fixed<8,4>").Add(scaled, "fixed<8,4>").Finish()),
      "layer 'd' (Dense): the emulator does not handle weight 'kernel' with a quantizer "
      "scale (alpha) yet");
  ir::Node no_accum = DenseNode("d", 2, 1, {1, 1}, {}, "fixed<8,2>", "fixed<8,2>", "fixed<16,6>");
  no_accum.types.clear();
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2}, "fixed<8,4>").Add(no_accum, "fixed<8,4>").Finish()),
      "layer 'd' (Dense): no 'accum' type; run passes::Configure first");
}

// QKeras quantized_po2(bits, max_value): exponents in [-2^k, 2^k - 1], k = bits - 1 - s, s = 0
// when max_value <= 1 (else 1); hls4ml stores the exponent in ap_int<bits>.
ir::Quantizer Po2(int bits, std::optional<double> max_value = std::nullopt) {
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kPo2;
  q.qkeras = true;
  q.straight_through = true;
  const int k = bits - 1 - (!max_value || *max_value > 1 ? 1 : 0);
  q.min_exponent = -(1 << k);
  q.max_exponent = (1 << k) - 1;
  q.po2_max_value = max_value;
  q.spelling = "quantized_po2(" + std::to_string(bits) + ")";
  return q;
}

// Dense "d" with a power-of-two kernel [n_in, n_out], no bias, accumulator and result
// fixed<16,6>; `exponent` sets LayerSettings::exponent_products.
ir::Graph Po2Dense(const std::string& x_type, int64_t n_in, int64_t n_out, const V& kernel,
                   const ir::Quantizer& q, bool exponent, const std::string& accum = "fixed<16,6>",
                   const std::string& weight_type = "fixed<12,2>") {
  ir::Node d = DenseNode("d", n_in, n_out, kernel, {}, weight_type, "fixed<8,2>", accum);
  d.weights[0].quantizer = q;
  d.settings.exponent_products = exponent;
  return ChainBuilder({n_in}, x_type).Add(d, accum).Finish();
}

TEST(EmulatorDense, PowerOfTwoKernelShiftsInHls4mlsProductType) {
  // quantized_po2(4, max_value=1): B = 4, x ufixed<2,0>: r_t = ap_fixed<12,6> (LSB 2^-6);
  // x = 0.75, 0.5, 0.25 are the mantissas 48, 32, 16 there. Kernel columns
  // {0.5, -2^-6, 2^-8} ({1,-1}, {0,-6}, {1,-8}) and {-2^-5, 0.25, -1} ({0,-5}, {1,-2}, {0,0}).
  // A right shift floors before the sign is applied.
  //   x = [0.75, 0.5, 0.25]: 48>>1 = 24; 32>>6 = 0; 16>>8 = 0: 24/64 = 0.375.
  //                          48>>5 = 1, -1; 32>>2 = 8; -16: -9/64 = -0.140625.
  //   x = [0.25, 0.75, 0.5]: 16>>1 = 8; 48>>6 = 0; 32>>8 = 0: 0.125.
  //                          16>>5 = 0; 48>>2 = 12; -32: -20/64 = -0.3125.
  const V kernel = {0.5, -0x1p-5, -0x1p-6, 0.25, 0x1p-8, -1};
  const V x = {0.75, 0.5, 0.25, 0.25, 0.75, 0.5};
  testing::RunResult r =
      Emulate(Po2Dense("ufixed<2,0>", 3, 2, kernel, Po2(4, 1.0), /*exponent=*/true), x);
  EXPECT_EQ(r.y, (V{0.375, -0.140625, 0.125, -0.3125}));
  // Nothing can wrap in r_t (0 integer bits + exponent 0 < 6): no exponent_product site.
  EXPECT_EQ(Counts(r.overflows, "d", "exponent_product"), (CountPair{-1, -1}));
  EXPECT_EQ(Counts(r.overflows, "d", "product"), (CountPair{0, 0}));
  // fixnn's own products are exact: 0.375 - 0.0078125 + 0.0009765625 = 0.3681640625,
  // -0.0234375 + 0.125 - 0.25 = -0.1484375; 0.125 - 0.01171875 + 0.001953125 = 0.115234375,
  // -0.0078125 + 0.1875 - 0.5 = -0.3203125.
  EXPECT_EQ(Emulate(Po2Dense("ufixed<2,0>", 3, 2, kernel, Po2(4, 1.0), false), x).y,
            (V{0.3681640625, -0.1484375, 0.115234375, -0.3203125}));
}

TEST(EmulatorDense, PowerOfTwoProductWrapsInItsType) {
  // quantized_po2(3): exponents [-2, 1]; kernel {2, -2} = {1, 1}, {0, 1}. x fixed<4,7> (LSB 8,
  // [-64, 56]): r_t = ap_fixed<14,7>, range [-64, 64). Accumulator and result fixed<16,10>.
  //   56: 112 wraps to -16 (above); the same, negated: 16 (above).
  //   -64: -128 wraps to 0 (below), twice; negated 0.
  //   -32: -64; -64 negated 64 wraps to -64 (above).
  //   24: 48; -48.
  testing::RunResult r =
      Emulate(Po2Dense("fixed<4,7>", 1, 2, {2, -2}, Po2(3), true, "fixed<16,10>", "fixed<8,4>"),
              {56, -64, -32, 24});
  EXPECT_EQ(r.y, (V{-16, 16, 0, 0, -64, -64, 48, -48}));
  EXPECT_EQ(Counts(r.overflows, "d", "exponent_product"), (CountPair{3, 2}));
  EXPECT_EQ(Counts(r.overflows, "d", "product"), (CountPair{0, 0}));
}

TEST(EmulatorDense, ExactPowerOfTwoProductsStayPlain) {
  // quantized_po2(4): exponents [-4, 3]; x fixed<8,4> (LSB 2^-4) into r_t = ap_fixed<24,12>
  // (LSB 2^-12) shifted by at most 4 either way is exact: the products are x * w.
  //   1.9375 * 0.0625 + (-3.25) * -8 = 0.12109375 + 26 = 26.12109375.
  testing::RunResult r = Emulate(
      Po2Dense("fixed<8,4>", 2, 1, {0.0625, -8}, Po2(4), true, "fixed<20,8>", "fixed<12,5>"),
      {1.9375, -3.25});
  EXPECT_EQ(r.y, V{26.12109375});
  EXPECT_EQ(Counts(r.overflows, "d", "exponent_product"), (CountPair{-1, -1}));
}

TEST(EmulatorDense, RefusesAnExponentProductWiderThanFixnnsTypes) {
  // x fixed<240,0> and B = 4: r_t = ap_fixed<488,244>, and the shift by -8 drops bits.
  EXPECT_EQ(testing::CreateError(Po2Dense("fixed<240,0>", 1, 1, {0x1p-8}, Po2(4, 1.0), true)),
            "layer 'd' (Dense): the emulator does not handle a power-of-two weight product of 488 "
            "bits (ap_fixed<2 * (4 + 240), 4 + 240>) yet");
  // Without exponent products the product is exact (fixed<252,2>).
  EXPECT_EQ(testing::CreateError(Po2Dense("fixed<240,0>", 1, 1, {0x1p-8}, Po2(4, 1.0), false)), "");
}

}  // namespace
}  // namespace fixnn::emulator
