// BatchNormalization and Scale worked out by hand: hls4ml's float32 scale and bias, their
// decimal text into the scale and bias types, the exact x * scale + bias cast once into the
// result type, per channel of the last axis, and the refusals. A power-of-two scale (QKeras
// 'auto_po2' alpha) multiplies by shifting in hls4ml's r_t = ap_fixed<2N, N>.
#include <gtest/gtest.h>

#include <string>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

ir::Weight Raw(const std::string& name, const V& values) {
  ir::Weight w;
  w.name = name;
  w.shape = {static_cast<int64_t>(values.size())};
  w.values = values;
  return w;
}

// BatchNorm on the last axis; empty gamma / beta: scale / center off.
ir::Node BatchNormNode(const V& gamma, const V& beta, const V& mean, const V& var, double eps,
                       const std::string& scale_type, const std::string& bias_type,
                       int64_t axis = -1) {
  ir::Node node;
  node.name = "bn";
  node.source = "BatchNormalization";
  node.attrs = ir::BatchNormAttrs{axis, eps, !beta.empty(), !gamma.empty()};
  if (!gamma.empty()) node.weights.push_back(Raw("gamma", gamma));
  if (!beta.empty()) node.weights.push_back(Raw("beta", beta));
  node.weights.push_back(Raw("moving_mean", mean));
  node.weights.push_back(Raw("moving_variance", var));
  node.types["scale"] = testing::T(scale_type);
  node.types["bias"] = testing::T(bias_type);
  return node;
}

ir::Node ScaleNode(const V& scale, const V& bias, const std::string& scale_type,
                   const std::string& bias_type) {
  ir::Node node;
  node.name = "s";
  node.source = "ApplyAlpha";
  node.attrs = ir::ScaleAttrs{!bias.empty()};
  node.weights.push_back(
      testing::TypedWeight("scale", {static_cast<int64_t>(scale.size())}, scale, scale_type));
  if (!bias.empty()) {
    node.weights.push_back(
        testing::TypedWeight("bias", {static_cast<int64_t>(bias.size())}, bias, bias_type));
  }
  return node;
}

TEST(EmulatorBatchNorm, ScalesAndShiftsPerChannelOfTheLastAxis) {
  // eps 1: channel 0: scale 2 / sqrt(3 + 1) = 1, bias 0.25 - 1 * 0.5 = -0.25;
  //        channel 1: scale 1.5 / sqrt(3 + 1) = 0.75, bias 0 - 0.75 * -1 = 0.75.
  const ir::Graph g = ChainBuilder({2, 2}, "fixed<8,4>")
                          .Add(BatchNormNode({2, 1.5}, {0.25, 0}, {0.5, -1}, {3, 3}, 1.0,
                                             "fixed<8,3>", "fixed<8,3>"),
                               "fixed<8,4>")
                          .Finish();
  EXPECT_EQ(Emulate(g, {1, 1, 2, -2}).y, (V{0.75, 1.5, 1.75, -0.75}));
}

TEST(EmulatorBatchNorm, ComputesScaleAndBiasInFloat32) {
  // gamma 1, var 1, eps 1e-3 (rounded to float32 first), mean 0.3f, beta 0.1f. In float32:
  // scale 0.99950039386749267578125, bias -0.199850142002105712890625; stored with 30
  // decimals into fixed<32,2>: 1073205376 and -214587456 (x 2^-30). The float64 formula would
  // give 1073205355 and -214587436.
  const double mean = static_cast<float>(0.3), beta = static_cast<float>(0.1);
  const ir::Graph g =
      ChainBuilder({1}, "fixed<8,4>")
          .Add(BatchNormNode({1}, {beta}, {mean}, {1}, 1e-3, "fixed<32,2>", "fixed<32,2>"),
               "fixed<40,8>")
          .Finish();
  EXPECT_EQ(Emulate(g, {1, 0}).y, (V{(1073205376 - 214587456) * 0x1p-30, -214587456 * 0x1p-30}));
}

