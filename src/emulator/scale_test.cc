// BatchNormalization and Scale worked out by hand: hls4ml's float32 scale and bias, their
// decimal text into the scale and bias types, the exact x * scale + bias cast once into the
// result type, per channel of the last axis, and the refusals.
#include <gtest/gtest.h>

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
  ir::Node po2 = ScaleNode({0.5}, {}, "fixed<8,3>", "");
  po2.weights[0].quantizer = ir::Quantizer{};
  po2.weights[0].quantizer->kind = ir::QuantizerKind::kPo2;
  EXPECT_EQ(testing::CreateError(ChainBuilder({1}, "fixed<8,4>").Add(po2, "fixed<8,4>").Finish()),
            "layer 's' (Scale): the emulator does not handle weight 'scale' with a power-of-two "
            "quantizer (hls4ml's exponent-type product) yet");
}

}  // namespace
}  // namespace fixnn::emulator