TEST(EmulatorBatchNorm, WithoutGammaOrBeta) {
  // scale = 1 / sqrt(0.5 + 0.5) = 1; bias = 0 - 1 * 1.25.
  const ir::Graph g =
      ChainBuilder({1}, "fixed<8,4>")
          .Add(BatchNormNode({}, {}, {1.25}, {0.5}, 0.5, "fixed<8,3>", "fixed<8,3>"), "fixed<8,4>")
          .Finish();
  EXPECT_EQ(Emulate(g, {2, -1}).y, (V{0.75, -2.25}));
}

TEST(EmulatorBatchNorm, ScaleGoesThroughDecimalText) {
  // gamma 0.5 - 2^-24, var + eps = 1: the scale prints "0.500000" with the 6 decimals of
  // fixed<8,2> and is stored as 0.5 (a direct TRN cast: 0.484375).
  const ir::Graph g =
      ChainBuilder({1}, "fixed<8,4>")
          .Add(BatchNormNode({0.5 - 0x1p-24}, {0}, {0}, {0.5}, 0.5, "fixed<8,2>", "fixed<8,2>"),
               "fixed<16,6>")
          .Finish();
  EXPECT_EQ(Emulate(g, {1, 3}).y, (V{0.5, 1.5}));
}

TEST(EmulatorBatchNorm, OneCastOfTheExactResult) {
  // scale 1 / sqrt(1) = 1 with gamma 0.75, bias 0.125: x * 0.75 + 0.125, cast once into
  // fixed<4,2,RND,SAT> (LSB 1/4, range [-2, 1.75]): 0.3125 * 0.75 + 0.125 = 0.359375 -> 0.25;
  // 0.5 * 0.75 + 0.125 = 0.5 -> 0.5; 3 * 0.75 + 0.125 = 2.375 -> 1.75 (saturated).
  testing::RunResult r =
      Emulate(ChainBuilder({1}, "fixed<8,4>")
                  .Add(BatchNormNode({0.75}, {0.125}, {0}, {1}, 0.0, "fixed<8,2>", "fixed<8,2>"),
                       "fixed<4,2,RND,SAT>")
                  .Finish(),
              {0.3125, 0.5, 3, -4});
  EXPECT_EQ(r.y, (V{0.25, 0.5, 1.75, -2}));
  EXPECT_EQ(Counts(r.overflows, "bn", "result"), (CountPair{1, 1}));
}

TEST(EmulatorBatchNorm, RefusesWhatHls4mlComputesOutOfBounds) {
  ir::Node axis1 = BatchNormNode({1, 1, 1}, {0, 0, 0}, {0, 0, 0}, {1, 1, 1}, 1e-3, "fixed<8,3>",
                                 "fixed<8,3>", 1);
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({3, 2}, "fixed<8,4>").Add(axis1, "fixed<8,4>").Finish()),
      "layer 'bn' (BatchNorm): BatchNormalization on axis 1 of a rank-3 input: hls4ml applies "
      "it along the last axis and reads past its scale array; fixnn refuses rather than guess "
      "the result");
  ir::Node rank4 = BatchNormNode({1}, {0}, {0}, {1}, 1e-3, "fixed<8,3>", "fixed<8,3>");
  EXPECT_EQ(testing::CreateError(
                ChainBuilder({2, 2, 2, 1}, "fixed<8,4>").Add(rank4, "fixed<8,4>").Finish()),
            "layer 'bn' (BatchNorm): BatchNormalization of a rank-5 input: hls4ml indexes its "
            "scale per element there and reads past the array; fixnn refuses rather than guess "
            "the result");
  ir::Node untyped = BatchNormNode({1}, {0}, {0}, {1}, 1e-3, "fixed<8,3>", "fixed<8,3>");
  untyped.types.erase("bias");
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({1}, "fixed<8,4>").Add(untyped, "fixed<8,4>").Finish()),
      "layer 'bn' (BatchNorm): no 'bias' type; run passes::Configure first");
}

TEST(EmulatorScale, ScaleAndBiasWeightsPerChannel) {
  // y = x * [0.5, -1.25] + [0.125, 1], exact, then fixed<10,4> (LSB 1/64, TRN):
  // 0.3 is input-cast to 0.3125 (fixed<8,4>, LSB 1/16): 0.3125 * 0.5 + 0.125 = 0.28125;
  // 0.75 * -1.25 + 1 = 0.0625; -1 * 0.5 + 0.125 = -0.375; 2 * -1.25 + 1 = -1.5.
  const ir::Graph g =
      ChainBuilder({2}, "fixed<8,4,RND>")
          .Add(ScaleNode({0.5, -1.25}, {0.125, 1}, "fixed<8,3>", "fixed<6,2>"), "fixed<10,4>")
          .Finish();
  EXPECT_EQ(Emulate(g, {0.3, 0.75, -1, 2}).y, (V{0.28125, 0.0625, -0.375, -1.5}));
}

TEST(EmulatorScale, OneScaleForAllAndNoBias) {
  // A single scale 0.375 for every element, no bias; fixed<6,2> (LSB 1/16, TRN) floors
  // 1.5 * 0.375 = 0.5625 -> 0.5625, -0.25 * 0.375 = -0.09375 -> -0.125.
  const ir::Graph g = ChainBuilder({3}, "fixed<8,4>")
                          .Add(ScaleNode({0.375}, {}, "fixed<8,3>", ""), "fixed<6,2>")
                          .Finish();
  EXPECT_EQ(Emulate(g, {1.5, -0.25, 0}).y, (V{0.5625, -0.125, 0}));
}

TEST(EmulatorScale, WeightQuantizerThenText) {
  // The quantizer fixed<4,1,RND_CONV,SAT> (LSB 1/8) takes 0.3 to 0.25 before the text.
  ir::Node node = ScaleNode({0.3}, {}, "fixed<8,3>", "");
  node.weights[0].quantizer = ir::Quantizer{};
  node.weights[0].quantizer->type = testing::T("fixed<4,1,RND_CONV,SAT>");
  EXPECT_EQ(Emulate(ChainBuilder({1}, "fixed<8,4>").Add(node, "fixed<16,6>").Finish(), {2}).y,
            (V{0.5}));
}

TEST(EmulatorScale, RefusesWhatHls4mlComputesOutOfBounds) {
  // hls4ml's ApplyAlpha after a Dense running per row of a [2, 2] input indexes its two scales
  // per element (4 of them).
  const ir::Graph g = ChainBuilder({2, 2}, "fixed<8,4>")
                          .Add(testing::DenseNode("d", 2, 2, {1, 0, 0, 1}, {}, "fixed<8,2>",
                                                  "fixed<8,2>", "fixed<16,6>"),
                               "fixed<16,6>")
                          .Add(ScaleNode({0.5, 2}, {}, "fixed<8,3>", ""), "fixed<16,6>")
                          .Finish();
  EXPECT_EQ(testing::CreateError(g),
            "layer 's' (Scale): a per-channel scale after a Dense on a rank > 1 input: hls4ml's "
            "ApplyAlpha indexes its scale per element there and reads past the array; fixnn "
            "refuses rather than guess the result");
}

// hls4ml's quantizer of an 'auto_po2' alpha: quantized_po2(bits), exponents in
// [-2^(bits-2), 2^(bits-2) - 1].
ir::Quantizer Po2(int bits) {
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kPo2;
  q.qkeras = true;
  q.straight_through = true;
  q.min_exponent = -(1 << (bits - 2));
  q.max_exponent = (1 << (bits - 2)) - 1;
  const int integer = q.max_exponent + 2;
  q.type = fixed::FixedType::Fixed(integer - q.min_exponent, integer, fixed::Rounding::kRndConv,
                                   fixed::Overflow::kSat);
  q.spelling = "quantized_po2(" + std::to_string(bits) + ")";
  return q;
}

ir::Node Po2ScaleNode(const V& scale, const V& bias, int bits) {
  ir::Node node = ScaleNode(scale, bias, "fixed<9,5>", "fixed<8,3>");
  node.weights[0].quantizer = Po2(bits);
  return node;
}

TEST(EmulatorScale, PowerOfTwoScaleShiftsByItsExponent) {
  // quantized_po2(4): scales 0.25, -2, 8, -0.0625 are stored as {sign, exponent}
  // {1, -2}, {0, 1}, {1, 3}, {0, -4}. x fixed<8,4> goes into r_t = fixed<24,12> (2 * (4 + 8)
  // bits), is shifted and negated there (exact here), and r + bias is cast once into
  // fixed<10,6> (LSB 1/16, TRN):
  //   0.3125 >> 2 = 0.078125; + 0.125 = 0.203125 -> 0.1875
  //   1.5 << 1 = 3, negated -3; + 0 = -3
  //   1.0625 << 3 = 8.5; - 1 = 7.5
  //   3.4375 >> 4 = 0.21484375, negated; + 0.5 = 0.28515625 -> 0.25
  //   -0.0625 >> 2 = -0.015625; + 0.125 = 0.109375 -> 0.0625
  //   -4 << 1 = -8, negated 8; 3.9375 << 3 = 31.5, - 1 = 30.5; -8 >> 4 = -0.5, negated, + 0.5 = 1.
  // (Checked against hls4ml's weight_exponential compiled with its ap_fixed headers.)
  testing::RunResult r =
      Emulate(ChainBuilder({4}, "fixed<8,4>")
                  .Add(Po2ScaleNode({0.25, -2, 8, -0.0625}, {0.125, 0, -1, 0.5}, 4), "fixed<10,6>")
                  .Finish(),
              {0.3125, 1.5, 1.0625, 3.4375, -0.0625, -4, 3.9375, -8});
  EXPECT_EQ(r.y, (V{0.1875, -3, 7.5, 0.25, 0.0625, 8, 30.5, 1}));
  EXPECT_EQ(Counts(r.overflows, "s", "result"), (CountPair{0, 0}));
  // No wrap is possible (4 integer bits + exponent 3 < 12): no product site.
  EXPECT_EQ(Counts(r.overflows, "s", "product"), (CountPair{-1, -1}));
}

TEST(EmulatorScale, PowerOfTwoProductFloorsBelowItsLsb) {
  // x fixed<8,-6> (LSB 2^-14) into r_t = fixed<24,12> (LSB 2^-12) floors (TRN), and so does a
  // right shift; the result fixed<16,-2> (LSB 2^-18) would hold the exact products.
  //   3 * 2^-14 -> floor(0.75) = 0; scale 1: 0 (exact 3 * 2^-14).
  //   5 * 2^-14 -> 1 * 2^-12, >> 2 -> floor(0.25) = 0; scale -0.25: 0.
  //   -3 * 2^-14 -> floor(-0.75) = -1: -2^-12.
  //   -5 * 2^-14 -> floor(-1.25) = -2, >> 2 -> floor(-0.5) = -1, negated: +2^-12.
  const ir::Graph g = ChainBuilder({2}, "fixed<8,-6>")
                          .Add(Po2ScaleNode({1, -0.25}, {0, 0}, 4), "fixed<16,-2>")
                          .Finish();
  EXPECT_EQ(Emulate(g, {3 * 0x1p-14, 5 * 0x1p-14, -3 * 0x1p-14, -5 * 0x1p-14}).y,
            (V{0, 0, -0x1p-12, 0x1p-12}));
}

TEST(EmulatorScale, PowerOfTwoProductWrapsInItsType) {
  // x fixed<6,9> (LSB 8, [-256, 248]) with quantized_po2(4): r_t = fixed<20,10>, range
  // [-512, 512). Scales 8, -1, -8 ({1, 3}, {0, 0}, {0, 3}); result fixed<16,11>, bias 0.
  //   sample 0: 40 << 3 = 320; -256 negated 256; 8 << 3 = 64, negated -64.
  //   sample 1: 72 << 3 = 576 wraps to -448 (above); 248 negated -248; -64 << 3 = -512,
  //             negated 512 wraps back to -512 (above).
  //   sample 2: -120 << 3 = -960 wraps to 64 (below); -256 negated 256; 0.
  testing::RunResult r = Emulate(ChainBuilder({3}, "fixed<6,9>")
                                     .Add(Po2ScaleNode({8, -1, -8}, {0, 0, 0}, 4), "fixed<16,11>")
                                     .Finish(),
                                 {40, -256, 8, 72, 248, -64, -120, -256, 0});
  EXPECT_EQ(r.y, (V{320, 256, -64, -448, -248, -512, 64, 256, 0}));
  EXPECT_EQ(Counts(r.overflows, "s", "product"), (CountPair{2, 1}));
  EXPECT_EQ(Counts(r.overflows, "s", "result"), (CountPair{0, 0}));
}

TEST(EmulatorScale, PowerOfTwoQuantizerClipsTheScale) {
  // quantized_po2(3) holds exponents [-2, 1]: a scale of 8 becomes 2 (QKeras clips it), so
  // 1.5 -> 3; -0.3 becomes -0.25 (round(log2 0.3) = -2), so 1.5 -> -0.375.
  const ir::Graph g = ChainBuilder({2}, "fixed<8,4>")
                          .Add(Po2ScaleNode({8, -0.3}, {0, 0}, 3), "fixed<12,6>")
                          .Finish();
  EXPECT_EQ(Emulate(g, {1.5, 1.5}).y, (V{3, -0.375}));
}

TEST(EmulatorScale, RefusesWhatHls4mlCannotComputeWithPowerOfTwoWeights) {
  // A power-of-two bias: hls4ml stores it as a sign and an exponent, which it cannot add.
  ir::Node po2_bias = Po2ScaleNode({0.5}, {0.25}, 3);
  po2_bias.weights[1].quantizer = Po2(3);
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({1}, "fixed<8,4>").Add(po2_bias, "fixed<8,4>").Finish()),
      "layer 's' (Scale): weight 'bias' with a power-of-two quantizer: hls4ml stores it as a sign "
      "and an exponent, which nnet::normalize cannot add (its project does not compile)");
  // Only quantized_po2(bits) fixes the exponent type's width.
  ir::Node relu = Po2ScaleNode({0.5}, {0}, 3);
  relu.weights[0].quantizer->po2_relu = true;
  relu.weights[0].quantizer->spelling = "quantized_relu_po2(3)";
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({1}, "fixed<8,4>").Add(relu, "fixed<8,4>").Finish()),
      "layer 's' (Scale): the emulator does not handle weight 'scale' with the power-of-two "
      "quantizer quantized_relu_po2(3) (hls4ml's ApplyAlpha uses quantized_po2(bits) only) yet");
  // r_t = ap_fixed<2 * (4 + 200), 4 + 200> is wider than fixnn's 256 bits.
  EXPECT_EQ(testing::CreateError(ChainBuilder({1}, "fixed<200,10>")
                                     .Add(Po2ScaleNode({0.5}, {0}, 4), "fixed<8,4>")
                                     .Finish()),
            "layer 's' (Scale): the emulator does not handle a power-of-two scale product of 408 "
            "bits (ap_fixed<2 * (4 + 200), 4 + 200>) yet");
}

}  // namespace
}  // namespace fixnn::emulator
